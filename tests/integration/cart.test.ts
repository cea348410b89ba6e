import request from 'supertest';
import { API, expectError, register } from '../helpers/auth';
import {
  addToCart,
  CART,
  clearCart,
  getCart,
  removeCartItem,
  setCartItem,
  storedCart,
} from '../helpers/cart';
import { createProduct } from '../helpers/catalogue-fixtures';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const DAY_MS = 24 * 60 * 60 * 1000;

/** A guest session with one line of a new product; the product and the session id. */
async function guestWithLine(quantity = 1, stock = 10) {
  const product = await createProduct(ctx, { stock });
  const res = await addToCart(ctx.app, {}, product.id, quantity);
  expect(res.status).toBe(200);
  return { product, sessionId: res.body.data.sessionId as string };
}

describe('GET /cart', () => {
  test('a guest without a session gets an empty cart and no session is created', async () => {
    const res = await getCart(ctx.app);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      id: '',
      sessionId: null,
      items: [],
      itemCount: 0,
      subtotal: 0,
      currency: 'USD',
      expiresAt: null,
    });
    expect(res.headers['x-session-id']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('private, no-store');
  });

  test('an unknown (well-formed) session id → an empty cart', async () => {
    const res = await getCart(ctx.app, { sessionId: 'A'.repeat(43) });
    expect(res.status).toBe(200);
    expect(res.body.data.items).toEqual([]);
  });

  test.each([
    ['too short', 'abc'],
    ['too long', 'a'.repeat(44)],
    ['not base64url', `${'a'.repeat(42)}=`],
    ['path-ish', `../../${'a'.repeat(37)}`],
    ['a Redis key pattern', `*${'a'.repeat(42)}`],
  ])('a malformed session id (%s) → 400 VALIDATION_ERROR on every route', async (_name, sessionId) => {
    const product = await createProduct(ctx);
    const responses = await Promise.all([
      getCart(ctx.app, { sessionId }),
      addToCart(ctx.app, { sessionId }, product.id, 1),
      setCartItem(ctx.app, { sessionId }, product.id, 2),
      removeCartItem(ctx.app, { sessionId }, product.id),
      clearCart(ctx.app, { sessionId }),
    ]);
    for (const res of responses) {
      expectError(res, 400, 'VALIDATION_ERROR');
      expect(res.body.details).toHaveProperty(['x-session-id']);
    }
  });

  test('a malformed sessionId cookie → 400 as well', async () => {
    const res = await request(ctx.app).get(CART).set('Cookie', 'sessionId=nope');
    expectError(res, 400, 'VALIDATION_ERROR');
  });

  test('the sessionId cookie names the guest cart; the header wins over the cookie', async () => {
    const { product, sessionId } = await guestWithLine(2);
    const byCookie = await request(ctx.app).get(CART).set('Cookie', `sessionId=${sessionId}`);
    expect(byCookie.status).toBe(200);
    expect(byCookie.body.data.items).toEqual([
      expect.objectContaining({ productId: product.id, quantity: 2 }),
    ]);
    const other = await guestWithLine(3);
    const both = await request(ctx.app)
      .get(CART)
      .set('Cookie', `sessionId=${sessionId}`)
      .set('X-Session-Id', other.sessionId);
    expect(both.body.data.sessionId).toBe(other.sessionId);
    expect(both.body.data.items).toEqual([
      expect.objectContaining({ productId: other.product.id, quantity: 3 }),
    ]);
  });

  test('prices are read fresh from the catalogue: unitPrice after the discount, line totals, subtotal', async () => {
    const a = await createProduct(ctx, { price: '19.99', discountPercentage: '12.5', stock: 10, title: 'A' });
    const b = await createProduct(ctx, { price: '5.00', stock: 10, title: 'B' });
    const first = await addToCart(ctx.app, {}, a.id, 3);
    const sessionId = first.body.data.sessionId as string;
    await addToCart(ctx.app, { sessionId }, b.id, 2);

    const cart = (await getCart(ctx.app, { sessionId })).body.data;
    expect(cart.items).toEqual(
      [
        {
          itemId: a.id,
          productId: a.id,
          title: 'A',
          thumbnail: a.thumbnail,
          price: 19.99,
          discountPercentage: 12.5,
          unitPrice: 17.49,
          quantity: 3,
          lineTotal: 52.47,
          stock: 10,
          available: true,
        },
        expect.objectContaining({ productId: b.id, unitPrice: 5, quantity: 2, lineTotal: 10 }),
      ].sort((x, y) => x.productId - y.productId),
    );
    expect(cart.subtotal).toBe(62.47);
    expect(cart.itemCount).toBe(5);

    // The catalogue changes; the cart follows without being written.
    await ctx.container.prisma.product.update({
      where: { id: a.id },
      data: { price: '10.00', discountPercentage: 0 },
    });
    const repriced = (await getCart(ctx.app, { sessionId })).body.data;
    expect(repriced.items.find((item: { productId: number }) => item.productId === a.id)).toMatchObject({
      price: 10,
      unitPrice: 10,
      lineTotal: 30,
    });
    expect(repriced.subtotal).toBe(40);
  });

  test('a deactivated, a soft-deleted and a vanished product show available: false and leave the subtotal', async () => {
    const kept = await createProduct(ctx, { price: '2.00' });
    const { product: inactive, sessionId } = await guestWithLine(1);
    const deleted = await createProduct(ctx, { price: '3.00' });
    const vanished = await createProduct(ctx, { price: '4.00' });
    for (const product of [kept, deleted, vanished]) {
      expect((await addToCart(ctx.app, { sessionId }, product.id, 1)).status).toBe(200);
    }
    await ctx.container.prisma.product.update({ where: { id: inactive.id }, data: { isActive: false } });
    await ctx.container.prisma.product.update({
      where: { id: deleted.id },
      data: { isActive: false, deletedAt: new Date() },
    });
    await ctx.container.prisma.product.delete({ where: { id: vanished.id } });

    const cart = (await getCart(ctx.app, { sessionId })).body.data;
    const byId = new Map(cart.items.map((item: { productId: number }) => [item.productId, item]));
    expect(byId.get(kept.id)).toMatchObject({ available: true, lineTotal: 2 });
    expect(byId.get(inactive.id)).toMatchObject({
      available: false,
      title: inactive.title,
      price: 19.99,
      stock: 0,
    });
    expect(byId.get(deleted.id)).toMatchObject({ available: false, price: 3 });
    expect(byId.get(vanished.id)).toMatchObject({
      available: false,
      title: null,
      price: null,
      unitPrice: null,
      lineTotal: null,
      quantity: 1,
    });
    expect(cart.subtotal).toBe(2);
    expect(cart.itemCount).toBe(1);
  });

  test('every view prices all its lines with one catalogue query', async () => {
    const { sessionId } = await guestWithLine(1);
    for (let i = 0; i < 4; i += 1) {
      const product = await createProduct(ctx);
      await addToCart(ctx.app, { sessionId }, product.id, 1);
    }
    const repository = ctx.container.services.cart['products'];
    const spy = jest.spyOn(repository, 'findForCart');
    try {
      const res = await getCart(ctx.app, { sessionId });
      expect(res.body.data.items).toHaveLength(5);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0][0]).toHaveLength(5);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('sessions', () => {
  test('the first guest write creates an unguessable session returned in the header and data.sessionId', async () => {
    const product = await createProduct(ctx);
    const ids = new Set<string>();
    for (let i = 0; i < 5; i += 1) {
      const res = await addToCart(ctx.app, {}, product.id, 1);
      expect(res.status).toBe(200);
      expect(res.headers['x-session-id']).toBe(res.body.data.sessionId);
      expect(res.body.data.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(res.body.data.sessionId, 'base64url')).toHaveLength(32);
      expect(res.body.data.id).toBe(`session:${res.body.data.sessionId}`);
      ids.add(res.body.data.sessionId);
    }
    expect(ids.size).toBe(5);
  });

  test('a tampered session id reads an empty cart and never reaches the original; writing with it starts a new session', async () => {
    const { product, sessionId } = await guestWithLine(2);
    const last = sessionId.at(-1) === 'A' ? 'B' : 'A';
    const tampered = `${sessionId.slice(0, -1)}${last}`;
    expect((await getCart(ctx.app, { sessionId: tampered })).body.data.items).toEqual([]);

    const write = await addToCart(ctx.app, { sessionId: tampered }, product.id, 1);
    expect(write.status).toBe(200);
    expect(write.body.data.sessionId).not.toBe(tampered);
    expect(write.body.data.sessionId).not.toBe(sessionId);
    expect((await storedCart(ctx, { sessionId: tampered })).lines).toEqual({});
    expect((await storedCart(ctx, { sessionId })).lines).toEqual({ [product.id]: 2 });
  });

  test('an expired session reads as an empty cart, and a write with it gets a new session', async () => {
    const { product, sessionId } = await guestWithLine(2);
    const { key } = await storedCart(ctx, { sessionId });
    await ctx.container.redis.pexpire(key, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await getCart(ctx.app, { sessionId })).body.data).toMatchObject({ items: [], expiresAt: null });
    const write = await addToCart(ctx.app, { sessionId }, product.id, 1);
    expect(write.body.data.sessionId).not.toBe(sessionId);
    expect(write.body.data.items).toEqual([expect.objectContaining({ quantity: 1 })]);
  });

  test('30-day sliding expiry: every read and write renews it (CART_TTL_DAYS)', async () => {
    const { product, sessionId } = await guestWithLine(1);
    const { key } = await storedCart(ctx, { sessionId });
    const ttl = await ctx.container.redis.pttl(key);
    expect(ttl).toBeGreaterThan(30 * DAY_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(30 * DAY_MS);

    await ctx.container.redis.pexpire(key, DAY_MS);
    const read = await getCart(ctx.app, { sessionId });
    expect(await ctx.container.redis.pttl(key)).toBeGreaterThan(29 * DAY_MS);
    const expiresAt = Date.parse(read.body.data.expiresAt);
    expect(Math.abs(expiresAt - (Date.now() + 30 * DAY_MS))).toBeLessThan(60_000);

    await ctx.container.redis.pexpire(key, DAY_MS);
    await addToCart(ctx.app, { sessionId }, product.id, 1);
    expect(await ctx.container.redis.pttl(key)).toBeGreaterThan(29 * DAY_MS);
  });

  test('CART_TTL_DAYS configures the expiry', async () => {
    const short = await createTestContext({ CART_TTL_DAYS: '2' });
    try {
      const product = await createProduct(short);
      const res = await addToCart(short.app, {}, product.id, 1);
      const { key } = await storedCart(short, { sessionId: res.body.data.sessionId });
      const ttl = await short.container.redis.pttl(key);
      expect(ttl).toBeGreaterThan(2 * DAY_MS - 60_000);
      expect(ttl).toBeLessThanOrEqual(2 * DAY_MS);
    } finally {
      await short.close();
    }
  });
});

describe('signed-in carts', () => {
  test("a valid Bearer token always wins over a session id: the user's cart, the guest's untouched", async () => {
    const user = await register(ctx.app);
    const { product: guestProduct, sessionId } = await guestWithLine(2);
    const product = await createProduct(ctx);

    const added = await addToCart(ctx.app, { user, sessionId }, product.id, 4);
    expect(added.status).toBe(200);
    expect(added.body.data).toMatchObject({ id: `user:${user.id}`, sessionId: null });
    expect(added.headers['x-session-id']).toBeUndefined();
    expect(added.body.data.items).toEqual([expect.objectContaining({ productId: product.id, quantity: 4 })]);

    expect((await getCart(ctx.app, { user, sessionId })).body.data.items).toHaveLength(1);
    expect((await storedCart(ctx, { userId: user.id })).lines).toEqual({ [product.id]: 4 });
    expect((await storedCart(ctx, { sessionId })).lines).toEqual({ [guestProduct.id]: 2 });
    // Even a malformed session id is ignored next to a valid token.
    expect((await getCart(ctx.app, { user, sessionId: 'bad' })).status).toBe(200);
  });

  test('an invalid Bearer token → 401, not a guest cart (on every route)', async () => {
    const { product, sessionId } = await guestWithLine(1);
    const token = { token: 'not-a-jwt' } as never;
    const responses = await Promise.all([
      getCart(ctx.app, { user: token, sessionId }),
      addToCart(ctx.app, { user: token, sessionId }, product.id, 1),
      setCartItem(ctx.app, { user: token, sessionId }, product.id, 2),
      removeCartItem(ctx.app, { user: token, sessionId }, product.id),
      clearCart(ctx.app, { user: token, sessionId }),
    ]);
    for (const res of responses) expectError(res, 401, 'UNAUTHORIZED');
    expect((await storedCart(ctx, { sessionId })).lines).toEqual({ [product.id]: 1 });
  });

  test("one user never sees another's cart: lines of someone else's cart → 404 CART_ITEM_NOT_FOUND", async () => {
    const alice = await register(ctx.app);
    const bob = await register(ctx.app);
    const product = await createProduct(ctx);
    await addToCart(ctx.app, { user: alice }, product.id, 2);
    expect((await getCart(ctx.app, { user: bob })).body.data.items).toEqual([]);
    expectError(await setCartItem(ctx.app, { user: bob }, product.id, 5), 404, 'CART_ITEM_NOT_FOUND');
    expectError(await removeCartItem(ctx.app, { user: bob }, product.id), 404, 'CART_ITEM_NOT_FOUND');
    expect((await storedCart(ctx, { userId: alice.id })).lines).toEqual({ [product.id]: 2 });

    const { sessionId } = await guestWithLine(1);
    expectError(await setCartItem(ctx.app, { sessionId }, product.id, 1), 404, 'CART_ITEM_NOT_FOUND');
  });
});

describe('POST /cart/items', () => {
  test('adds to an existing line', async () => {
    const { product, sessionId } = await guestWithLine(2);
    const res = await addToCart(ctx.app, { sessionId }, product.id, 3);
    expect(res.status).toBe(200);
    expect(res.body.data.sessionId).toBe(sessionId);
    expect(res.body.data.items).toEqual([expect.objectContaining({ productId: product.id, quantity: 5 })]);
    expect((await storedCart(ctx, { sessionId })).lines).toEqual({ [product.id]: 5 });
  });

  test.each([
    ['quantity 0', { quantity: 0 }],
    ['quantity 100', { quantity: 100 }],
    ['quantity -1', { quantity: -1 }],
    ['quantity 1.5', { quantity: 1.5 }],
    ['quantity as text', { quantity: '2' }],
    ['no quantity', { quantity: undefined }],
    ['productId 0', { productId: 0 }],
    ['productId as text', { productId: '1' }],
    ['productId beyond int32', { productId: 2 ** 31 }],
  ])('%s → 400 VALIDATION_ERROR, nothing stored', async (_name, override) => {
    const product = await createProduct(ctx);
    const body = { productId: product.id, quantity: 1, ...override };
    const res = await request(ctx.app).post(`${CART}/items`).send(body);
    expectError(res, 400, 'VALIDATION_ERROR');
    expect(res.headers['x-session-id']).toBeUndefined();
  });

  test('an unknown, inactive or deleted product → 404 PRODUCT_NOT_FOUND, no session created', async () => {
    const inactive = await createProduct(ctx, { isActive: false });
    const deleted = await createProduct(ctx, { isActive: false, deletedAt: new Date() });
    for (const productId of [999_999, inactive.id, deleted.id]) {
      const res = await addToCart(ctx.app, {}, productId, 1);
      expectError(res, 404, 'PRODUCT_NOT_FOUND');
      expect(res.headers['x-session-id']).toBeUndefined();
    }
  });

  test('a total over stock → 409 INSUFFICIENT_STOCK with { productId, requested, available }', async () => {
    const { product, sessionId } = await guestWithLine(3, 5);
    const res = await addToCart(ctx.app, { sessionId }, product.id, 3);
    expectError(res, 409, 'INSUFFICIENT_STOCK');
    expect(res.body.details).toEqual([{ productId: product.id, requested: 6, available: 5 }]);
    expect((await storedCart(ctx, { sessionId })).lines).toEqual({ [product.id]: 3 });
    expectError(
      await addToCart(ctx.app, {}, (await createProduct(ctx, { stock: 0 })).id, 1),
      409,
      'INSUFFICIENT_STOCK',
    );
  });

  test('a line over 99 units → 409 CART_QUANTITY_LIMIT', async () => {
    const { product, sessionId } = await guestWithLine(99, 500);
    const res = await addToCart(ctx.app, { sessionId }, product.id, 1);
    expectError(res, 409, 'CART_QUANTITY_LIMIT');
    expect(res.body.details).toEqual([{ productId: product.id, requested: 100, max: 99 }]);
    expect((await storedCart(ctx, { sessionId })).lines).toEqual({ [product.id]: 99 });
  });

  test('a 51st line → 409 CART_LINE_LIMIT; the 50 lines can still be raised', async () => {
    const user = await register(ctx.app);
    const products = [];
    for (let i = 0; i < 51; i += 1) products.push(await createProduct(ctx));
    for (const product of products.slice(0, 50)) {
      expect((await addToCart(ctx.app, { user }, product.id, 1)).status).toBe(200);
    }
    const res = await addToCart(ctx.app, { user }, products[50].id, 1);
    expectError(res, 409, 'CART_LINE_LIMIT');
    expect(res.body.details).toEqual({ maxLines: 50 });
    expect((await addToCart(ctx.app, { user }, products[0].id, 1)).status).toBe(200);
    expect(Object.keys((await storedCart(ctx, { userId: user.id })).lines)).toHaveLength(50);
  });
});

describe('PUT /cart/items/:itemId', () => {
  test('sets the quantity; 0 removes the line', async () => {
    const { product, sessionId } = await guestWithLine(2);
    const set = await setCartItem(ctx.app, { sessionId }, product.id, 7);
    expect(set.status).toBe(200);
    expect(set.body.data.items).toEqual([expect.objectContaining({ productId: product.id, quantity: 7 })]);
    const removed = await setCartItem(ctx.app, { sessionId }, product.id, 0);
    expect(removed.status).toBe(200);
    expect(removed.body.data.items).toEqual([]);
    expect((await storedCart(ctx, { sessionId })).lines).toEqual({});
  });

  test('over stock → 409 INSUFFICIENT_STOCK; over 99 or negative → 400', async () => {
    const { product, sessionId } = await guestWithLine(2, 5);
    const res = await setCartItem(ctx.app, { sessionId }, product.id, 6);
    expectError(res, 409, 'INSUFFICIENT_STOCK');
    expect(res.body.details).toEqual([{ productId: product.id, requested: 6, available: 5 }]);
    expectError(await setCartItem(ctx.app, { sessionId }, product.id, 100), 400, 'VALIDATION_ERROR');
    expectError(await setCartItem(ctx.app, { sessionId }, product.id, -1), 400, 'VALIDATION_ERROR');
    expectError(await setCartItem(ctx.app, { sessionId }, 'abc', 1), 400, 'VALIDATION_ERROR');
    expect((await storedCart(ctx, { sessionId })).lines).toEqual({ [product.id]: 2 });
  });

  test('a line not in the cart → 404 CART_ITEM_NOT_FOUND (also for a guest without a session)', async () => {
    const { sessionId } = await guestWithLine(1);
    const other = await createProduct(ctx);
    expectError(await setCartItem(ctx.app, { sessionId }, other.id, 1), 404, 'CART_ITEM_NOT_FOUND');
    expectError(await setCartItem(ctx.app, {}, other.id, 1), 404, 'CART_ITEM_NOT_FOUND');
    expect((await storedCart(ctx, { sessionId })).lines).not.toHaveProperty(String(other.id));
  });

  test('a line of a product no longer sold can be removed but not raised', async () => {
    const { product, sessionId } = await guestWithLine(1);
    await ctx.container.prisma.product.update({ where: { id: product.id }, data: { isActive: false } });
    expectError(await setCartItem(ctx.app, { sessionId }, product.id, 2), 404, 'PRODUCT_NOT_FOUND');
    expect((await setCartItem(ctx.app, { sessionId }, product.id, 0)).status).toBe(200);
  });
});

describe('DELETE /cart/items/:itemId and DELETE /cart', () => {
  test('removes one line; a line not there → 404', async () => {
    const { product, sessionId } = await guestWithLine(1);
    const other = await createProduct(ctx);
    await addToCart(ctx.app, { sessionId }, other.id, 2);
    const res = await removeCartItem(ctx.app, { sessionId }, product.id);
    expect(res.status).toBe(200);
    expect(res.body.data.items).toEqual([expect.objectContaining({ productId: other.id })]);
    expectError(await removeCartItem(ctx.app, { sessionId }, product.id), 404, 'CART_ITEM_NOT_FOUND');
    expectError(await removeCartItem(ctx.app, {}, product.id), 404, 'CART_ITEM_NOT_FOUND');
    expectError(await removeCartItem(ctx.app, { sessionId }, '0'), 400, 'VALIDATION_ERROR');
  });

  test('clears the whole cart (the key is gone); clearing an empty or sessionless cart is fine', async () => {
    const { sessionId } = await guestWithLine(3);
    const res = await clearCart(ctx.app, { sessionId });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ sessionId, items: [], subtotal: 0, itemCount: 0 });
    const { key } = await storedCart(ctx, { sessionId });
    expect(await ctx.container.redis.exists(key)).toBe(0);
    expect((await clearCart(ctx.app, { sessionId })).status).toBe(200);
    expect((await clearCart(ctx.app)).status).toBe(200);

    const user = await register(ctx.app);
    await addToCart(ctx.app, { user }, (await createProduct(ctx)).id, 1);
    expect((await clearCart(ctx.app, { user })).body.data.items).toEqual([]);
    expect((await storedCart(ctx, { userId: user.id })).lines).toEqual({});
  });
});

describe('checkout interface (CartService)', () => {
  test('linesForCheckout: the user cart lines in product-id order; empty → 400 CART_EMPTY', async () => {
    const user = await register(ctx.app);
    const service = ctx.container.services.cart;
    await expect(service.linesForCheckout(user.id)).rejects.toMatchObject({
      status: 400,
      code: 'CART_EMPTY',
    });
    const b = await createProduct(ctx);
    const a = await createProduct(ctx);
    await addToCart(ctx.app, { user }, a.id, 2);
    await addToCart(ctx.app, { user }, b.id, 3);
    expect(await service.linesForCheckout(user.id)).toEqual(
      [
        { productId: a.id, quantity: 2 },
        { productId: b.id, quantity: 3 },
      ].sort((x, y) => x.productId - y.productId),
    );
  });

  test('an unavailable line blocks checkout with 409 CART_ITEM_UNAVAILABLE listing it', async () => {
    const user = await register(ctx.app);
    const kept = await createProduct(ctx);
    const gone = await createProduct(ctx);
    await addToCart(ctx.app, { user }, kept.id, 1);
    await addToCart(ctx.app, { user }, gone.id, 1);
    await ctx.container.prisma.product.update({ where: { id: gone.id }, data: { isActive: false } });
    await expect(ctx.container.services.cart.linesForCheckout(user.id)).rejects.toMatchObject({
      status: 409,
      code: 'CART_ITEM_UNAVAILABLE',
      details: [{ productId: gone.id }],
    });
  });

  test('removeOrderedLines takes out exactly the ordered quantities, keeping what was added meanwhile', async () => {
    const user = await register(ctx.app);
    const a = await createProduct(ctx, { stock: 50 });
    const b = await createProduct(ctx, { stock: 50 });
    const c = await createProduct(ctx, { stock: 50 });
    await addToCart(ctx.app, { user }, a.id, 2);
    await addToCart(ctx.app, { user }, b.id, 1);
    const ordered = await ctx.container.services.cart.linesForCheckout(user.id);
    // While the order is being placed, the buyer adds more in another tab.
    await addToCart(ctx.app, { user }, a.id, 3);
    await addToCart(ctx.app, { user }, c.id, 1);
    await ctx.container.services.cart.removeOrderedLines(user.id, ordered);
    expect((await storedCart(ctx, { userId: user.id })).lines).toEqual({ [a.id]: 3, [c.id]: 1 });

    await ctx.container.services.cart.removeOrderedLines(user.id, [
      { productId: a.id, quantity: 3 },
      { productId: c.id, quantity: 1 },
    ]);
    const { key, lines } = await storedCart(ctx, { userId: user.id });
    expect(lines).toEqual({});
    expect(await ctx.container.redis.exists(key)).toBe(0);
  });
});

describe('OpenAPI', () => {
  test('documents every cart route with its errors', async () => {
    const doc = (await request(ctx.app).get(`${API}/openapi.json`)).body;
    const expected: Array<[string, string, string[]]> = [
      ['/api/v1/cart', 'get', ['200', '400', '401', '429', '503']],
      ['/api/v1/cart', 'delete', ['200', '400', '401', '429', '503']],
      ['/api/v1/cart/items', 'post', ['200', '400', '401', '404', '409', '429', '503']],
      ['/api/v1/cart/items/{itemId}', 'put', ['200', '400', '401', '404', '409', '429', '503']],
      ['/api/v1/cart/items/{itemId}', 'delete', ['200', '400', '401', '404', '429', '503']],
      ['/api/v1/cart/merge', 'post', ['200', '400', '401', '409', '429', '503']],
    ];
    for (const [path, method, statuses] of expected) {
      const operation = doc.paths[path]?.[method];
      expect(operation).toBeDefined();
      expect(Object.keys(operation.responses).sort()).toEqual(statuses);
      expect(operation.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'x-session-id' })]),
      );
    }
    expect(doc.components.schemas.Cart.properties).toHaveProperty('expiresAt');
  });
});
