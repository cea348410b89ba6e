import request from 'supertest';
import { API, bearer, expectError, register, registerAdmin, type TestUser } from '../helpers/auth';
import { jobContext } from '../../src/common/request-context';
import { Pool } from 'pg';
import { createDatabase } from '../../src/lib/prisma';
import { CouponRepository } from '../../src/modules/coupons/coupons.repository';
import { createProduct } from '../helpers/catalogue-fixtures';
import { SHIPPING_ADDRESS as address } from '../helpers/orders';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;
let admin: TestUser;
let buyer: TestUser;

const DAY = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

const createCoupon = (body: object, user = admin) =>
  request(ctx.app).post(`${API}/coupons`).set(bearer(user.token)).send(body);

async function coupon(body: object): Promise<{ id: number; code: string }> {
  const res = await createCoupon(body);
  if (res.status !== 201) throw new Error(`coupon failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

const place = (user: TestUser, productId: number, quantity: number, couponCode?: string) =>
  request(ctx.app)
    .post(`${API}/orders`)
    .set(bearer(user.token))
    .send({ shippingAddress: address, items: [{ productId, quantity }], couponCode });

const cancel = (orderId: string, user = buyer) =>
  request(ctx.app).post(`${API}/orders/${orderId}/cancel`).set(bearer(user.token)).send({});

async function couponAudits(id: number): Promise<string[]> {
  const rows = await ctx.container.prisma.auditLog.findMany({
    where: { entityType: 'coupon', entityId: String(id) },
    orderBy: { id: 'asc' },
  });
  return rows.map((row) => row.action);
}

const storedCoupon = (id: number) => ctx.container.prisma.coupon.findUniqueOrThrow({ where: { id } });
const redemptions = (couponId: number) =>
  ctx.container.prisma.couponRedemption.findMany({ where: { couponId }, orderBy: { id: 'asc' } });

beforeAll(async () => {
  ctx = await createTestContext();
});

beforeEach(async () => {
  await ctx.reset();
  admin = await registerAdmin(ctx);
  buyer = await register(ctx.app);
});

afterAll(async () => {
  await ctx.close();
});

describe('admin CRUD /coupons', () => {
  it('creates a coupon with a normalised code and 2-decimal money, audited; reads it back', async () => {
    const res = await createCoupon({
      code: '  summer-sale_26 ',
      description: 'Summer',
      type: 'FIXED_AMOUNT',
      value: 12.5,
      minSubtotal: 50,
      maxDiscount: 12.5,
      startsAt: '2026-06-01T00:00:00Z',
      expiresAt: '2026-09-01T00:00:00+02:00',
      usageLimit: 100,
    });
    expect(res.status).toBe(201);
    const created = res.body.data;
    expect(created).toEqual({
      id: expect.any(Number),
      code: 'SUMMER-SALE_26',
      description: 'Summer',
      type: 'FIXED_AMOUNT',
      value: 12.5,
      minSubtotal: 50,
      maxDiscount: 12.5,
      startsAt: '2026-06-01T00:00:00.000Z',
      expiresAt: '2026-08-31T22:00:00.000Z',
      usageLimit: 100,
      usageCount: 0,
      onePerCustomer: false,
      isActive: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const row = await storedCoupon(created.id);
    expect(row.value.toFixed(2)).toBe('12.50');
    expect(row.code).toBe('SUMMER-SALE_26');
    expect(await couponAudits(created.id)).toEqual(['coupon.created']);

    const read = await request(ctx.app).get(`${API}/coupons/${created.id}`).set(bearer(admin.token));
    expect(read.status).toBe(200);
    expect(read.body.data).toEqual(created);
  });

  it('defaults: no limits, active, not one-per-customer', async () => {
    const res = await createCoupon({ code: 'TEN', type: 'PERCENTAGE', value: 10 });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      code: 'TEN',
      value: 10,
      description: null,
      minSubtotal: null,
      maxDiscount: null,
      startsAt: null,
      expiresAt: null,
      usageLimit: null,
      onePerCustomer: false,
      isActive: true,
    });
  });

  it('lists newest first in the list shape, with ?q and ?isActive', async () => {
    const a = await coupon({ code: 'ALPHA10', type: 'PERCENTAGE', value: 10, description: 'Spring promo' });
    const b = await coupon({ code: 'BETA5', type: 'FIXED_AMOUNT', value: 5, isActive: false });
    const c = await coupon({ code: 'GAMMA', type: 'FIXED_AMOUNT', value: 1 });
    const list = (query: string) => request(ctx.app).get(`${API}/coupons${query}`).set(bearer(admin.token));

    const all = await list('');
    expect(all.status).toBe(200);
    expect(all.body.data).toMatchObject({ total: 3, skip: 0, limit: 30 });
    expect(all.body.data.coupons.map((x: { id: number }) => x.id)).toEqual([c.id, b.id, a.id]);

    const page = await list('?skip=1&limit=1');
    expect(page.body.data).toMatchObject({ total: 3, skip: 1, limit: 1 });
    expect(page.body.data.coupons.map((x: { id: number }) => x.id)).toEqual([b.id]);

    const byCode = await list('?q=beta');
    expect(byCode.body.data.coupons.map((x: { id: number }) => x.id)).toEqual([b.id]);
    const byDescription = await list('?q=SPRING');
    expect(byDescription.body.data.coupons.map((x: { id: number }) => x.id)).toEqual([a.id]);
    const active = await list('?isActive=true');
    expect(active.body.data.total).toBe(2);
    const inactive = await list('?isActive=false');
    expect(inactive.body.data.coupons.map((x: { id: number }) => x.id)).toEqual([b.id]);

    expectError(await list('?limit=101'), 400, 'VALIDATION_ERROR');
    expectError(await list('?isActive=maybe'), 400, 'VALIDATION_ERROR');
  });

  it('updates partially, re-checking the stored fields, audited with the changes', async () => {
    const created = await coupon({
      code: 'FIX20',
      type: 'FIXED_AMOUNT',
      value: 20,
      startsAt: inDays(-1),
    });
    const put = (body: object) =>
      request(ctx.app).put(`${API}/coupons/${created.id}`).set(bearer(admin.token)).send(body);

    const res = await put({ value: 15.25, usageLimit: 3, code: 'fix15', onePerCustomer: true });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      code: 'FIX15',
      type: 'FIXED_AMOUNT',
      value: 15.25,
      usageLimit: 3,
      onePerCustomer: true,
    });

    // A type change is checked against the stored value, a new expiresAt against the stored startsAt.
    await put({ value: 150 });
    const tooManyPercent = expectError(await put({ type: 'PERCENTAGE' }), 400, 'VALIDATION_ERROR');
    expect(tooManyPercent.details).toEqual({ value: ['A percentage must be at most 100'] });
    expectError(await put({ expiresAt: inDays(-2) }), 400, 'VALIDATION_ERROR');
    expectError(await put({}), 400, 'VALIDATION_ERROR');
    expect((await put({ type: 'PERCENTAGE', value: 100 })).body.data).toMatchObject({
      type: 'PERCENTAGE',
      value: 100,
    });
    expect((await put({ usageLimit: null, startsAt: null })).body.data).toMatchObject({
      usageLimit: null,
      startsAt: null,
    });

    const logs = await ctx.container.prisma.auditLog.findMany({
      where: { entityType: 'coupon', entityId: String(created.id) },
      orderBy: { id: 'asc' },
    });
    expect(logs.map((log) => log.action)).toEqual([
      'coupon.created',
      'coupon.updated',
      'coupon.updated',
      'coupon.updated',
      'coupon.updated',
    ]);
    expect(logs[1]!.actorId).toBe(admin.id);
    expect(logs[1]!.metadata).toEqual({
      changes: {
        code: { from: 'FIX20', to: 'FIX15' },
        value: { from: 20, to: 15.25 },
        usageLimit: { from: null, to: 3 },
        onePerCustomer: { from: false, to: true },
      },
    });
  });

  it('DELETE deactivates (audited, idempotent): orders placed with it stay intact, new checkouts are refused', async () => {
    const product = await createProduct(ctx, { price: '40.00', stock: 10 });
    const created = await coupon({ code: 'GONE', type: 'PERCENTAGE', value: 10 });
    const order = await place(buyer, product.id, 1, 'GONE');
    expect(order.status).toBe(201);

    const res = await request(ctx.app).delete(`${API}/coupons/${created.id}`).set(bearer(admin.token));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: created.id, code: 'GONE', isActive: false, usageCount: 1 });
    const again = await request(ctx.app).delete(`${API}/coupons/${created.id}`).set(bearer(admin.token));
    expect(again.status).toBe(200);
    expect(await couponAudits(created.id)).toEqual([
      'coupon.created',
      'coupon.deactivated',
      'coupon.deactivated',
    ]);

    const kept = await request(ctx.app).get(`${API}/orders/${order.body.data.id}`).set(bearer(buyer.token));
    expect(kept.body.data).toMatchObject({ couponCode: 'GONE', discount: 4 });
    const row = await ctx.container.prisma.order.findUniqueOrThrow({ where: { id: order.body.data.id } });
    expect(row.couponId).toBe(created.id);
    expectError(await place(buyer, product.id, 1, 'GONE'), 422, 'COUPON_INVALID');
  });

  it('validates every field (400 with the field named)', async () => {
    const cases: Array<[object, string]> = [
      [{ code: 'P0', type: 'PERCENTAGE', value: 10 }, 'code'],
      [{ code: 'HAS SPACE', type: 'PERCENTAGE', value: 10 }, 'code'],
      [{ code: 'X'.repeat(33), type: 'PERCENTAGE', value: 10 }, 'code'],
      [{ code: 'ZERO', type: 'PERCENTAGE', value: 0 }, 'value'],
      [{ code: 'OVER', type: 'PERCENTAGE', value: 100.01 }, 'value'],
      [{ code: 'NEG', type: 'FIXED_AMOUNT', value: -1 }, 'value'],
      [{ code: 'FREE', type: 'FIXED_AMOUNT', value: 0 }, 'value'],
      [{ code: 'CENTS', type: 'FIXED_AMOUNT', value: 1.005 }, 'value'],
      [{ code: 'HUGE', type: 'FIXED_AMOUNT', value: 1e13 }, 'value'],
      [{ code: 'EXPONENT', type: 'FIXED_AMOUNT', value: 1e21 }, 'value'],
      [{ code: 'MAXEXP', type: 'PERCENTAGE', value: 5, maxDiscount: 1e300 }, 'maxDiscount'],
      [{ code: 'TEXT', type: 'FIXED_AMOUNT', value: '5' }, 'value'],
      [{ code: 'KIND', type: 'BOGO', value: 5 }, 'type'],
      [{ code: 'MINS', type: 'FIXED_AMOUNT', value: 5, minSubtotal: -1 }, 'minSubtotal'],
      [{ code: 'MAXD', type: 'PERCENTAGE', value: 5, maxDiscount: 0 }, 'maxDiscount'],
      [{ code: 'LIM0', type: 'PERCENTAGE', value: 5, usageLimit: 0 }, 'usageLimit'],
      [{ code: 'LIMF', type: 'PERCENTAGE', value: 5, usageLimit: 1.5 }, 'usageLimit'],
      [{ code: 'LIMB', type: 'PERCENTAGE', value: 5, usageLimit: 2 ** 31 }, 'usageLimit'],
      [{ code: 'DATE', type: 'PERCENTAGE', value: 5, startsAt: 'tomorrow' }, 'startsAt'],
      [
        {
          code: 'WINDOW',
          type: 'PERCENTAGE',
          value: 5,
          startsAt: '2026-12-10T00:00:00Z',
          expiresAt: '2026-12-10T00:00:00Z',
        },
        'expiresAt',
      ],
      [{ code: 'ONE', type: 'PERCENTAGE', value: 5, onePerCustomer: 'yes' }, 'onePerCustomer'],
      [{ type: 'PERCENTAGE', value: 5 }, 'code'],
    ];
    for (const [body, field] of cases) {
      const error = expectError(await createCoupon(body), 400, 'VALIDATION_ERROR');
      expect(Object.keys(error.details as object)).toContain(field);
    }
    expect(await ctx.container.prisma.coupon.count()).toBe(0);
    const boundary = await createCoupon({
      code: 'ALL',
      type: 'PERCENTAGE',
      value: 100,
      usageLimit: 2 ** 31 - 1,
    });
    expect(boundary.status).toBe(201);
  });

  it('refuses a duplicate code in any case (409), also on rename', async () => {
    const first = await coupon({ code: 'WELCOME', type: 'PERCENTAGE', value: 10 });
    const other = await coupon({ code: 'OTHER', type: 'PERCENTAGE', value: 10 });
    expectError(
      await createCoupon({ code: ' welcome ', type: 'FIXED_AMOUNT', value: 5 }),
      409,
      'COUPON_EXISTS',
    );
    const rename = await request(ctx.app)
      .put(`${API}/coupons/${other.id}`)
      .set(bearer(admin.token))
      .send({ code: 'Welcome' });
    expectError(rename, 409, 'COUPON_EXISTS');
    expect(await ctx.container.prisma.coupon.count()).toBe(2);
    expect((await storedCoupon(first.id)).type).toBe('PERCENTAGE');
    expect(await couponAudits(other.id)).toEqual(['coupon.created']);
  });

  it('401 anonymous, 403 customer, 404 unknown, 400 bad id on every route', async () => {
    const created = await coupon({ code: 'GUARDED', type: 'PERCENTAGE', value: 10 });
    const routes: Array<[method: 'get' | 'post' | 'put' | 'delete', path: string]> = [
      ['get', '/coupons'],
      ['get', `/coupons/${created.id}`],
      ['post', '/coupons'],
      ['put', `/coupons/${created.id}`],
      ['delete', `/coupons/${created.id}`],
    ];
    for (const [method, path] of routes) {
      const body =
        method === 'post' || method === 'put' ? { code: 'NEWCODE', type: 'PERCENTAGE', value: 5 } : undefined;
      expectError(await request(ctx.app)[method](`${API}${path}`).send(body), 401, 'UNAUTHORIZED');
      expectError(
        await request(ctx.app)[method](`${API}${path}`).set(bearer(buyer.token)).send(body),
        403,
        'FORBIDDEN',
      );
    }
    for (const method of ['get', 'put', 'delete'] as const) {
      const send = method === 'put' ? { value: 5 } : undefined;
      expectError(
        await request(ctx.app)[method](`${API}/coupons/999999`).set(bearer(admin.token)).send(send),
        404,
        'COUPON_NOT_FOUND',
      );
      expectError(
        await request(ctx.app)[method](`${API}/coupons/1abc`).set(bearer(admin.token)).send(send),
        400,
        'VALIDATION_ERROR',
      );
    }
    expect(await storedCoupon(created.id)).toMatchObject({ code: 'GUARDED', isActive: true });
    expect(await ctx.container.prisma.coupon.count()).toBe(1);
  });
});

describe('checkout with a coupon', () => {
  it('percentage: discount on the subtotal, tax on the discounted subtotal, stored on the order; any case', async () => {
    const product = await createProduct(ctx, { price: '40.00', stock: 10 });
    const created = await coupon({ code: 'SAVE10', type: 'PERCENTAGE', value: 10 });
    const res = await place(buyer, product.id, 2, '  save10 ');
    expect(res.status).toBe(201);
    // 80.00 − 8.00 = 72.00; tax 8 % of 72.00 = 5.76; shipping 9.99 below 100.00.
    expect(res.body.data).toMatchObject({
      subtotal: 80,
      discount: 8,
      tax: 5.76,
      shipping: 9.99,
      total: 87.75,
      couponCode: 'SAVE10',
    });
    const order = await ctx.container.prisma.order.findUniqueOrThrow({ where: { id: res.body.data.id } });
    expect(order.couponId).toBe(created.id);
    expect(order.couponCode).toBe('SAVE10');
    expect([order.subtotal, order.discount, order.tax, order.total].map((d) => d.toFixed(2))).toEqual([
      '80.00',
      '8.00',
      '5.76',
      '87.75',
    ]);
    expect((await storedCoupon(created.id)).usageCount).toBe(1);
    expect(await redemptions(created.id)).toEqual([
      expect.objectContaining({
        orderId: order.id,
        userId: buyer.id,
        exclusiveUserId: null,
        releasedAt: null,
      }),
    ]);
  });

  it('percentage with maxDiscount: the discount is capped', async () => {
    const product = await createProduct(ctx, { price: '40.00', stock: 10 });
    await coupon({ code: 'HALF', type: 'PERCENTAGE', value: 50, maxDiscount: 15 });
    const res = await place(buyer, product.id, 2, 'HALF');
    expect(res.status).toBe(201);
    // 80.00 − 15.00 = 65.00; tax 5.20; shipping 9.99.
    expect(res.body.data).toMatchObject({
      subtotal: 80,
      discount: 15,
      tax: 5.2,
      shipping: 9.99,
      total: 80.19,
    });
  });

  it('fixed amount: taken off the subtotal, never below 0', async () => {
    const product = await createProduct(ctx, { price: '40.00', stock: 10 });
    await coupon({ code: 'MINUS25', type: 'FIXED_AMOUNT', value: 25 });
    await coupon({ code: 'MINUS500', type: 'FIXED_AMOUNT', value: 500 });
    const some = await place(buyer, product.id, 2, 'MINUS25');
    expect(some.status).toBe(201);
    // 80.00 − 25.00 = 55.00; tax 4.40; shipping 9.99.
    expect(some.body.data).toMatchObject({
      subtotal: 80,
      discount: 25,
      tax: 4.4,
      shipping: 9.99,
      total: 69.39,
    });

    const all = await place(buyer, product.id, 1, 'MINUS500');
    expect(all.status).toBe(201);
    expect(all.body.data).toMatchObject({ subtotal: 40, discount: 40, tax: 0, shipping: 9.99, total: 9.99 });
  });

  it('minimum subtotal: below it 422 COUPON_MIN_SUBTOTAL and nothing changes; at it the coupon applies', async () => {
    const product = await createProduct(ctx, { price: '40.00', stock: 10 });
    const created = await coupon({ code: 'BIG', type: 'FIXED_AMOUNT', value: 10, minSubtotal: 80 });
    const refused = expectError(await place(buyer, product.id, 1, 'BIG'), 422, 'COUPON_MIN_SUBTOTAL');
    expect(refused.details).toEqual({ minSubtotal: 80, subtotal: 40 });
    expect(await ctx.container.prisma.order.count()).toBe(0);
    expect((await ctx.container.prisma.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(
      10,
    );
    expect((await storedCoupon(created.id)).usageCount).toBe(0);

    const accepted = await place(buyer, product.id, 2, 'BIG');
    expect(accepted.status).toBe(201);
    expect(accepted.body.data).toMatchObject({ subtotal: 80, discount: 10 });
  });

  it('expired and not yet started: 422 COUPON_EXPIRED', async () => {
    const product = await createProduct(ctx, { price: '40.00', stock: 10 });
    await coupon({
      code: 'OLD',
      type: 'PERCENTAGE',
      value: 10,
      startsAt: inDays(-10),
      expiresAt: inDays(-1),
    });
    await coupon({ code: 'SOON', type: 'PERCENTAGE', value: 10, startsAt: inDays(1) });
    await coupon({ code: 'NOW', type: 'PERCENTAGE', value: 10, startsAt: inDays(-1), expiresAt: inDays(1) });
    expect(expectError(await place(buyer, product.id, 1, 'OLD'), 422, 'COUPON_EXPIRED').message).toBe(
      'This coupon has expired',
    );
    expect(expectError(await place(buyer, product.id, 1, 'soon'), 422, 'COUPON_EXPIRED').message).toBe(
      'This coupon is not valid yet',
    );
    expect((await place(buyer, product.id, 1, 'NOW')).status).toBe(201);
    expect(await ctx.container.prisma.order.count()).toBe(1);
  });

  it('inactive and unknown: 422 COUPON_INVALID', async () => {
    const product = await createProduct(ctx, { price: '40.00', stock: 10 });
    await coupon({ code: 'PAUSED', type: 'PERCENTAGE', value: 10, isActive: false });
    expectError(await place(buyer, product.id, 1, 'PAUSED'), 422, 'COUPON_INVALID');
    expectError(await place(buyer, product.id, 1, 'NO-SUCH-CODE'), 422, 'COUPON_INVALID');
    expectError(await place(buyer, product.id, 1, 'ü∆ weird'), 422, 'COUPON_INVALID');
    expect(await ctx.container.prisma.order.count()).toBe(0);
    expect(await ctx.container.prisma.couponRedemption.count()).toBe(0);
  });

  it('used up: 422 COUPON_EXHAUSTED; a cancelled order gives its use back', async () => {
    const product = await createProduct(ctx, { price: '40.00', stock: 10 });
    const other = await register(ctx.app);
    const created = await coupon({ code: 'ONCE', type: 'FIXED_AMOUNT', value: 5, usageLimit: 1 });
    const first = await place(buyer, product.id, 1, 'ONCE');
    expect(first.status).toBe(201);
    expectError(await place(other, product.id, 1, 'ONCE'), 422, 'COUPON_EXHAUSTED');
    expect((await storedCoupon(created.id)).usageCount).toBe(1);

    expect((await cancel(first.body.data.id)).status).toBe(200);
    expect((await storedCoupon(created.id)).usageCount).toBe(0);
    const second = await place(other, product.id, 1, 'ONCE');
    expect(second.status).toBe(201);
    expect((await storedCoupon(created.id)).usageCount).toBe(1);
    const rows = await redemptions(created.id);
    expect(rows).toEqual([
      expect.objectContaining({ orderId: first.body.data.id, releasedAt: expect.any(Date) }),
      expect.objectContaining({ orderId: second.body.data.id, userId: other.id, releasedAt: null }),
    ]);
  });

  it('one per customer: the same customer is refused, another is not; cancelling frees the customer again', async () => {
    const product = await createProduct(ctx, { price: '40.00', stock: 10 });
    const other = await register(ctx.app);
    const created = await coupon({ code: 'FIRST', type: 'PERCENTAGE', value: 20, onePerCustomer: true });
    const first = await place(buyer, product.id, 1, 'FIRST');
    expect(first.status).toBe(201);
    const again = expectError(await place(buyer, product.id, 1, 'first'), 422, 'COUPON_EXHAUSTED');
    expect(again.message).toBe('You have already used this coupon');
    expect((await place(other, product.id, 1, 'FIRST')).status).toBe(201);
    expect((await storedCoupon(created.id)).usageCount).toBe(2);
    expect((await redemptions(created.id)).map((row) => row.exclusiveUserId)).toEqual([buyer.id, other.id]);

    expect((await cancel(first.body.data.id)).status).toBe(200);
    const rows = await redemptions(created.id);
    expect(rows[0]).toMatchObject({ userId: buyer.id, exclusiveUserId: null, releasedAt: expect.any(Date) });
    expect((await place(buyer, product.id, 1, 'FIRST')).status).toBe(201);
    expect((await storedCoupon(created.id)).usageCount).toBe(2);
    expect(await ctx.container.prisma.couponRedemption.count({ where: { couponId: created.id } })).toBe(3);
  });

  it('a cancelled order gives its use back exactly once (usage_count and the redemption row)', async () => {
    const product = await createProduct(ctx, { price: '40.00', stock: 10 });
    const created = await coupon({ code: 'BACK', type: 'PERCENTAGE', value: 10, usageLimit: 10 });
    const kept = await place(buyer, product.id, 1, 'BACK');
    const cancelled = await place(buyer, product.id, 1, 'BACK');
    expect((await storedCoupon(created.id)).usageCount).toBe(2);

    expect((await cancel(cancelled.body.data.id)).status).toBe(200);
    expectError(await cancel(cancelled.body.data.id), 422, 'ORDER_CANNOT_CANCEL');
    expect((await storedCoupon(created.id)).usageCount).toBe(1);
    const rows = await redemptions(created.id);
    expect(rows).toEqual([
      expect.objectContaining({ orderId: kept.body.data.id, releasedAt: null }),
      expect.objectContaining({ orderId: cancelled.body.data.id, releasedAt: expect.any(Date) }),
    ]);
    // Released again through the service (e.g. a second cancel path): nothing changes.
    await ctx.container.prisma.$transaction((tx) =>
      ctx.container.services.coupons.releaseForOrder(tx, cancelled.body.data.id),
    );
    expect((await storedCoupon(created.id)).usageCount).toBe(1);
    const order = await ctx.container.prisma.order.findUniqueOrThrow({
      where: { id: cancelled.body.data.id },
    });
    expect(order).toMatchObject({ status: 'CANCELLED', couponCode: 'BACK' });
    expect(order.discount.toFixed(2)).toBe('4.00');
  });
});

describe('unpaid order expiry', () => {
  it('gives back the uses of the orders it cancels, in one pass', async () => {
    const product = await createProduct(ctx, { price: '40.00', stock: 10 });
    const other = await register(ctx.app);
    const created = await coupon({
      code: 'LATE',
      type: 'PERCENTAGE',
      value: 10,
      usageLimit: 2,
      onePerCustomer: true,
    });
    const first = await place(buyer, product.id, 1, 'LATE');
    const second = await place(other, product.id, 1, 'LATE');
    await ctx.container.prisma.order.updateMany({
      where: { id: { in: [first.body.data.id, second.body.data.id] } },
      data: { createdAt: new Date(Date.now() - 31 * 60_000) },
    });
    expect(await ctx.container.services.orders.expireUnpaidOrders(jobContext('expiry'))).toEqual({
      cancelled: 2,
    });

    expect((await storedCoupon(created.id)).usageCount).toBe(0);
    const rows = await redemptions(created.id);
    expect(rows).toHaveLength(2);
    for (const row of rows)
      expect(row).toMatchObject({ exclusiveUserId: null, releasedAt: expect.any(Date) });
    expect((await place(buyer, product.id, 1, 'LATE')).status).toBe(201);
  });
});

describe('the redeem guard in SQL', () => {
  it('compares the validity window in UTC whatever the session time zone', async () => {
    // Embedded development databases run in the machine's local zone; the columns hold UTC.
    const pool = new Pool({
      connectionString: ctx.container.endpoints.databaseUrl,
      max: 1,
      options: '-c TimeZone=America/New_York',
    });
    const database = createDatabase({ url: ctx.container.endpoints.databaseUrl, poolSize: 1, pool });
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    const started = await coupon({ code: 'STARTED', type: 'PERCENTAGE', value: 10, startsAt: hourAgo });
    const expired = await coupon({ code: 'LAPSED', type: 'PERCENTAGE', value: 10 });
    await ctx.container.prisma.coupon.update({ where: { id: expired.id }, data: { expiresAt: hourAgo } });
    const product = await createProduct(ctx, { stock: 5 });
    const order = (await place(buyer, product.id, 1)).body.data as { id: string };
    const repository = new CouponRepository(database.prisma);
    const redeem = (couponId: number) =>
      database.prisma.$transaction((tx) =>
        repository.redeem(tx, { couponId, userId: buyer.id, orderId: order.id }),
      );
    try {
      expect(await redeem(expired.id)).toBe(false);
      expect(await redeem(started.id)).toBe(true);
    } finally {
      await database.close();
    }
  });
});

describe('OpenAPI', () => {
  it('documents the coupon routes with their error responses', async () => {
    const res = await request(ctx.app).get(`${API}/openapi.json`);
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    expect(Object.keys(paths['/api/v1/coupons']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/v1/coupons/{id}']!).sort()).toEqual(['delete', 'get', 'put']);
    expect(Object.keys(paths['/api/v1/coupons']!.post!.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '409']),
    );
    expect(Object.keys(paths['/api/v1/coupons/{id}']!.put!.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '409']),
    );
    expect(res.body.components.schemas).toHaveProperty('Coupon');
  });
});
