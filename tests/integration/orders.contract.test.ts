import request from 'supertest';
import { API, bearer, expectError, register, registerAdmin, type TestUser } from '../helpers/auth';
import { addToCart, clearCart, getCart } from '../helpers/cart';
import { createProduct } from '../helpers/catalogue-fixtures';
import {
  moveOrderTo,
  orderItems,
  patchOrderStatus,
  placedAt,
  postOrder,
  stockOf,
} from '../helpers/order-flows';
import { SHIPPING_ADDRESS as shippingAddress } from '../helpers/orders';
import { createTestContext, type TestContext } from '../helpers/test-app';
import { canTransition, ORDER_STATUSES } from '../../src/modules/orders/order-status';

/**
 * The rows of the contract's § Cart and § Orders that no other file walks through HTTP: checkout from the cart
 * (and what blocks it), the whole status table's refusals, who may call what, and input the schemas must refuse.
 */
jest.setTimeout(60_000);

let ctx: TestContext;
let buyer: TestUser;
let admin: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
});

beforeEach(async () => {
  await ctx.reset();
  buyer = await register(ctx.app);
  admin = await registerAdmin(ctx);
});

afterAll(async () => {
  await ctx.close();
});

const UNKNOWN_ORDER = '7b7c5a3e-0000-4000-8000-000000000000';

describe('checkout from the cart (POST /orders without items)', () => {
  test('orders the cart lines at catalogue prices, then the cart is empty', async () => {
    const a = await createProduct(ctx, { price: '10.00', stock: 5 });
    const b = await createProduct(ctx, { price: '2.50', stock: 5 });
    expect((await addToCart(ctx.app, { user: buyer }, b.id, 2)).status).toBe(200);
    expect((await addToCart(ctx.app, { user: buyer }, a.id, 3)).status).toBe(200);

    const res = await postOrder(ctx, buyer, { shippingAddress });
    expect(res.status).toBe(201);
    expect(
      res.body.data.items.map((i: { productId: number; quantity: number }) => [i.productId, i.quantity]),
    ).toEqual([
      [a.id, 3],
      [b.id, 2],
    ]);
    expect(res.body.data.subtotal).toBe(35);
    expect([await stockOf(ctx, a.id), await stockOf(ctx, b.id)]).toEqual([2, 3]);
    const cart = await getCart(ctx.app, { user: buyer });
    expect(cart.body.data).toMatchObject({ items: [], itemCount: 0 });
  });

  test('an inactive product in the cart shows available: false and blocks checkout with 409 CART_ITEM_UNAVAILABLE', async () => {
    const kept = await createProduct(ctx, { stock: 5 });
    const retired = await createProduct(ctx, { stock: 5 });
    await addToCart(ctx.app, { user: buyer }, kept.id, 1);
    await addToCart(ctx.app, { user: buyer }, retired.id, 2);
    await ctx.container.prisma.product.update({ where: { id: retired.id }, data: { isActive: false } });

    const cart = await getCart(ctx.app, { user: buyer });
    const lines = cart.body.data.items as Array<{ productId: number; available: boolean }>;
    expect(lines.find((line) => line.productId === retired.id)?.available).toBe(false);
    expect(lines.find((line) => line.productId === kept.id)?.available).toBe(true);

    const refused = expectError(
      await postOrder(ctx, buyer, { shippingAddress }),
      409,
      'CART_ITEM_UNAVAILABLE',
    );
    expect(refused.message).toMatch(/no longer available/);
    expect(refused.details).toEqual([{ productId: retired.id }]);
    expect(await ctx.container.prisma.order.count()).toBe(0);
    expect([await stockOf(ctx, kept.id), await stockOf(ctx, retired.id)]).toEqual([5, 5]);
    // The cart is left as it was, for the customer to fix.
    expect((await getCart(ctx.app, { user: buyer })).body.data.items).toHaveLength(2);
  });

  test('a cart line over the stock left → 409 INSUFFICIENT_STOCK; nothing is written and the cart stays', async () => {
    const product = await createProduct(ctx, { stock: 5 });
    await addToCart(ctx.app, { user: buyer }, product.id, 4);
    await ctx.container.prisma.product.update({ where: { id: product.id }, data: { stock: 3 } });
    const refused = expectError(await postOrder(ctx, buyer, { shippingAddress }), 409, 'INSUFFICIENT_STOCK');
    expect(refused.details).toEqual([{ productId: product.id, requested: 4, available: 3 }]);
    expect(await ctx.container.prisma.order.count()).toBe(0);
    expect(await stockOf(ctx, product.id)).toBe(3);
    expect((await getCart(ctx.app, { user: buyer })).body.data.itemCount).toBe(4);
  });

  test('a cleared cart → 400 CART_EMPTY', async () => {
    const product = await createProduct(ctx);
    await addToCart(ctx.app, { user: buyer }, product.id, 1);
    expect((await clearCart(ctx.app, { user: buyer })).status).toBe(200);
    expectError(await postOrder(ctx, buyer, { shippingAddress }), 400, 'CART_EMPTY');
  });

  test('orders need a signed-in customer: a guest cart (session only) → 401', async () => {
    const product = await createProduct(ctx);
    const sessionId = (await addToCart(ctx.app, {}, product.id, 1)).body.data.sessionId as string;
    const res = await request(ctx.app)
      .post(`${API}/orders`)
      .set('X-Session-Id', sessionId)
      .send({ shippingAddress });
    expectError(res, 401, 'UNAUTHORIZED');
    expect(await ctx.container.prisma.order.count()).toBe(0);
  });
});

describe('the status table through PATCH /orders/:id/status', () => {
  test('every move outside the table → 422 INVALID_STATUS_TRANSITION, from every status, and nothing changes', async () => {
    const product = await createProduct(ctx, { stock: 50 });
    const failures: string[] = [];
    for (const from of ORDER_STATUSES) {
      const order = await orderItems(ctx, buyer, [{ productId: product.id, quantity: 1 }]);
      await moveOrderTo(ctx, admin, order.id, from);
      const historyBefore = await ctx.container.prisma.orderStatusHistory.count({
        where: { orderId: order.id },
      });
      const stockBefore = await stockOf(ctx, product.id);
      for (const to of ORDER_STATUSES.filter((status) => !canTransition(from, status))) {
        const res = await patchOrderStatus(ctx, admin, order.id, { status: to });
        if (res.status !== 422 || res.body.code !== 'INVALID_STATUS_TRANSITION') {
          failures.push(`${from} → ${to}: ${res.status} ${res.body.code}`);
        } else if (res.body.details.from !== from || res.body.details.to !== to) {
          failures.push(`${from} → ${to}: details ${JSON.stringify(res.body.details)}`);
        }
      }
      const row = await ctx.container.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
      if (row.status !== from) failures.push(`${from}: now ${row.status}`);
      const historyAfter = await ctx.container.prisma.orderStatusHistory.count({
        where: { orderId: order.id },
      });
      if (historyAfter !== historyBefore) failures.push(`${from}: history grew`);
      if ((await stockOf(ctx, product.id)) !== stockBefore) failures.push(`${from}: stock moved`);
    }
    expect(failures).toEqual([]);
  });

  test('the customer cancel is refused with 422 ORDER_CANNOT_CANCEL from SHIPPED, DELIVERED, CANCELLED and REFUNDED', async () => {
    const product = await createProduct(ctx, { stock: 50 });
    for (const from of ['SHIPPED', 'DELIVERED', 'CANCELLED', 'REFUNDED'] as const) {
      const order = await orderItems(ctx, buyer, [{ productId: product.id, quantity: 1 }]);
      await moveOrderTo(ctx, admin, order.id, from);
      const res = await request(ctx.app)
        .post(`${API}/orders/${order.id}/cancel`)
        .set(bearer(buyer.token))
        .send({});
      expect(expectError(res, 422, 'ORDER_CANNOT_CANCEL').details).toEqual({ status: from });
    }
  });
});

describe('who may call what', () => {
  const orderRoutes = (id: string): Array<[method: 'get' | 'post' | 'patch', path: string]> => [
    ['post', '/orders'],
    ['get', '/orders'],
    ['get', `/orders/${id}`],
    ['post', `/orders/${id}/cancel`],
    ['get', `/orders/${id}/tracking`],
    ['get', `/orders/${id}/invoice`],
    ['get', '/orders/admin/all'],
    ['get', '/orders/admin/stats'],
    ['patch', `/orders/${id}/status`],
  ];

  test('every orders route without a token → 401; with a bad token → 401', async () => {
    for (const [method, path] of orderRoutes(UNKNOWN_ORDER)) {
      expectError(await request(ctx.app)[method](`${API}${path}`).send({}), 401, 'UNAUTHORIZED');
      const tampered = `${buyer.token.slice(0, -4)}AAAA`;
      const res = await request(ctx.app)[method](`${API}${path}`).set(bearer(tampered)).send({});
      expect(res.status).toBe(401);
    }
  });

  test('the admin routes refuse a customer with 403 FORBIDDEN', async () => {
    const product = await createProduct(ctx);
    const order = await orderItems(ctx, buyer, [{ productId: product.id, quantity: 1 }]);
    for (const [method, path] of orderRoutes(order.id).filter(([, p]) => /admin|status$/.test(p))) {
      const res = await request(ctx.app)
        [method](`${API}${path}`)
        .set(bearer(buyer.token))
        .send({ status: 'PAID' });
      expectError(res, 403, 'FORBIDDEN');
    }
    expect((await ctx.container.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe(
      'PENDING',
    );
  });

  test('an unknown order → 404 ORDER_NOT_FOUND; an id that is not a uuid → 400 naming params.id', async () => {
    for (const [method, path] of orderRoutes(UNKNOWN_ORDER).filter(([, p]) => p.includes(UNKNOWN_ORDER))) {
      const res = await request(ctx.app)
        [method](`${API}${path}`)
        .set(bearer(admin.token))
        .send({ status: 'PAID' });
      expectError(res, 404, 'ORDER_NOT_FOUND');
    }
    for (const [method, path] of orderRoutes('not-a-uuid').filter(([, p]) => p.includes('not-a-uuid'))) {
      const res = await request(ctx.app)
        [method](`${API}${path}`)
        .set(bearer(admin.token))
        .send({ status: 'PAID' });
      const body = expectError(res, 400, 'VALIDATION_ERROR');
      expect(Object.keys(body.details as object).join()).toMatch(/id/);
    }
  });
});

describe('query validation', () => {
  test('GET /orders/admin/all: from/to at absurd years or not dates → 400, never a 500', async () => {
    const product = await createProduct(ctx);
    await orderItems(ctx, buyer, [{ productId: product.id, quantity: 1 }]);
    const list = (query: string) =>
      request(ctx.app).get(`${API}/orders/admin/all${query}`).set(bearer(admin.token));
    for (const bound of ['from', 'to']) {
      for (const value of [
        '0000-01-01',
        '0001-01-01T00:00:00Z',
        '10000-01-01',
        '+010000-01-01T00:00:00Z',
        'not a date',
        '2026-02-30',
        '',
      ]) {
        const body = expectError(
          await list(`?${bound}=${encodeURIComponent(value)}`),
          400,
          'VALIDATION_ERROR',
        );
        expect(body.details).toHaveProperty(bound);
      }
    }
    expect((await list('?from=1970-01-01&to=9999-12-31')).body.data.total).toBe(1);
  });

  test('GET /orders and /orders/admin/all page with ?skip&limit: newest first, total over all pages', async () => {
    const product = await createProduct(ctx, { stock: 20 });
    const placed = [];
    for (let i = 0; i < 4; i++)
      placed.push(await orderItems(ctx, buyer, [{ productId: product.id, quantity: 1 }]));
    placed.push(await orderItems(ctx, admin, [{ productId: product.id, quantity: 1 }]));
    // Distinct placement times: orders placed within one millisecond would be ordered by their random ids.
    for (const [i, order] of placed.entries()) await placedAt(ctx, order.id, `2026-11-0${i + 1}T12:00:00Z`);
    placed.pop();
    const newestFirst = placed.map((order) => order.id).reverse();
    const own = await request(ctx.app).get(`${API}/orders?skip=1&limit=2`).set(bearer(buyer.token));
    expect(own.body.data).toMatchObject({ total: 4, skip: 1, limit: 2 });
    expect(own.body.data.orders.map((o: { id: string }) => o.id)).toEqual(newestFirst.slice(1, 3));
    const all = await request(ctx.app).get(`${API}/orders/admin/all?skip=4&limit=3`).set(bearer(admin.token));
    expect(all.body.data).toMatchObject({ total: 5, skip: 4, limit: 3 });
    expect(all.body.data.orders.map((o: { id: string }) => o.id)).toEqual([placed[0].id]);
  });

  test('GET /orders: skip and limit out of range → 400; an unknown status → 400; a junk cursor → 400', async () => {
    for (const query of [
      '?limit=0',
      '?limit=101',
      '?skip=-1',
      '?limit=abc',
      '?status=LOST',
      '?cursor=junk',
    ]) {
      expectError(
        await request(ctx.app).get(`${API}/orders${query}`).set(bearer(buyer.token)),
        400,
        'VALIDATION_ERROR',
      );
    }
  });

  test('POST /cart/items: quantity outside 1..99 → 400 naming quantity, and no line is written', async () => {
    const product = await createProduct(ctx, { stock: 500 });
    for (const quantity of [0, -1, 100, 1.5, '2']) {
      const body = expectError(
        await addToCart(ctx.app, { user: buyer }, product.id, quantity),
        400,
        'VALIDATION_ERROR',
      );
      expect(body.details).toHaveProperty('quantity');
    }
    expect((await getCart(ctx.app, { user: buyer })).body.data.itemCount).toBe(0);
  });
});
