import request from 'supertest';
import { API, bearer, expectError, register, registerAdmin, type TestUser } from '../helpers/auth';
import { PRODUCT_KEYS, seedCatalogue, type Catalogue } from '../helpers/catalogue';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;
let catalogue: Catalogue;
let admin: TestUser;
let customer: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
  catalogue = await seedCatalogue(ctx);
  [admin, customer] = await Promise.all([registerAdmin(ctx), register(ctx.app)]);
});
afterAll(async () => {
  await ctx?.close();
});

const as = (user: TestUser | undefined, method: 'post' | 'put' | 'patch' | 'delete', path: string) => {
  const req = request(ctx.app)[method](`${API}${path}`);
  return user ? req.set(bearer(user.token)) : req;
};
const read = (id: number) => request(ctx.app).get(`${API}/products/${id}`);

const newProduct = (overrides: Record<string, unknown> = {}) => ({
  title: 'Sony WH-1000XM5 Headphones',
  description: 'Noise cancelling wireless headphones.',
  price: 349.99,
  discountPercentage: 10.5,
  stock: 15,
  brand: 'Sony',
  category: 'electronics',
  thumbnail: 'https://cdn.example.test/sony.jpg',
  images: ['https://cdn.example.test/sony-1.jpg'],
  tags: ['audio', 'wireless'],
  sku: 'SONY-XM5',
  slug: 'sony-wh-1000xm5',
  weight: 250,
  ...overrides,
});

async function auditRow(action: string, entityId: number) {
  return ctx.container.prisma.auditLog.findFirst({
    where: { action, entityId: String(entityId) },
    orderBy: { id: 'desc' },
  });
}

describe('admin guard on every write', () => {
  const writes: Array<['post' | 'put' | 'patch' | 'delete', string, object | undefined]> = [
    ['post', '/products', newProduct()],
    ['put', '/products/1', { price: 1 }],
    ['delete', '/products/1', undefined],
    ['patch', '/products/1/stock', { delta: 1 }],
  ];

  test.each(writes)('%s %s without a token → 401, as a customer → 403', async (method, path, body) => {
    const anonymous = as(undefined, method, path);
    expectError(await (body ? anonymous.send(body) : anonymous), 401, 'UNAUTHORIZED');
    const asCustomer = as(customer, method, path);
    expectError(await (body ? asCustomer.send(body) : asCustomer), 403, 'FORBIDDEN');
  });

  test('a garbage token → 401', async () => {
    const res = await request(ctx.app)
      .post(`${API}/products`)
      .set('Authorization', 'Bearer not.a.jwt')
      .send(newProduct());
    expect(res.status).toBe(401);
  });
});

describe('POST /products', () => {
  test('201 with the public product; visible at once; audited', async () => {
    const res = await as(admin, 'post', '/products').send(newProduct());
    expect(res.status).toBe(201);
    const product = res.body.data;
    expect(Object.keys(product).sort()).toEqual(PRODUCT_KEYS);
    expect(product).toMatchObject({
      title: 'Sony WH-1000XM5 Headphones',
      price: 349.99,
      discountPercentage: 10.5,
      rating: 0,
      reviewCount: 0,
      stock: 15,
      brand: 'Sony',
      category: 'electronics',
      sku: 'SONY-XM5',
      slug: 'sony-wh-1000xm5',
      isActive: true,
      weight: 250,
      tags: ['audio', 'wireless'],
    });
    const stored = await ctx.container.prisma.product.findUniqueOrThrow({ where: { id: product.id } });
    expect(stored.price.toFixed(2)).toBe('349.99');

    const detail = await read(product.id);
    expect(detail.status).toBe(200);
    expect(detail.body.data).toMatchObject({ id: product.id, price: 349.99, reviews: [] });

    const audit = await auditRow('product.created', product.id);
    expect(audit).toMatchObject({ actorId: admin.id, entityType: 'product' });
    expect(audit?.requestId).toBe(res.headers['x-request-id']);
  });

  test('sku is generated and slug derived from the title when absent; a taken slug gets a suffix', async () => {
    const first = await as(admin, 'post', '/products').send({
      title: 'Été Linen Shirt',
      price: 49,
      category: 'fashion',
    });
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({
      slug: 'ete-linen-shirt',
      sku: expect.stringMatching(/^SKU-[0-9A-F]{10}$/),
      description: '',
      stock: 0,
      brand: null,
      thumbnail: null,
      images: [],
      price: 49,
    });
    const second = await as(admin, 'post', '/products').send({
      title: 'Été Linen Shirt',
      price: 49,
      category: 'fashion',
    });
    expect(second.status).toBe(201);
    expect(second.body.data.slug).toMatch(/^ete-linen-shirt-[0-9a-f]{6}$/);
    expect(second.body.data.sku).not.toBe(first.body.data.sku);
  });

  test('a duplicate sku or slug → 409 CONFLICT naming the field; nothing is created', async () => {
    const before = await ctx.container.prisma.product.count();
    const sku = expectError(
      await as(admin, 'post', '/products').send(newProduct({ slug: 'another-slug', sku: 'sku-iphone' })),
      409,
      'CONFLICT',
    );
    expect(sku.details).toEqual({ sku: ['Already in use'] });
    const slug = expectError(
      await as(admin, 'post', '/products').send(newProduct({ sku: 'ANOTHER-SKU', slug: 'iphone' })),
      409,
      'CONFLICT',
    );
    expect(slug.details).toEqual({ slug: ['Already in use'] });
    expect(await ctx.container.prisma.product.count()).toBe(before);
  });

  test.each([
    [{ title: undefined }, 'title'],
    [{ title: '   ' }, 'title'],
    [{ price: -1 }, 'price'],
    [{ price: 19.999 }, 'price'],
    [{ price: '19.99' }, 'price'],
    [{ price: 1e13 }, 'price'],
    [{ price: 1e21 }, 'price'],
    [{ price: 10_000_000_000 }, 'price'],
    [{ discountPercentage: 101 }, 'discountPercentage'],
    [{ stock: -1 }, 'stock'],
    [{ stock: 1.5 }, 'stock'],
    [{ category: undefined }, 'category'],
    [{ category: 'no-such-category' }, 'category'],
    [{ slug: 'Bad Slug!' }, 'slug'],
    [{ sku: 'has spaces' }, 'sku'],
    [{ images: 'not-an-array' }, 'images'],
    [{ isActive: 'yes' }, 'isActive'],
  ])('invalid %j → 400 VALIDATION_ERROR on %s', async (overrides, field) => {
    const body = expectError(
      await as(admin, 'post', '/products').send(
        newProduct({ sku: 'VALIDATION', slug: 'validation', ...overrides }),
      ),
      400,
      'VALIDATION_ERROR',
    );
    expect(body.details).toHaveProperty(field);
    expect((body.details as Record<string, string[]>)[field][0]).toEqual(expect.any(String));
  });

  test('non-JSON body → 415; malformed JSON → 400 INVALID_JSON', async () => {
    expect(
      (await as(admin, 'post', '/products').set('Content-Type', 'text/plain').send('title=x')).status,
    ).toBe(415);
    expectError(
      await as(admin, 'post', '/products').set('Content-Type', 'application/json').send('{"title":'),
      400,
      'INVALID_JSON',
    );
  });

  test('an inactive product can be created: 201, but hidden from the storefront', async () => {
    const res = await as(admin, 'post', '/products').send(
      newProduct({ sku: 'DRAFT-1', slug: 'draft-1', isActive: false }),
    );
    expect(res.status).toBe(201);
    expect(res.body.data.isActive).toBe(false);
    expectError(await read(res.body.data.id), 404, 'PRODUCT_NOT_FOUND');
  });
});

describe('PUT /products/:id', () => {
  test('partial update changes only the given fields; audited with before/after', async () => {
    const id = catalogue.products.xps.id;
    const { reviews: _reviews, updatedAt: _updatedAt, ...before } = (await read(id)).body.data;
    const res = await as(admin, 'put', `/products/${id}`).send({
      price: 1099.01,
      brand: 'Dell Technologies',
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      ...before,
      price: 1099.01,
      brand: 'Dell Technologies',
      updatedAt: expect.any(String),
    });
    const audit = await auditRow('product.updated', id);
    expect(audit?.metadata).toEqual({
      changes: { price: { from: 1199.5, to: 1099.01 }, brand: { from: 'Dell', to: 'Dell Technologies' } },
    });
  });

  test('read-only fields sent back (id, rating, reviewCount…) are ignored', async () => {
    const id = catalogue.products.pixel.id;
    const current = (await read(id)).body.data;
    const res = await as(admin, 'put', `/products/${id}`).send({
      ...current,
      id: 999,
      rating: 1,
      reviewCount: 99,
      reviews: [],
      stock: 11,
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      id,
      rating: current.rating,
      reviewCount: current.reviewCount,
      stock: 11,
    });
  });

  test('moving to another category by slug', async () => {
    const id = catalogue.products.case.id;
    const res = await as(admin, 'put', `/products/${id}`).send({ category: 'smartphones' });
    expect(res.status).toBe(200);
    expect(res.body.data.category).toBe('smartphones');
    expectError(
      await as(admin, 'put', `/products/${id}`).send({ category: 'nowhere' }),
      400,
      'VALIDATION_ERROR',
    );
  });

  test('re-activating an inactive product makes it visible', async () => {
    expectError(await read(catalogue.inactiveId), 404, 'PRODUCT_NOT_FOUND');
    const res = await as(admin, 'put', `/products/${catalogue.inactiveId}`).send({ isActive: true });
    expect(res.status).toBe(200);
    expect((await read(catalogue.inactiveId)).status).toBe(200);
    await as(admin, 'put', `/products/${catalogue.inactiveId}`).send({ isActive: false });
    expectError(await read(catalogue.inactiveId), 404, 'PRODUCT_NOT_FOUND');
  });

  test('unknown or deleted → 404; duplicate slug → 409; empty body → 400; bad id → 400', async () => {
    expectError(await as(admin, 'put', '/products/2147483647').send({ price: 1 }), 404, 'PRODUCT_NOT_FOUND');
    expectError(
      await as(admin, 'put', `/products/${catalogue.deletedId}`).send({ price: 1 }),
      404,
      'PRODUCT_NOT_FOUND',
    );
    expectError(
      await as(admin, 'put', `/products/${catalogue.products.xps.id}`).send({ slug: 'iphone' }),
      409,
      'CONFLICT',
    );
    expectError(
      await as(admin, 'put', `/products/${catalogue.products.xps.id}`).send({}),
      400,
      'VALIDATION_ERROR',
    );
    expectError(await as(admin, 'put', '/products/12abc').send({ price: 1 }), 400, 'VALIDATION_ERROR');
  });
});

describe('DELETE /products/:id', () => {
  test('soft delete → { id, isDeleted, deletedOn }; then 404 everywhere; audited; a second delete → 404', async () => {
    const created = await as(admin, 'post', '/products').send(
      newProduct({ sku: 'TO-DELETE', slug: 'to-delete' }),
    );
    const id = created.body.data.id;
    const res = await as(admin, 'delete', `/products/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ id, isDeleted: true, deletedOn: expect.any(String) });
    expect(Date.now() - Date.parse(res.body.data.deletedOn)).toBeLessThan(60_000);

    expectError(await read(id), 404, 'PRODUCT_NOT_FOUND');
    const list = await request(ctx.app).get(`${API}/products?limit=100`);
    expect(list.body.data.products.map((p: { id: number }) => p.id)).not.toContain(id);
    const row = await ctx.container.prisma.product.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ isActive: false, deletedAt: expect.any(Date) });
    const audits = await ctx.container.prisma.auditLog.findMany({
      where: { entityType: 'product', entityId: String(id) },
      orderBy: { id: 'asc' },
    });
    expect(audits.map((row) => [row.action, row.actorId])).toEqual([
      ['product.created', admin.id],
      ['product.deleted', admin.id],
    ]);

    expectError(await as(admin, 'delete', `/products/${id}`), 404, 'PRODUCT_NOT_FOUND');
    expectError(
      await as(admin, 'patch', `/products/${id}/stock`).send({ delta: 1 }),
      404,
      'PRODUCT_NOT_FOUND',
    );
  });
});

describe('PATCH /products/:id/stock', () => {
  let id: number;
  beforeAll(async () => {
    const res = await as(admin, 'post', '/products').send(
      newProduct({ sku: 'STOCKED', slug: 'stocked', stock: 5 }),
    );
    id = res.body.data.id;
  });

  test('{ delta } adds, negative removes, { stock } sets; each audited with previous and new stock', async () => {
    const up = await as(admin, 'patch', `/products/${id}/stock`).send({ delta: 3 });
    expect(up.status).toBe(200);
    expect(up.body.data).toMatchObject({ id, stock: 8 });
    expect((await as(admin, 'patch', `/products/${id}/stock`).send({ delta: -6 })).body.data.stock).toBe(2);
    expect((await as(admin, 'patch', `/products/${id}/stock`).send({ stock: 10 })).body.data.stock).toBe(10);
    expect((await read(id)).body.data.stock).toBe(10);
    const audit = await auditRow('product.stock_adjusted', id);
    expect(audit?.metadata).toEqual({ request: { stock: 10 }, previous: 2, stock: 10 });
  });

  test('never below zero: 409 INSUFFICIENT_STOCK with the contract details, nothing changes', async () => {
    await as(admin, 'patch', `/products/${id}/stock`).send({ stock: 4 });
    const body = expectError(
      await as(admin, 'patch', `/products/${id}/stock`).send({ delta: -5 }),
      409,
      'INSUFFICIENT_STOCK',
    );
    expect(body.details).toEqual([{ productId: id, requested: 5, available: 4 }]);
    expect((await read(id)).body.data.stock).toBe(4);
    expect((await as(admin, 'patch', `/products/${id}/stock`).send({ delta: -4 })).body.data.stock).toBe(0);
  });

  test.each([
    [{}, 'delta'],
    [{ delta: 1, stock: 2 }, 'delta'],
    [{ delta: 1.5 }, 'delta'],
    [{ delta: '3' }, 'delta'],
    [{ stock: -1 }, 'stock'],
  ])('%j → 400 VALIDATION_ERROR', async (body, field) => {
    const error = expectError(
      await as(admin, 'patch', `/products/${id}/stock`).send(body),
      400,
      'VALIDATION_ERROR',
    );
    expect(error.details).toHaveProperty(field);
  });

  test('a delta past the integer range → 400, not a 500', async () => {
    await as(admin, 'patch', `/products/${id}/stock`).send({ stock: 2_147_483_000 });
    expectError(
      await as(admin, 'patch', `/products/${id}/stock`).send({ delta: 2_000 }),
      400,
      'VALIDATION_ERROR',
    );
  });

  test('concurrent decrements never oversell: exactly the available units succeed', async () => {
    await as(admin, 'patch', `/products/${id}/stock`).send({ stock: 5 });
    const results = await Promise.all(
      Array.from({ length: 12 }, () => as(admin, 'patch', `/products/${id}/stock`).send({ delta: -1 })),
    );
    expect(results.filter((res) => res.status === 200)).toHaveLength(5);
    expect(results.filter((res) => res.status === 409)).toHaveLength(7);
    const row = await ctx.container.prisma.product.findUniqueOrThrow({ where: { id } });
    expect(row.stock).toBe(0);
  });

  test('unknown product → 404', async () => {
    expectError(
      await as(admin, 'patch', '/products/2147483647/stock').send({ delta: 1 }),
      404,
      'PRODUCT_NOT_FOUND',
    );
  });
});
