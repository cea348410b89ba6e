import request from 'supertest';
import type { OrderStatus } from '../../src/modules/orders/order-status';
import { API, bearer, register, type TestUser } from './auth';
import type { FakeStripe } from './fake-stripe';
import { SHIPPING_ADDRESS } from './orders';
import { createIntent, intentEvent, postWebhook } from './payments';
import type { TestContext } from './test-app';

export interface PlacedOrder {
  id: string;
  orderNumber: string;
  total: number;
  items: Array<{ productId: number; title: string; sku: string; quantity: number; lineTotal: number }>;
}

/** Places an order through POST /orders with these lines. */
export async function orderItems(
  ctx: TestContext,
  user: TestUser,
  items: Array<{ productId: number; quantity: number }>,
): Promise<PlacedOrder> {
  const res = await request(ctx.app)
    .post(`${API}/orders`)
    .set(bearer(user.token))
    .send({ shippingAddress: SHIPPING_ADDRESS, items });
  if (res.status !== 201) throw new Error(`order failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as PlacedOrder;
}

/** The statuses an admin walks a new order through to reach each status (PATCH /orders/:id/status). */
const PATH_TO: Record<OrderStatus, OrderStatus[]> = {
  PENDING: [],
  PAID: ['PAID'],
  PROCESSING: ['PAID', 'PROCESSING'],
  SHIPPED: ['PAID', 'PROCESSING', 'SHIPPED'],
  DELIVERED: ['PAID', 'PROCESSING', 'SHIPPED', 'DELIVERED'],
  CANCELLED: ['CANCELLED'],
  REFUNDED: ['PAID', 'REFUNDED'],
};

/** Moves a PENDING order to `status` through the admin route, one allowed transition at a time. */
export async function moveOrderTo(
  ctx: TestContext,
  admin: TestUser,
  orderId: string,
  status: OrderStatus,
): Promise<void> {
  for (const step of PATH_TO[status]) {
    const res = await request(ctx.app)
      .patch(`${API}/orders/${orderId}/status`)
      .set(bearer(admin.token))
      .send({ status: step });
    if (res.status !== 200) throw new Error(`→ ${step} failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/**
 * Pays a PENDING order through Stripe (the fake at the network edge: intent, signed succeeded webhook), then has
 * the admin refund `amount` of it (major units) through POST /payments/:id/refund: the order stays PAID.
 */
export async function payThenRefundPart(
  ctx: TestContext,
  fake: FakeStripe,
  webhookSecret: string,
  buyer: TestUser,
  admin: TestUser,
  orderId: string,
  amount: number,
): Promise<void> {
  const intent = await createIntent(ctx, buyer, orderId);
  if (intent.status !== 200)
    throw new Error(`intent failed: ${intent.status} ${JSON.stringify(intent.body)}`);
  const { paymentId, paymentIntentId } = intent.body.data as { paymentId: string; paymentIntentId: string };
  const paid = await postWebhook(
    ctx,
    intentEvent(fake, webhookSecret, 'payment_intent.succeeded', paymentIntentId),
  );
  if (paid.status !== 200) throw new Error(`webhook failed: ${paid.status} ${JSON.stringify(paid.body)}`);
  const refund = await request(ctx.app)
    .post(`${API}/payments/${paymentId}/refund`)
    .set(bearer(admin.token))
    .send({ amount });
  if (refund.status !== 200)
    throw new Error(`refund failed: ${refund.status} ${JSON.stringify(refund.body)}`);
}

/** Sets when an order was placed (series tests need orders on given days; placing goes through HTTP first). */
export async function placedAt(ctx: TestContext, orderId: string, at: string): Promise<void> {
  await ctx.container.prisma.order.update({ where: { id: orderId }, data: { createdAt: new Date(at) } });
}

/** POST /orders as `user`, with an optional Idempotency-Key; the raw reply (for tests of refusals and races). */
export function postOrder(ctx: TestContext, user: TestUser, body: object, key?: string): request.Test {
  const req = request(ctx.app).post(`${API}/orders`).set(bearer(user.token));
  if (key !== undefined) req.set('Idempotency-Key', key);
  return req.send(body);
}

/** PATCH /orders/:id/status as `admin`; the raw reply. */
export const patchOrderStatus = (ctx: TestContext, admin: TestUser, orderId: string, body: object) =>
  request(ctx.app).patch(`${API}/orders/${orderId}/status`).set(bearer(admin.token)).send(body);

/** POST /orders/:id/cancel as `user`; the raw reply. */
export const cancelOrder = (ctx: TestContext, user: TestUser, orderId: string, body: object = {}) =>
  request(ctx.app).post(`${API}/orders/${orderId}/cancel`).set(bearer(user.token)).send(body);

/** A product's stock as PostgreSQL holds it now. */
export async function stockOf(ctx: TestContext, productId: number): Promise<number> {
  return (await ctx.container.prisma.product.findUniqueOrThrow({ where: { id: productId } })).stock;
}

/** `count` new customers, registered one after another (registration is not what these tests race). */
export async function registerMany(ctx: TestContext, count: number): Promise<TestUser[]> {
  const users: TestUser[] = [];
  for (let i = 0; i < count; i++) users.push(await register(ctx.app));
  return users;
}
