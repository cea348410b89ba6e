import request from 'supertest';
import { API, bearer, expectError, register, registerAdmin, type TestUser } from '../helpers/auth';
import { seedCatalogue, type Catalogue } from '../helpers/catalogue';
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

/** Audit actions recorded for one category. */
async function categoryAudit(id: number) {
  const rows = await ctx.container.prisma.auditLog.findMany({
    where: { entityType: 'category', entityId: String(id) },
    orderBy: { id: 'asc' },
  });
  return rows.map((row) => row.action);
}

const get = (path: string) => request(ctx.app).get(`${API}${path}`);
/** As the admin by default; `null` sends no token. */
const write = (method: 'post' | 'put' | 'delete', path: string, user: TestUser | null = admin) => {
  const req = request(ctx.app)[method](`${API}${path}`);
  return user ? req.set(bearer(user.token)) : req;
};

interface Node {
  slug: string;
  productCount: number;
  children: Node[];
  [key: string]: unknown;
}
const shape = (nodes: Node[]): unknown =>
  nodes.map((node) => ({ slug: node.slug, count: node.productCount, children: shape(node.children) }));

describe('GET /categories', () => {
  test('the tree, siblings by sortOrder then name, counts including sub-categories', async () => {
    const res = await get('/categories');
    expect(res.status).toBe(200);
    expect(shape(res.body.data)).toEqual([
      {
        slug: 'electronics',
        count: 6,
        children: [
          { slug: 'smartphones', count: 3, children: [] },
          { slug: 'laptops', count: 2, children: [] },
        ],
      },
      { slug: 'fashion', count: 2, children: [{ slug: 'shoes', count: 2, children: [] }] },
    ]);
    expect(res.body.data[0]).toEqual({
      id: catalogue.categories.electronics.id,
      slug: 'electronics',
      name: 'Electronics',
      description: null,
      image: null,
      parentSlug: null,
      sortOrder: 0,
      productCount: 6,
      children: expect.any(Array),
    });
    expect(res.body.data[0].children[0].parentSlug).toBe('electronics');
  });

  test('GET /categories/:slug: the category, its sub-tree and its ancestors', async () => {
    const res = await get('/categories/smartphones');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      id: catalogue.categories.smartphones.id,
      slug: 'smartphones',
      name: 'Smartphones',
      parentSlug: 'electronics',
      productCount: 3,
      children: [],
      ancestors: [{ slug: 'electronics', name: 'Electronics' }],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const root = (await get('/categories/electronics')).body.data;
    expect(root.ancestors).toEqual([]);
    expect(root.children.map((child: Node) => child.slug)).toEqual(['smartphones', 'laptops']);
  });

  test('an unknown slug → 404 CATEGORY_NOT_FOUND', async () => {
    expectError(await get('/categories/nope'), 404, 'CATEGORY_NOT_FOUND');
  });
});

describe('admin writes', () => {
  test.each([
    ['post', '/categories'],
    ['put', '/categories/shoes'],
    ['delete', '/categories/shoes'],
  ] as const)('%s %s: no token → 401, customer → 403', async (method, path) => {
    expectError(await write(method, path, null).send({ name: 'X' }), 401, 'UNAUTHORIZED');
    expectError(await write(method, path, customer).send({ name: 'X' }), 403, 'FORBIDDEN');
  });

  test('create: 201, slug derived from the name, under a parent; in the tree at once; audited', async () => {
    const res = await write('post', '/categories').send({
      name: 'Running Shoes',
      parentSlug: 'shoes',
      description: 'For runners',
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      slug: 'running-shoes',
      name: 'Running Shoes',
      parentSlug: 'shoes',
      description: 'For runners',
      productCount: 0,
      children: [],
      ancestors: [
        { slug: 'fashion', name: 'Fashion' },
        { slug: 'shoes', name: 'Shoes' },
      ],
    });
    const fashion = (await get('/categories/fashion')).body.data;
    expect(fashion.children[0].children.map((node: Node) => node.slug)).toEqual(['running-shoes']);
    expect(await categoryAudit(res.body.data.id)).toEqual(['category.created']);
  });

  test('create: duplicate slug → 409 CONFLICT; unknown parent and bad fields → 400', async () => {
    const dup = expectError(
      await write('post', '/categories').send({ name: 'Shoes again', slug: 'shoes' }),
      409,
      'CONFLICT',
    );
    expect(dup.details).toEqual({ slug: ['Already in use'] });
    const parent = expectError(
      await write('post', '/categories').send({ name: 'Orphan', parentSlug: 'nowhere' }),
      400,
      'VALIDATION_ERROR',
    );
    expect(parent.details).toHaveProperty('parentSlug');
    expect(
      expectError(await write('post', '/categories').send({}), 400, 'VALIDATION_ERROR').details,
    ).toHaveProperty('name');
    expect(
      expectError(
        await write('post', '/categories').send({ name: 'X', slug: 'Not A Slug' }),
        400,
        'VALIDATION_ERROR',
      ).details,
    ).toHaveProperty('slug');
    expect(
      expectError(await write('post', '/categories').send({ name: '!!!' }), 400, 'VALIDATION_ERROR').details,
    ).toHaveProperty('slug');
  });

  test('update: rename and re-slug; products show the new slug and are found by the new name', async () => {
    const res = await write('put', '/categories/laptops').send({ name: 'Notebooks', slug: 'notebooks' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ slug: 'notebooks', name: 'Notebooks', productCount: 2 });
    expectError(await get('/categories/laptops'), 404, 'CATEGORY_NOT_FOUND');

    const product = (await get(`/products/${catalogue.products.xps.id}`)).body.data;
    expect(product.category).toBe('notebooks');
    const found = (await get('/products/search?q=notebooks')).body.data.products.map(
      (p: { id: number }) => p.id,
    );
    expect(found).toEqual(expect.arrayContaining([catalogue.products.xps.id, catalogue.products.macbook.id]));
    expect((await get('/products/category/notebooks')).body.data.total).toBe(2);
    expectError(await get('/products/category/laptops'), 404, 'CATEGORY_NOT_FOUND');
    expect(await categoryAudit(catalogue.categories.laptops.id)).toEqual(['category.updated']);
  });

  test('update: move under another parent; sub-category filters follow', async () => {
    const res = await write('put', '/categories/notebooks').send({ parentSlug: 'fashion' });
    expect(res.status).toBe(200);
    expect(res.body.data.ancestors).toEqual([{ slug: 'fashion', name: 'Fashion' }]);
    expect((await get('/products?category=fashion')).body.data.total).toBe(4);
    expect((await get('/products?category=electronics')).body.data.total).toBe(4);
    // …and back to the top level, then under electronics again.
    expect(
      (await write('put', '/categories/notebooks').send({ parentSlug: null })).body.data.parentSlug,
    ).toBeNull();
    expect((await write('put', '/categories/notebooks').send({ parentSlug: 'electronics' })).status).toBe(
      200,
    );
    expect((await get('/products?category=electronics')).body.data.total).toBe(6);
  });

  test('update: no cycles — not under itself, not under a descendant → 409 CATEGORY_CYCLE', async () => {
    const self = expectError(
      await write('put', '/categories/electronics').send({ parentSlug: 'electronics' }),
      409,
      'CATEGORY_CYCLE',
    );
    expect(self.details).toHaveProperty('parentSlug');
    expectError(
      await write('put', '/categories/electronics').send({ parentSlug: 'smartphones' }),
      409,
      'CATEGORY_CYCLE',
    );
    expectError(
      await write('put', '/categories/fashion').send({ parentSlug: 'running-shoes' }),
      409,
      'CATEGORY_CYCLE',
    );
    expect((await get('/categories/electronics')).body.data.parentSlug).toBeNull();
  });

  test('concurrent opposite moves cannot form a cycle together', async () => {
    await write('post', '/categories').send({ name: 'Alpha' });
    await write('post', '/categories').send({ name: 'Beta' });
    const results = await Promise.all([
      write('put', '/categories/alpha').send({ parentSlug: 'beta' }),
      write('put', '/categories/beta').send({ parentSlug: 'alpha' }),
    ]);
    expect(results.map((res) => res.status).sort()).toEqual([200, 409]);
  });

  test('update: unknown → 404; duplicate slug → 409; empty body → 400', async () => {
    expectError(await write('put', '/categories/nope').send({ name: 'X' }), 404, 'CATEGORY_NOT_FOUND');
    expectError(await write('put', '/categories/shoes').send({ slug: 'fashion' }), 409, 'CONFLICT');
    expectError(await write('put', '/categories/shoes').send({}), 400, 'VALIDATION_ERROR');
  });

  test('delete: with sub-categories or products → 409 CATEGORY_NOT_EMPTY; an empty one → deleted, audited', async () => {
    const withChildren = expectError(await write('delete', '/categories/fashion'), 409, 'CATEGORY_NOT_EMPTY');
    expect(withChildren.details).toMatchObject({ children: 1 });
    const withProducts = expectError(
      await write('delete', '/categories/smartphones'),
      409,
      'CATEGORY_NOT_EMPTY',
    );
    expect(withProducts.details).toEqual({ children: 0, products: 5 });

    const empty = (await write('post', '/categories').send({ name: 'Empty One' })).body.data;
    const res = await write('delete', '/categories/empty-one');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      id: empty.id,
      slug: 'empty-one',
      isDeleted: true,
      deletedOn: expect.any(String),
    });
    expectError(await get('/categories/empty-one'), 404, 'CATEGORY_NOT_FOUND');
    expect(JSON.stringify((await get('/categories')).body.data)).not.toContain('empty-one');
    expectError(await write('delete', '/categories/empty-one'), 404, 'CATEGORY_NOT_FOUND');
    expect(await categoryAudit(empty.id)).toEqual(['category.created', 'category.deleted']);
  });
});
