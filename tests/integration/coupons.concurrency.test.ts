import request from 'supertest';
import { API, bearer, register, registerAdmin, type TestUser } from '../helpers/auth';
import { createProduct } from '../helpers/catalogue-fixtures';
import { SHIPPING_ADDRESS as address } from '../helpers/orders';
import { createTestContext, type TestContext } from '../helpers/test-app';

// Real parallel HTTP orders racing for one coupon; the invariants are checked in PostgreSQL afterwards.
let ctx: TestContext;
let admin: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
});

beforeEach(async () => {
  await ctx.reset();
  admin = await registerAdmin(ctx);
});

afterAll(async () => {
  await ctx.close();
});

async function createCoupon(body: object): Promise<number> {
  const res = await request(ctx.app).post(`${API}/coupons`).set(bearer(admin.token)).send(body);
  if (res.status !== 201) throw new Error(`coupon failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.id as number;
}

const order = (user: TestUser, productId: number, couponCode: string) =>
  request(ctx.app)
    .post(`${API}/orders`)
    .set(bearer(user.token))
    .send({ shippingAddress: address, items: [{ productId, quantity: 1 }], couponCode });

function expectOnlyExhausted(losers: request.Response[]): void {
  for (const loser of losers) {
    expect({ status: loser.status, code: loser.body.code }).toEqual({
      status: 422,
      code: 'COUPON_EXHAUSTED',
    });
  }
}

test('usage limit 5, 30 customers ordering at once → exactly 5 orders with it, every loser 422 COUPON_EXHAUSTED', async () => {
  const product = await createProduct(ctx, { price: '20.00', stock: 100 });
  const couponId = await createCoupon({ code: 'FLASH5', type: 'PERCENTAGE', value: 25, usageLimit: 5 });
  const buyers: TestUser[] = [];
  for (let i = 0; i < 30; i++) buyers.push(await register(ctx.app));

  const answers = await Promise.all(buyers.map((buyer) => order(buyer, product.id, 'FLASH5')));

  const winners = answers.filter((answer) => answer.status === 201);
  expect(winners).toHaveLength(5);
  for (const winner of winners) expect(winner.body.data).toMatchObject({ couponCode: 'FLASH5', discount: 5 });
  expectOnlyExhausted(answers.filter((answer) => answer.status !== 201));

  const prisma = ctx.container.prisma;
  expect((await prisma.coupon.findUniqueOrThrow({ where: { id: couponId } })).usageCount).toBe(5);
  const rows = await prisma.couponRedemption.findMany({ where: { couponId } });
  expect(rows).toHaveLength(5);
  expect(rows.every((row) => row.releasedAt === null)).toBe(true);
  const orders = await prisma.order.findMany({ select: { id: true, couponId: true } });
  expect(orders).toHaveLength(5);
  expect(orders.every((row) => row.couponId === couponId)).toBe(true);
  expect(new Set(rows.map((row) => row.orderId))).toEqual(new Set(orders.map((row) => row.id)));
  expect((await prisma.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(95);
}, 120_000);

test('one-per-customer: 10 parallel orders by one customer → exactly 1 with the coupon', async () => {
  const product = await createProduct(ctx, { price: '20.00', stock: 100 });
  const couponId = await createCoupon({
    code: 'JUSTONCE',
    type: 'FIXED_AMOUNT',
    value: 3,
    onePerCustomer: true,
  });
  const buyer = await register(ctx.app);

  const answers = await Promise.all(Array.from({ length: 10 }, () => order(buyer, product.id, 'JUSTONCE')));

  expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
  expectOnlyExhausted(answers.filter((answer) => answer.status !== 201));

  const prisma = ctx.container.prisma;
  expect((await prisma.coupon.findUniqueOrThrow({ where: { id: couponId } })).usageCount).toBe(1);
  expect(await prisma.couponRedemption.findMany({ where: { couponId } })).toEqual([
    expect.objectContaining({ userId: buyer.id, exclusiveUserId: buyer.id, releasedAt: null }),
  ]);
  expect(await prisma.order.count()).toBe(1);
  expect((await prisma.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(99);
}, 120_000);
