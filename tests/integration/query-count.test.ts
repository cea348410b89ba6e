import request from 'supertest';
import { API } from '../helpers/auth';
import { countQueries, productStatements } from '../helpers/catalogue';
import { createTestContext, type TestContext } from '../helpers/test-app';

/**
 * No N+1: the number of SQL statements a catalogue request issues is a small constant, whatever the page size.
 * Every statement sent by any pg client (Prisma's adapter included) is counted; the cache is emptied before each
 * request so the database is really read.
 */
let ctx: TestContext;
let productId: number;

beforeAll(async () => {
  ctx = await createTestContext();
  const { prisma } = ctx.container;
  const root = await prisma.category.create({ data: { slug: 'root', name: 'Root' } });
  const categories = await Promise.all(
    ['a', 'b', 'c'].map((slug) =>
      prisma.category.create({ data: { slug, name: slug.toUpperCase(), parentId: root.id } }),
    ),
  );
  await prisma.product.createMany({
    data: Array.from({ length: 130 }, (_, i) => ({
      title: `Widget ${i} ${['Alpha', 'Beta', 'Gamma'][i % 3]}`,
      description: `Widget number ${i}`,
      price: `${10 + i}.99`,
      stock: i % 7,
      brand: `Brand ${i % 5}`,
      categoryId: categories[i % 3].id,
      images: [`https://cdn.example.test/${i}-1.jpg`, `https://cdn.example.test/${i}-2.jpg`],
      tags: ['widget'],
      sku: `QC-${i}`,
      slug: `widget-${i}`,
    })),
  });
  const users = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      prisma.user.create({
        data: { email: `qc-${i}@example.test`, passwordHash: 'x', firstName: `User${i}`, lastName: 'QC' },
      }),
    ),
  );
  productId = (await prisma.product.findFirstOrThrow({ where: { slug: 'widget-1' } })).id;
  await prisma.review.createMany({
    data: users.map((user, i) => ({
      productId,
      userId: user.id,
      rating: (i % 5) + 1,
      comment: `Review ${i}`,
    })),
  });
});
afterAll(async () => {
  await ctx?.close();
});

async function statementsFor(path: string): Promise<string[]> {
  await ctx.container.cache.invalidate('products', 'categories');
  const { result, statements } = await countQueries(() => request(ctx.app).get(`${API}${path}`));
  expect(result.status).toBe(200);
  expect(result.headers['x-cache']).toBe('MISS');
  return statements;
}

describe('SQL statements per request', () => {
  test.each([
    ['/products?limit=30', 2],
    ['/products?limit=100', 2],
    ['/products?limit=100&sortBy=price&order=desc&inStock=true&brand=Brand%201', 2],
    ['/products?limit=100&category=root', 3],
    ['/products/category/root?limit=100', 3],
    // Search: the vocabulary lookup, then one ranked query that also carries the total.
    ['/products/search?q=widgte&limit=100', 2],
    ['/products/search?q=widget&limit=100&category=root&minPrice=20', 3],
    ['/products/search?q=widget&limit=100&sortBy=price', 3],
  ])('%s → %i statements', async (path, expected) => {
    const statements = await statementsFor(path);
    expect(statements).toHaveLength(expected);
  });

  test('a list of 100 costs exactly what a list of 5 costs', async () => {
    const five = await statementsFor('/products?limit=5&category=root&sortBy=rating');
    const hundred = await statementsFor('/products?limit=100&category=root&sortBy=rating');
    expect(hundred).toHaveLength(five.length);
    expect(productStatements(hundred)).toHaveLength(2);
  });

  test('a cursor page deep in the list costs what the first page costs', async () => {
    const first = await request(ctx.app).get(`${API}/products?limit=100&sortBy=price`);
    const deep = await statementsFor(`/products?limit=100&sortBy=price&cursor=${first.body.data.nextCursor}`);
    expect(deep).toHaveLength(2);
  });

  test('product detail with 10 reviews (and their authors): a constant, ≤ 3', async () => {
    const statements = await statementsFor(`/products/${productId}`);
    expect(statements.length).toBeLessThanOrEqual(3);
    const res = await request(ctx.app).get(`${API}/products/${productId}`);
    expect(res.body.data.reviews).toHaveLength(10);
  });

  test.each(['/products/categories', '/categories', '/categories/root', '/products/brands'])(
    '%s: ≤ 2 statements',
    async (path) => {
      expect((await statementsFor(path)).length).toBeLessThanOrEqual(2);
    },
  );
});
