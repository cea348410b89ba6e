import request from 'supertest';
import { API, bearer, type TestUser } from './auth';
import { createProduct } from './catalogue-fixtures';
import { signedEvent, type FakeStripe, type SignedWebhook } from './fake-stripe';
import { SHIPPING_ADDRESS } from './orders';
import type { TestContext } from './test-app';

/** Places an order through HTTP: `quantity` of one new product at `price` (stock `stock`). */
export async function placeOrder(
  ctx: TestContext,
  user: TestUser,
  { price = '25.00', quantity = 2, stock = 10 }: { price?: string; quantity?: number; stock?: number } = {},
) {
  const product = await createProduct(ctx, { price, stock });
  const res = await request(ctx.app)
    .post(`${API}/orders`)
    .set(bearer(user.token))
    .send({ shippingAddress: SHIPPING_ADDRESS, items: [{ productId: product.id, quantity }] });
  if (res.status !== 201) throw new Error(`order failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    order: res.body.data as { id: string; total: number; currency: string; orderNumber: string },
    product,
  };
}

export const createIntent = (ctx: TestContext, user: TestUser, orderId: string) =>
  request(ctx.app).post(`${API}/payments/create-intent`).set(bearer(user.token)).send({ orderId });

/** POSTs a webhook exactly as Stripe does: the signed bytes, JSON content type, the signature header. */
export function postWebhook(ctx: TestContext, webhook: Pick<SignedWebhook, 'payload' | 'signature'>) {
  const req = request(ctx.app)
    .post(`${API}/payments/webhook`)
    .set('Content-Type', 'application/json; charset=utf-8');
  if (webhook.signature) req.set('Stripe-Signature', webhook.signature);
  return req.send(webhook.payload);
}

/** The intent as Stripe would send it in an event, after moving it to `status` at the fake. */
export function intentEvent(
  fake: FakeStripe,
  secret: string,
  type: string,
  intentId: string,
  options: { amountReceived?: number; id?: string } = {},
): SignedWebhook {
  const status =
    type === 'payment_intent.succeeded'
      ? 'succeeded'
      : type === 'payment_intent.canceled'
        ? 'canceled'
        : type === 'payment_intent.processing'
          ? 'processing'
          : 'requires_payment_method';
  const intent = fake.setIntentStatus(intentId, status, { amountReceived: options.amountReceived });
  return signedEvent(secret, type, structuredClone(intent), { id: options.id });
}
