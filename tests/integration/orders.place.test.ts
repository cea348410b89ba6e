import request from 'supertest';
import { API, bearer, expectError, register, registerAdmin, type TestUser } from '../helpers/auth';
import { createProduct } from '../helpers/catalogue-fixtures';
import { SHIPPING_ADDRESS as address } from '../helpers/orders';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;
let buyer: TestUser;

const place = (user: TestUser, body: object, key?: string) => {
  const req = request(ctx.app).post(`${API}/orders`).set(bearer(user.token));
  if (key !== undefined) req.set('Idempotency-Key', key);
  return req.send(body);
};

beforeAll(async () => {
  ctx = await createTestContext();
});

beforeEach(async () => {
  await ctx.reset();
  buyer = await register(ctx.app);
});

afterAll(async () => {
  await ctx.close();
});

describe('POST /orders', () => {
  it('places an order in one transaction: snapshots, integer-cent totals, stock, history, confirmation mail', async () => {
    const a = await createProduct(ctx, { price: '19.99', stock: 5 });
    const b = await createProduct(ctx, { price: '5.00', discountPercentage: '10', stock: 3 });
    const res = await place(buyer, {
      shippingAddress: address,
      items: [
        { productId: b.id, quantity: 1 },
        { productId: a.id, quantity: 2 },
      ],
      customerNote: 'Ring twice',
    });
    expect(res.status).toBe(201);
    const order = res.body.data;
    expect(order.orderNumber).toMatch(/^ORD-\d{8}-[2-9A-HJ-NP-Z]{6}$/);
    expect(order).toMatchObject({
      userId: buyer.id,
      status: 'PENDING',
      subtotal: 44.48,
      discount: 0,
      tax: 3.56,
      shipping: 9.99,
      total: 58.03,
      currency: 'USD',
      shippingAddress: address,
      couponCode: null,
      customerNote: 'Ring twice',
      payment: null,
    });
    expect(order.items).toEqual([
      expect.objectContaining({
        productId: a.id,
        sku: a.sku,
        title: a.title,
        quantity: 2,
        unitPrice: 19.99,
        lineTotal: 39.98,
      }),
      expect.objectContaining({ productId: b.id, quantity: 1, unitPrice: 4.5, lineTotal: 4.5 }),
    ]);
    expect(res.headers.location).toBe(`/api/v1/orders/${order.id}`);

    const stocks = await ctx.container.prisma.product.findMany({
      where: { id: { in: [a.id, b.id] } },
      orderBy: { id: 'asc' },
    });
    expect(stocks.map((p) => p.stock)).toEqual([3, 2]);
    const history = await ctx.container.prisma.orderStatusHistory.findMany({ where: { orderId: order.id } });
    expect(history).toEqual([
      expect.objectContaining({ fromStatus: null, toStatus: 'PENDING', changedById: buyer.id }),
    ]);
    const mails = await ctx.container.prisma.outboxEvent.findMany({ where: { type: 'email.send' } });
    const confirmation = mails.find(
      (row) => (row.payload as { template: string }).template === 'order-confirmation',
    );
    expect(confirmation?.payload).toMatchObject({
      to: buyer.email,
      data: { orderId: order.id, total: 5803 },
    });
  });

  it('ships free from the threshold and uses a saved address', async () => {
    const product = await createProduct(ctx, { price: '100.00', stock: 1 });
    const saved = await request(ctx.app)
      .post(`${API}/users/addresses`)
      .set(bearer(buyer.token))
      .send(address);
    expect(saved.status).toBe(201);
    const res = await place(buyer, {
      shippingAddressId: saved.body.data.id,
      items: [{ productId: product.id, quantity: 1 }],
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      subtotal: 100,
      tax: 8,
      shipping: 0,
      total: 108,
      shippingAddress: address,
    });
  });

  it('refuses the whole order when any line is short, listing every short line, and changes nothing', async () => {
    const ok = await createProduct(ctx, { stock: 10 });
    const low = await createProduct(ctx, { stock: 1 });
    const none = await createProduct(ctx, { stock: 0 });
    const res = await place(buyer, {
      shippingAddress: address,
      items: [
        { productId: ok.id, quantity: 2 },
        { productId: low.id, quantity: 3 },
        { productId: none.id, quantity: 1 },
      ],
    });
    const body = expectError(res, 409, 'INSUFFICIENT_STOCK');
    expect(body.details).toEqual([
      { productId: low.id, requested: 3, available: 1 },
      { productId: none.id, requested: 1, available: 0 },
    ]);
    expect(await ctx.container.prisma.order.count()).toBe(0);
    expect((await ctx.container.prisma.product.findUniqueOrThrow({ where: { id: ok.id } })).stock).toBe(10);
  });

  it('merges duplicate lines before checking stock', async () => {
    const product = await createProduct(ctx, { stock: 3 });
    const res = await place(buyer, {
      shippingAddress: address,
      items: [
        { productId: product.id, quantity: 2 },
        { productId: product.id, quantity: 2 },
      ],
    });
    expect(expectError(res, 409, 'INSUFFICIENT_STOCK').details).toEqual([
      { productId: product.id, requested: 4, available: 3 },
    ]);
  });

  it('refuses inactive, deleted and unknown products with 422 PRODUCT_UNAVAILABLE', async () => {
    const inactive = await createProduct(ctx, { isActive: false });
    const deleted = await createProduct(ctx, { deletedAt: new Date() });
    const res = await place(buyer, {
      shippingAddress: address,
      items: [
        { productId: inactive.id, quantity: 1 },
        { productId: deleted.id, quantity: 1 },
        { productId: 999_999, quantity: 1 },
      ],
    });
    expect(expectError(res, 422, 'PRODUCT_UNAVAILABLE').details).toEqual([
      { productId: inactive.id },
      { productId: deleted.id },
      { productId: 999_999 },
    ]);
  });

  it('answers 400 CART_EMPTY without items and an empty cart', async () => {
    expectError(await place(buyer, { shippingAddress: address }), 400, 'CART_EMPTY');
  });

  it('validates the address with dotted detail paths', async () => {
    const product = await createProduct(ctx);
    const res = await place(buyer, {
      shippingAddress: { ...address, city: '  ', zipCode: undefined },
      items: [{ productId: product.id, quantity: 0 }],
    });
    const body = expectError(res, 400, 'VALIDATION_ERROR');
    expect(Object.keys(body.details as object)).toEqual(
      expect.arrayContaining(['shippingAddress.city', 'shippingAddress.zipCode', 'items.0.quantity']),
    );
    expectError(
      await place(buyer, { items: [{ productId: product.id, quantity: 1 }] }),
      400,
      'VALIDATION_ERROR',
    );
    expectError(
      await place(buyer, {
        shippingAddress: address,
        shippingAddressId: 1,
        items: [{ productId: product.id, quantity: 1 }],
      }),
      400,
      'VALIDATION_ERROR',
    );
  });

  it("answers 404 for another user's saved address", async () => {
    const other = await register(ctx.app);
    const saved = await request(ctx.app)
      .post(`${API}/users/addresses`)
      .set(bearer(other.token))
      .send(address);
    const product = await createProduct(ctx);
    expectError(
      await place(buyer, {
        shippingAddressId: saved.body.data.id,
        items: [{ productId: product.id, quantity: 1 }],
      }),
      404,
      'ADDRESS_NOT_FOUND',
    );
  });

  it('answers 422 COUPON_INVALID for a code the shop does not know', async () => {
    const product = await createProduct(ctx);
    expectError(
      await place(buyer, {
        shippingAddress: address,
        items: [{ productId: product.id, quantity: 1 }],
        couponCode: 'NOPE',
      }),
      422,
      'COUPON_INVALID',
    );
  });

  it('requires a signed-in caller', async () => {
    expectError(await request(ctx.app).post(`${API}/orders`).send({}), 401, 'UNAUTHORIZED');
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response for the same body and creates nothing else', async () => {
    const product = await createProduct(ctx, { stock: 5 });
    const body = { shippingAddress: address, items: [{ productId: product.id, quantity: 1 }] };
    const first = await place(buyer, body, 'key-1');
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // Same body with its keys in another order: the same request.
    const again = await place(buyer, { items: body.items, shippingAddress: address }, 'key-1');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.body.data).toEqual(first.body.data);
    expect(await ctx.container.prisma.order.count()).toBe(1);
    expect((await ctx.container.prisma.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(
      4,
    );
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for another body under the same key', async () => {
    const product = await createProduct(ctx, { stock: 5 });
    expect(
      (await place(buyer, { shippingAddress: address, items: [{ productId: product.id, quantity: 1 }] }, 'k'))
        .status,
    ).toBe(201);
    expectError(
      await place(buyer, { shippingAddress: address, items: [{ productId: product.id, quantity: 2 }] }, 'k'),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );
  });

  it('keeps keys per user', async () => {
    const other = await register(ctx.app);
    const product = await createProduct(ctx, { stock: 5 });
    const body = { shippingAddress: address, items: [{ productId: product.id, quantity: 1 }] };
    expect((await place(buyer, body, 'shared')).status).toBe(201);
    const res = await place(other, body, 'shared');
    expect(res.status).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(await ctx.container.prisma.order.count()).toBe(2);
  });

  it('does not let a failed first attempt poison the key', async () => {
    const product = await createProduct(ctx, { stock: 0 });
    const body = { shippingAddress: address, items: [{ productId: product.id, quantity: 1 }] };
    expectError(await place(buyer, body, 'retry-me'), 409, 'INSUFFICIENT_STOCK');
    await ctx.container.prisma.product.update({ where: { id: product.id }, data: { stock: 1 } });
    const res = await place(buyer, body, 'retry-me');
    expect(res.status).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
  });

  it('answers 409 IDEMPOTENCY_IN_PROGRESS while the first request holds the key', async () => {
    const product = await createProduct(ctx, { stock: 5 });
    const body = { shippingAddress: address, items: [{ productId: product.id, quantity: 1 }] };
    // A first request that claimed the key and has not finished (the row it writes before it runs).
    await ctx.container.prisma.idempotencyKey.create({
      data: {
        userId: buyer.id,
        key: 'busy',
        scope: 'POST /api/v1/orders',
        requestHash: (await import('../../src/modules/idempotency/idempotency.service')).requestHash(
          'POST',
          '/api/v1/orders',
          body,
        ),
        expiresAt: new Date(Date.now() + 60_000),
      },
    });
    expectError(await place(buyer, body, 'busy'), 409, 'IDEMPOTENCY_IN_PROGRESS');
    expect(await ctx.container.prisma.order.count()).toBe(0);
  });

  it('treats an expired key as new', async () => {
    const product = await createProduct(ctx, { stock: 5 });
    const body = { shippingAddress: address, items: [{ productId: product.id, quantity: 1 }] };
    expect((await place(buyer, body, 'old')).status).toBe(201);
    await ctx.container.prisma.idempotencyKey.updateMany({
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const res = await place(buyer, body, 'old');
    expect(res.status).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(await ctx.container.prisma.order.count()).toBe(2);
  });

  it('rejects empty and over-long keys with 400', async () => {
    const product = await createProduct(ctx, { stock: 5 });
    const body = { shippingAddress: address, items: [{ productId: product.id, quantity: 1 }] };
    expectError(await place(buyer, body, ''), 400, 'VALIDATION_ERROR');
    expectError(await place(buyer, body, 'x'.repeat(256)), 400, 'VALIDATION_ERROR');
    expect((await place(buyer, body, 'x'.repeat(255))).status).toBe(201);
  });
});

describe('reading orders', () => {
  it("shows your own orders, hides another user's (404) and lets an admin read any", async () => {
    const product = await createProduct(ctx, { stock: 5 });
    const order = (
      await place(buyer, { shippingAddress: address, items: [{ productId: product.id, quantity: 1 }] })
    ).body.data;
    const own = await request(ctx.app).get(`${API}/orders/${order.id}`).set(bearer(buyer.token));
    expect(own.status).toBe(200);
    expect(own.body.data).toEqual(order);
    const other = await register(ctx.app);
    expectError(
      await request(ctx.app).get(`${API}/orders/${order.id}`).set(bearer(other.token)),
      404,
      'ORDER_NOT_FOUND',
    );
    const admin = await registerAdmin(ctx);
    expect((await request(ctx.app).get(`${API}/orders/${order.id}`).set(bearer(admin.token))).status).toBe(
      200,
    );
    expectError(
      await request(ctx.app).get(`${API}/orders/not-a-uuid`).set(bearer(buyer.token)),
      400,
      'VALIDATION_ERROR',
    );
  });

  it('lists your orders newest first with ?status and a keyset cursor', async () => {
    const product = await createProduct(ctx, { stock: 50 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      ids.push(
        (await place(buyer, { shippingAddress: address, items: [{ productId: product.id, quantity: 1 }] }))
          .body.data.id,
      );
    }
    await ctx.container.prisma.order.update({ where: { id: ids[0] }, data: { status: 'PAID' } });
    const other = await register(ctx.app);
    await place(other, { shippingAddress: address, items: [{ productId: product.id, quantity: 1 }] });

    const first = await request(ctx.app).get(`${API}/orders?limit=2`).set(bearer(buyer.token));
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ total: 5, skip: 0, limit: 2 });
    const seen: string[] = first.body.data.orders.map((o: { id: string }) => o.id);
    let cursor = first.body.data.nextCursor;
    while (cursor) {
      const page = await request(ctx.app)
        .get(`${API}/orders?limit=2&cursor=${cursor}`)
        .set(bearer(buyer.token));
      seen.push(...page.body.data.orders.map((o: { id: string }) => o.id));
      cursor = page.body.data.nextCursor;
    }
    expect(seen).toEqual([...ids].reverse());

    const paid = await request(ctx.app).get(`${API}/orders?status=PAID`).set(bearer(buyer.token));
    expect(paid.body.data.orders.map((o: { id: string }) => o.id)).toEqual([ids[0]]);
    expectError(
      await request(ctx.app).get(`${API}/orders?cursor=garbage`).set(bearer(buyer.token)),
      400,
      'VALIDATION_ERROR',
    );
    expectError(
      await request(ctx.app).get(`${API}/orders?status=LOST`).set(bearer(buyer.token)),
      400,
      'VALIDATION_ERROR',
    );
  });
});
