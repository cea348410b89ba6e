import request from 'supertest';
import { API, bearer, expectError, register, registerAdmin, type TestUser } from '../helpers/auth';
import { createProduct } from '../helpers/catalogue-fixtures';
import { startFakeStripe, webhookSecret, type FakeStripe } from '../helpers/fake-stripe';
import {
  moveOrderTo,
  orderItems,
  payThenRefundPart,
  placedAt,
  type PlacedOrder,
} from '../helpers/order-flows';
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
    LOW_STOCK_THRESHOLD: '5',
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

const stats = (query: Record<string, string> = {}, user: TestUser = admin) =>
  request(ctx.app).get(`${API}/orders/admin/stats`).query(query).set(bearer(user.token));

/** Sums of major amounts in cents, back to a 2-decimal number (what the API must return). */
const sum = (...amounts: number[]) =>
  amounts.reduce((total, amount) => total + Math.round(amount * 100), 0) / 100;

const NOVEMBER = { from: '2026-11-01', to: '2026-11-03' };

describe('GET /orders/admin/stats', () => {
  /**
   * Three products (A 10.00, B 25.00, C 30.00) and orders placed through HTTP, moved by the admin:
   *   Nov 1: o1 A×2 PAID, o2 A×1 + B×1 DELIVERED      Nov 2: nothing
   *   Nov 3: o3 A×3 PENDING, o4 B×2 CANCELLED, o5 B×4 REFUNDED, o6 C×1 SHIPPED
   *   outside the range: o7 (Oct 31, 23:59:59.999) and o8 (Nov 4, 00:00) both PAID
   */
  async function novemberOrders() {
    const [a, b, c] = await Promise.all([
      createProduct(ctx, { title: 'Alpha', price: '10.00', stock: 100 }),
      createProduct(ctx, { title: 'Bravo', price: '25.00', stock: 100 }),
      createProduct(ctx, { title: 'Charlie', price: '30.00', stock: 100 }),
    ]);
    const place = async (
      items: Array<[number, number]>,
      status: Parameters<typeof moveOrderTo>[3],
      at: string,
    ): Promise<PlacedOrder> => {
      const order = await orderItems(
        ctx,
        buyer,
        items.map(([productId, quantity]) => ({ productId, quantity })),
      );
      await moveOrderTo(ctx, admin, order.id, status);
      await placedAt(ctx, order.id, at);
      return order;
    };
    const o1 = await place([[a.id, 2]], 'PAID', '2026-11-01T00:00:00.000Z');
    const o2 = await place(
      [
        [a.id, 1],
        [b.id, 1],
      ],
      'DELIVERED',
      '2026-11-01T23:59:59.999Z',
    );
    const o3 = await place([[a.id, 3]], 'PENDING', '2026-11-03T08:00:00.000Z');
    const o4 = await place([[b.id, 2]], 'CANCELLED', '2026-11-03T09:00:00.000Z');
    const o5 = await place([[b.id, 4]], 'REFUNDED', '2026-11-03T10:00:00.000Z');
    const o6 = await place([[c.id, 1]], 'SHIPPED', '2026-11-03T23:59:59.999Z');
    await place([[a.id, 5]], 'PAID', '2026-10-31T23:59:59.999Z');
    await place([[b.id, 5]], 'PAID', '2026-11-04T00:00:00.000Z');
    return { a, b, c, o1, o2, o3, o4, o5, o6 };
  }

  it('counts by status (every status, 0s included), revenue and AOV over paid-and-later orders only', async () => {
    const { o1, o2, o6 } = await novemberOrders();
    const res = await stats(NOVEMBER);
    expect(res.status).toBe(200);
    const data = res.body.data;
    expect(data).toMatchObject({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-03T23:59:59.999Z',
      granularity: 'day',
      currency: 'USD',
      totalOrders: 6,
      ordersByStatus: {
        PENDING: 1,
        PAID: 1,
        PROCESSING: 0,
        SHIPPED: 1,
        DELIVERED: 1,
        CANCELLED: 1,
        REFUNDED: 1,
      },
    });
    // Pending, cancelled and refunded money is not revenue.
    const revenue = sum(o1.total, o2.total, o6.total);
    expect(data.revenue).toBe(revenue);
    expect(data.averageOrderValue).toBe(Math.round((revenue * 100) / 3) / 100);
  });

  it('fills the revenue series day by day in UTC, the empty day as 0', async () => {
    const { o1, o2, o6 } = await novemberOrders();
    const res = await stats(NOVEMBER);
    expect(res.body.data.revenueSeries).toEqual([
      { period: '2026-11-01', orders: 2, revenue: sum(o1.total, o2.total) },
      { period: '2026-11-02', orders: 0, revenue: 0 },
      { period: '2026-11-03', orders: 1, revenue: o6.total },
    ]);
  });

  it('ranks top products by units sold then revenue, from the lines of paid-and-later orders', async () => {
    const { a, b, c } = await novemberOrders();
    // A title changed after the sales: the ranking shows the title on its latest order line.
    await ctx.container.prisma.product.update({ where: { id: a.id }, data: { title: 'Alpha (renamed)' } });
    const res = await stats(NOVEMBER);
    expect(res.body.data.topProducts).toEqual([
      { productId: a.id, title: 'Alpha', unitsSold: 3, revenue: 30 },
      { productId: c.id, title: 'Charlie', unitsSold: 1, revenue: 30 },
      { productId: b.id, title: 'Bravo', unitsSold: 1, revenue: 25 },
    ]);
  });

  it('groups by month with empty months filled', async () => {
    const product = await createProduct(ctx, { price: '10.00', stock: 100 });
    const september = await orderItems(ctx, buyer, [{ productId: product.id, quantity: 1 }]);
    const november = await orderItems(ctx, buyer, [{ productId: product.id, quantity: 2 }]);
    const alsoNovember = await orderItems(ctx, buyer, [{ productId: product.id, quantity: 3 }]);
    for (const order of [september, november, alsoNovember]) await moveOrderTo(ctx, admin, order.id, 'PAID');
    await placedAt(ctx, september.id, '2026-09-30T23:59:59.999Z');
    await placedAt(ctx, november.id, '2026-11-01T00:00:00.000Z');
    await placedAt(ctx, alsoNovember.id, '2026-11-30T12:00:00.000Z');

    const res = await stats({ from: '2026-09-01', to: '2026-11-30', granularity: 'month' });
    expect(res.status).toBe(200);
    expect(res.body.data.revenueSeries).toEqual([
      { period: '2026-09', orders: 1, revenue: september.total },
      { period: '2026-10', orders: 0, revenue: 0 },
      { period: '2026-11', orders: 2, revenue: sum(november.total, alsoNovember.total) },
    ]);
    expect(res.body.data.totalOrders).toBe(3);
  });

  it('takes partial refunds off revenue (the order stays PAID)', async () => {
    const product = await createProduct(ctx, { price: '40.00', stock: 10 });
    const refundedInPart = await orderItems(ctx, buyer, [{ productId: product.id, quantity: 1 }]);
    const untouched = await orderItems(ctx, buyer, [{ productId: product.id, quantity: 2 }]);
    await payThenRefundPart(ctx, fake, secret, buyer, admin, refundedInPart.id, 12.34);
    await moveOrderTo(ctx, admin, untouched.id, 'PAID');

    const data = (await stats()).body.data;
    expect(data.ordersByStatus.PAID).toBe(2);
    const revenue = sum(refundedInPart.total, -12.34, untouched.total);
    expect(data.revenue).toBe(revenue);
    expect(data.averageOrderValue).toBe(Math.round((revenue * 100) / 2) / 100);
    expect(data.revenueSeries.at(-1)).toEqual({ period: expect.any(String), orders: 2, revenue });
  });

  it('defaults to the last 30 days including today; no orders → zeros', async () => {
    const before = new Date().toISOString();
    const res = await stats();
    const after = new Date().toISOString();
    expect(res.status).toBe(200);
    const data = res.body.data;
    // `to` is the server's now; the days are counted from it (a run across midnight UTC agrees with itself).
    expect(data.to >= before && data.to <= after).toBe(true);
    const today = data.to.slice(0, 10);
    const first = new Date(Date.parse(`${today}T00:00:00.000Z`) - 29 * 86_400_000);
    expect(data.from).toBe(first.toISOString());
    expect(data.revenueSeries).toHaveLength(30);
    expect(data.revenueSeries[0].period).toBe(first.toISOString().slice(0, 10));
    expect(data.revenueSeries.at(-1).period).toBe(today);
    expect(data.revenueSeries.every((p: { orders: number }) => p.orders === 0)).toBe(true);
    expect(data).toMatchObject({ totalOrders: 0, revenue: 0, averageOrderValue: 0, topProducts: [] });
    expect(Object.values(data.ordersByStatus)).toEqual([0, 0, 0, 0, 0, 0, 0]);

    const monthly = (await stats({ granularity: 'month' })).body.data;
    expect(monthly.revenueSeries).toHaveLength(12);
    expect(monthly.revenueSeries.at(-1).period).toBe(monthly.to.slice(0, 7));
  });

  it('lists active products below LOW_STOCK_THRESHOLD, emptiest first', async () => {
    const empty = await createProduct(ctx, { stock: 0 });
    const four = await createProduct(ctx, { stock: 4 });
    const two = await createProduct(ctx, { stock: 2 });
    await createProduct(ctx, { stock: 5 });
    await createProduct(ctx, { stock: 1, isActive: false });
    await createProduct(ctx, { stock: 0, deletedAt: new Date() });

    const res = await stats();
    expect(res.body.data.lowStockThreshold).toBe(5);
    expect(res.body.data.lowStock).toEqual(
      [empty, two, four].map((p) => ({ productId: p.id, title: p.title, sku: p.sku, stock: p.stock })),
    );
  });

  it.each([
    [{ from: '2026-11-04', to: '2026-11-03' }, 'from'],
    [{ from: '2026-11-03T10:00:00.001Z', to: '2026-11-03T10:00:00Z' }, 'from'],
    [{ from: '2025-01-01', to: '2026-01-02' }, 'to'],
    [{ from: '2016-11-01', to: '2026-11-30', granularity: 'month' }, 'to'],
    [{ granularity: 'week' }, 'granularity'],
    [{ from: 'yesterday' }, 'from'],
    [{ from: '0000-01-01' }, 'from'],
    [{ to: '9999-12-31T23:00:00-05:00' }, 'to'],
  ])('%j → 400 VALIDATION_ERROR on %s', async (query, field) => {
    const body = expectError(await stats(query as Record<string, string>), 400, 'VALIDATION_ERROR');
    expect(Object.keys(body.details as object)).toContain(field);
  });

  it('accepts the longest ranges: 366 days, 120 months', async () => {
    const days = await stats({ from: '2024-01-01', to: '2024-12-31' });
    expect(days.status).toBe(200);
    expect(days.body.data.revenueSeries).toHaveLength(366);
    const months = await stats({ from: '2016-12-01', to: '2026-11-30', granularity: 'month' });
    expect(months.status).toBe(200);
    expect(months.body.data.revenueSeries).toHaveLength(120);
  });

  it('is for admins only: a customer → 403, no token → 401', async () => {
    expectError(await stats({}, buyer), 403, 'FORBIDDEN');
    expectError(await request(ctx.app).get(`${API}/orders/admin/stats`), 401, 'UNAUTHORIZED');
  });

  it('is documented in the OpenAPI document with its errors', async () => {
    const doc = (await request(ctx.app).get(`${API}/openapi.json`)).body;
    const operation = doc.paths['/api/v1/orders/admin/stats'].get;
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
  });
});
