import request from 'supertest';
import { API, bearer, expectError, register, type TestUser } from '../helpers/auth';
import { createCategory, createProduct } from '../helpers/catalogue-fixtures';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const WISHLIST = `${API}/wishlist`;
const as = (user: TestUser) => bearer(user.token);
const add = (user: TestUser, productId: unknown) =>
  request(ctx.app).post(WISHLIST).set(as(user)).send({ productId });
const list = (user: TestUser, query = '') => request(ctx.app).get(`${WISHLIST}${query}`).set(as(user));
const count = async (user: TestUser) => {
  const res = await request(ctx.app).get(`${WISHLIST}/count`).set(as(user));
  expect(res.status).toBe(200);
  return res.body.data.count as number;
};
const check = (user: TestUser, productId: number | string) =>
  request(ctx.app).get(`${WISHLIST}/check/${productId}`).set(as(user));
const remove = (user: TestUser, productId: number | string) =>
  request(ctx.app).delete(`${WISHLIST}/${productId}`).set(as(user));
const clear = (user: TestUser) => request(ctx.app).delete(WISHLIST).set(as(user));
const stored = (userId: number) => ctx.container.prisma.wishlistItem.count({ where: { userId } });

describe('authentication', () => {
  test('every wishlist route → 401 without a token', async () => {
    const product = await createProduct(ctx);
    const responses = await Promise.all([
      request(ctx.app).get(WISHLIST),
      request(ctx.app).get(`${WISHLIST}/count`),
      request(ctx.app).get(`${WISHLIST}/check/${product.id}`),
      request(ctx.app).post(WISHLIST).send({ productId: product.id }),
      request(ctx.app).delete(`${WISHLIST}/${product.id}`),
      request(ctx.app).delete(WISHLIST),
    ]);
    for (const res of responses) expectError(res, 401, 'UNAUTHORIZED');
    expect(await ctx.container.prisma.wishlistItem.count()).toBe(0);
  });

  test('an invalid token → 401', async () => {
    expectError(await request(ctx.app).get(WISHLIST).set(bearer('not-a-jwt')), 401, 'UNAUTHORIZED');
  });
});

describe('POST /wishlist', () => {
  test('201 with the item the first time, 200 with the same item after (idempotent, one row)', async () => {
    const user = await register(ctx.app);
    const category = await createCategory(ctx, { slug: `phones-${Date.now()}` });
    const product = await createProduct(ctx, {
      categoryId: category.id,
      title: 'Phone X',
      price: '499.90',
      discountPercentage: '12.5',
      stock: 7,
      brand: 'Acme',
      rating: '4.25',
    });

    const first = await add(user, product.id);
    expect(first.status).toBe(201);
    expect(first.body.data).toEqual({
      id: product.id,
      title: 'Phone X',
      price: 499.9,
      discountPercentage: 12.5,
      rating: 4.25,
      stock: 7,
      brand: 'Acme',
      category: category.slug,
      thumbnail: product.thumbnail,
      addedAt: expect.any(String),
    });

    const again = await add(user, product.id);
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(first.body.data);
    expect(await stored(user.id)).toBe(1);
  });

  test('concurrent adds of one product → one 201, the rest 200, one row', async () => {
    const user = await register(ctx.app);
    const product = await createProduct(ctx);
    const responses = await Promise.all(Array.from({ length: 5 }, () => add(user, product.id)));
    expect(responses.map((res) => res.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(await stored(user.id)).toBe(1);
  });

  test('unknown, inactive and soft-deleted products → 404 PRODUCT_NOT_FOUND, nothing stored', async () => {
    const user = await register(ctx.app);
    const inactive = await createProduct(ctx, { isActive: false });
    const deleted = await createProduct(ctx, { deletedAt: new Date() });
    for (const id of [999_999, inactive.id, deleted.id]) {
      expectError(await add(user, id), 404, 'PRODUCT_NOT_FOUND');
    }
    expect(await stored(user.id)).toBe(0);
  });

  test.each([
    ['missing', undefined],
    ['a string', '5'],
    ['a fraction', 1.5],
    ['zero', 0],
    ['negative', -3],
    ['too large', 2_147_483_648],
  ])('productId %s → 400 VALIDATION_ERROR naming productId', async (_label, productId) => {
    const user = await register(ctx.app);
    const body = expectError(await add(user, productId), 400, 'VALIDATION_ERROR');
    expect(body.details).toHaveProperty('productId');
  });

  test('a non-JSON body → 415', async () => {
    const user = await register(ctx.app);
    const res = await request(ctx.app)
      .post(WISHLIST)
      .set(as(user))
      .set('Content-Type', 'text/plain')
      .send('productId=1');
    expect(res.status).toBe(415);
  });
});

describe('GET /wishlist', () => {
  test('{ products, total, skip, limit }, most recently added first, only active products, paged', async () => {
    const user = await register(ctx.app);
    const products = [];
    for (let i = 0; i < 4; i++) products.push(await createProduct(ctx, { title: `Item ${i}` }));
    for (const product of products) expect((await add(user, product.id)).status).toBe(201);

    const res = await list(user);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ total: 4, skip: 0, limit: 30 });
    expect(res.body.data.products.map((p: { title: string }) => p.title)).toEqual([
      'Item 3',
      'Item 2',
      'Item 1',
      'Item 0',
    ]);

    // Deactivate one and soft-delete another: they disappear from the list, the count and the check.
    await ctx.container.prisma.product.update({ where: { id: products[3].id }, data: { isActive: false } });
    await ctx.container.prisma.product.update({
      where: { id: products[1].id },
      data: { deletedAt: new Date() },
    });
    const after = await list(user);
    expect(after.body.data.total).toBe(2);
    expect(after.body.data.products.map((p: { title: string }) => p.title)).toEqual(['Item 2', 'Item 0']);
    expect(await count(user)).toBe(2);
    expect((await check(user, products[3].id)).body.data).toEqual({
      productId: products[3].id,
      inWishlist: false,
    });

    const page = await list(user, '?skip=1&limit=1');
    expect(page.status).toBe(200);
    expect(page.body.data).toMatchObject({ total: 2, skip: 1, limit: 1 });
    expect(page.body.data.products.map((p: { title: string }) => p.title)).toEqual(['Item 0']);
  });

  test('an empty wishlist', async () => {
    const user = await register(ctx.app);
    const res = await list(user);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ products: [], total: 0, skip: 0, limit: 30 });
    expect(await count(user)).toBe(0);
  });

  test('skip/limit out of range → 400', async () => {
    const user = await register(ctx.app);
    for (const [query, field] of [
      ['?limit=101', 'limit'],
      ['?limit=0', 'limit'],
      ['?skip=-1', 'skip'],
    ]) {
      const body = expectError(await list(user, query), 400, 'VALIDATION_ERROR');
      expect(body.details).toHaveProperty(field);
    }
  });
});

describe('GET /wishlist/count and /wishlist/check/:productId', () => {
  test('count follows adds and removes; check answers per product', async () => {
    const user = await register(ctx.app);
    const [a, b] = await Promise.all([createProduct(ctx), createProduct(ctx)]);
    expect(await count(user)).toBe(0);
    await add(user, a.id);
    await add(user, b.id);
    await add(user, b.id);
    expect(await count(user)).toBe(2);

    const inList = await check(user, a.id);
    expect(inList.status).toBe(200);
    expect(inList.body.data).toEqual({ productId: a.id, inWishlist: true });

    await remove(user, a.id);
    expect(await count(user)).toBe(1);
    expect((await check(user, a.id)).body.data).toEqual({ productId: a.id, inWishlist: false });
  });

  test('check of an unknown product → 200 inWishlist false; a non-integer id → 400', async () => {
    const user = await register(ctx.app);
    const res = await check(user, 999_999);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ productId: 999_999, inWishlist: false });
    const body = expectError(await check(user, 'abc'), 400, 'VALIDATION_ERROR');
    expect(body.details).toHaveProperty('productId');
  });
});

describe('DELETE /wishlist/:productId and DELETE /wishlist', () => {
  test('remove is idempotent: 200 removed true, then 200 removed false', async () => {
    const user = await register(ctx.app);
    const product = await createProduct(ctx);
    await add(user, product.id);

    const first = await remove(user, product.id);
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual({ productId: product.id, removed: true });
    const again = await remove(user, product.id);
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual({ productId: product.id, removed: false });
    const unknown = await remove(user, 999_999);
    expect(unknown.status).toBe(200);
    expect(unknown.body.data).toEqual({ productId: 999_999, removed: false });
    expect(await stored(user.id)).toBe(0);

    expectError(await remove(user, '1.5'), 400, 'VALIDATION_ERROR');
  });

  test('clear removes every item (hidden inactive ones too) and is idempotent', async () => {
    const user = await register(ctx.app);
    const [a, b, c] = await Promise.all([createProduct(ctx), createProduct(ctx), createProduct(ctx)]);
    for (const product of [a, b, c]) await add(user, product.id);
    await ctx.container.prisma.product.update({ where: { id: c.id }, data: { isActive: false } });

    const res = await clear(user);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ removed: 3 });
    expect(await stored(user.id)).toBe(0);
    expect((await list(user)).body.data.total).toBe(0);

    const again = await clear(user);
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual({ removed: 0 });
  });
});

describe('isolation between users (IDOR)', () => {
  test("another user's wishlist is never visible or changeable", async () => {
    const [alice, bob] = await Promise.all([register(ctx.app), register(ctx.app)]);
    const [shared, alicesOnly] = await Promise.all([createProduct(ctx), createProduct(ctx)]);
    await add(alice, shared.id);
    await add(alice, alicesOnly.id);

    // Bob sees an empty wishlist, a zero count, and "not in wishlist" for Alice's products.
    expect((await list(bob)).body.data).toEqual({ products: [], total: 0, skip: 0, limit: 30 });
    expect(await count(bob)).toBe(0);
    expect((await check(bob, alicesOnly.id)).body.data.inWishlist).toBe(false);
    // A userId smuggled into the query or body is ignored: the user comes from the token only.
    expect((await list(bob, `?userId=${alice.id}`)).body.data.total).toBe(0);
    const smuggled = await request(ctx.app)
      .post(WISHLIST)
      .set(as(bob))
      .send({ productId: shared.id, userId: alice.id });
    expect(smuggled.status).toBe(201);

    // Bob's removals and clear never touch Alice's items.
    expect((await remove(bob, alicesOnly.id)).body.data.removed).toBe(false);
    expect((await clear(bob)).body.data).toEqual({ removed: 1 });
    expect(await stored(alice.id)).toBe(2);
    expect(await count(alice)).toBe(2);
    expect((await check(alice, alicesOnly.id)).body.data.inWishlist).toBe(true);
  });
});

test('the routes are in the OpenAPI document', async () => {
  const res = await request(ctx.app).get(`${API}/openapi.json`);
  expect(res.status).toBe(200);
  expect(Object.keys(res.body.paths)).toEqual(
    expect.arrayContaining([
      '/api/v1/wishlist',
      '/api/v1/wishlist/count',
      '/api/v1/wishlist/check/{productId}',
      '/api/v1/wishlist/{productId}',
    ]),
  );
});
