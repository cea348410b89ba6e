import request from 'supertest';
import { API, bearer, register, registerAdmin, type TestUser } from '../helpers/auth';
import { createProduct } from '../helpers/catalogue-fixtures';
import { startFakeStripe, webhookSecret, type FakeStripe } from '../helpers/fake-stripe';
import { moveOrderTo, orderItems, payThenRefundPart } from '../helpers/order-flows';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;
let fake: FakeStripe;
let buyer: TestUser;
let admin: TestUser;
const secret = webhookSecret();

beforeAll(async () => {
  fake = await startFakeStripe();
  ctx = await createTestContext({
    ...fake.env,
    STRIPE_WEBHOOK_SECRET: secret,
    STRIPE_MAX_NETWORK_RETRIES: '0',
  });
});

beforeEach(async () => {
  await ctx.reset();
  fake.reset();
  [buyer, admin] = await Promise.all([register(ctx.app), registerAdmin(ctx)]);
});

afterAll(async () => {
  await ctx?.close();
  await fake?.close();
});

const userStats = (user: TestUser) => request(ctx.app).get(`${API}/users/stats`).set(bearer(user.token));
const sum = (...amounts: number[]) =>
  amounts.reduce((total, amount) => total + Math.round(amount * 100), 0) / 100;

describe('GET /users/stats with orders placed through POST /orders', () => {
  it('counts every order placed; totalSpent is what paid-and-later orders cost, less partial refunds', async () => {
    const product = await createProduct(ctx, { price: '19.99', stock: 100 });
    const place = (quantity: number, user = buyer) =>
      orderItems(ctx, user, [{ productId: product.id, quantity }]);

    const paid = await place(1);
    const processing = await place(2);
    const shipped = await place(3);
    const delivered = await place(6);
    const pending = await place(1);
    const cancelledUnpaid = await place(1);
    const cancelledPaid = await place(2);
    const refunded = await place(3);
    const refundedInPart = await place(4);
    await moveOrderTo(ctx, admin, paid.id, 'PAID');
    await moveOrderTo(ctx, admin, processing.id, 'PROCESSING');
    await moveOrderTo(ctx, admin, shipped.id, 'SHIPPED');
    await moveOrderTo(ctx, admin, delivered.id, 'DELIVERED');
    await moveOrderTo(ctx, admin, cancelledUnpaid.id, 'CANCELLED');
    await moveOrderTo(ctx, admin, cancelledPaid.id, 'PAID');
    await moveOrderTo(ctx, admin, cancelledPaid.id, 'CANCELLED');
    await moveOrderTo(ctx, admin, refunded.id, 'REFUNDED');
    await payThenRefundPart(ctx, fake, secret, buyer, admin, refundedInPart.id, 5.55);
    // Someone else's order never counts.
    const other = await register(ctx.app);
    const othersOrder = await place(1, other);
    await moveOrderTo(ctx, admin, othersOrder.id, 'PAID');
    const last = await place(1);

    const res = await userStats(buyer);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      totalOrders: 10,
      totalSpent: sum(
        paid.total,
        processing.total,
        shipped.total,
        delivered.total,
        refundedInPart.total,
        -5.55,
      ),
      lastOrder: {
        id: last.id,
        orderNumber: last.orderNumber,
        status: 'PENDING',
        total: last.total,
        createdAt: expect.any(String),
      },
      memberSince: expect.any(String),
    });
    expect(pending.total).toBeGreaterThan(0);
    expect((await userStats(other)).body.data).toMatchObject({
      totalOrders: 1,
      totalSpent: othersOrder.total,
      lastOrder: { id: othersOrder.id, status: 'PAID' },
    });
  });

  it('a cancel by the customer takes the order out of totalSpent at once', async () => {
    const product = await createProduct(ctx, { price: '50.00', stock: 10 });
    const order = await orderItems(ctx, buyer, [{ productId: product.id, quantity: 1 }]);
    await moveOrderTo(ctx, admin, order.id, 'PAID');
    expect((await userStats(buyer)).body.data).toMatchObject({ totalOrders: 1, totalSpent: order.total });

    const cancel = await request(ctx.app)
      .post(`${API}/orders/${order.id}/cancel`)
      .set(bearer(buyer.token))
      .send({ reason: 'Changed my mind' });
    expect(cancel.status).toBe(200);
    expect((await userStats(buyer)).body.data).toMatchObject({
      totalOrders: 1,
      totalSpent: 0,
      lastOrder: { id: order.id, status: 'CANCELLED' },
    });
  });
});
