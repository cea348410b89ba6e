import bcrypt from 'bcryptjs';
import { DEFAULT_PRODUCT_COUNT, seedDatabase, seedIfEmpty } from '../../prisma/seed';
import { createLogger } from '../../src/lib/logger';
import { createTestContext, type TestContext } from '../helpers/test-app';

jest.setTimeout(120_000);

const logger = createLogger({ level: 'silent', pretty: false, service: 'seed-test' });
const previousCost = process.env.BCRYPT_COST;
let ctx: TestContext;

beforeAll(async () => {
  process.env.BCRYPT_COST = '4';
  ctx = await createTestContext();
});

afterAll(async () => {
  if (previousCost === undefined) delete process.env.BCRYPT_COST;
  else process.env.BCRYPT_COST = previousCost;
  await ctx.close();
});

/** A fingerprint of every row the seed writes: equal fingerprints mean nothing changed. */
async function fingerprint(): Promise<Record<string, string>> {
  const tables = ['users', 'user_preferences', 'addresses', 'categories', 'products', 'reviews'];
  const result: Record<string, string> = {};
  for (const table of tables) {
    const [row] = await ctx.container.prisma.$queryRawUnsafe<Array<{ digest: string | null }>>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM ${table} t`,
    );
    result[table] = row.digest ?? '';
  }
  return result;
}

describe('seed', () => {
  test('seedIfEmpty seeds an empty database, then leaves it alone', async () => {
    const prisma = ctx.container.prisma;
    expect(await seedIfEmpty(prisma, { logger })).toBe(true);
    expect(await prisma.product.count()).toBe(DEFAULT_PRODUCT_COUNT);
    // Deterministic: catalogue position N gets id N on an empty database.
    expect(await prisma.product.findUnique({ where: { id: 1 } })).toMatchObject({ title: 'iPhone 15 Pro' });
    const before = await fingerprint();
    expect(await seedIfEmpty(prisma, { logger })).toBe(false);
    expect(await fingerprint()).toEqual(before);
  });

  test('seedDatabase is idempotent: a second run inserts and changes nothing', async () => {
    const prisma = ctx.container.prisma;
    await ctx.reset();
    const first = await seedDatabase(prisma, { products: 150, logger, batchSize: 64, progress: false });
    expect(first).toMatchObject({ users: 22, products: 150, ratingsRepaired: 0 });
    expect(first.categories).toBeGreaterThanOrEqual(10);
    expect(first.reviews).toBeGreaterThan(300);
    // Batches ran two at a time, yet ids follow the catalogue order (the SKU ends with the position).
    const misplaced = await prisma.$queryRawUnsafe<unknown[]>(
      `SELECT id FROM products WHERE right(sku, 6)::int <> id`,
    );
    expect(misplaced).toEqual([]);
    const before = await fingerprint();

    const second = await seedDatabase(prisma, { products: 150, logger, batchSize: 64, progress: false });
    expect(second).toMatchObject({ users: 0, categories: 0, products: 0, reviews: 0, ratingsRepaired: 0 });
    expect(await fingerprint()).toEqual(before);
  });

  test('catalogue: ≥ 100 products, unique SKUs and slugs, the iPhone 15 Pro', async () => {
    const prisma = ctx.container.prisma;
    expect(await prisma.product.count()).toBeGreaterThanOrEqual(100);
    const products = await prisma.product.findMany({
      select: { sku: true, slug: true, price: true, images: true },
    });
    expect(new Set(products.map((p) => p.sku)).size).toBe(products.length);
    expect(new Set(products.map((p) => p.slug)).size).toBe(products.length);
    for (const product of products) {
      expect(product.price.toNumber()).toBeGreaterThan(0);
      expect(product.images.length).toBeGreaterThan(0);
    }
    const iphone = await prisma.product.findFirst({ where: { title: 'iPhone 15 Pro' } });
    expect(iphone).toMatchObject({ brand: 'Apple', isActive: true });
    expect(iphone!.stock).toBeGreaterThan(0);
    expect(iphone!.thumbnail).toMatch(/^https:\/\//);
  });

  test('categories form a tree', async () => {
    const categories = await ctx.container.prisma.category.findMany({
      include: { _count: { select: { products: true } } },
    });
    expect(categories.length).toBeGreaterThanOrEqual(10);
    const ids = new Set(categories.map((c) => c.id));
    const children = categories.filter((c) => c.parentId !== null);
    expect(children.length).toBeGreaterThanOrEqual(10);
    expect(categories.filter((c) => c.parentId === null).length).toBeGreaterThanOrEqual(3);
    for (const child of children) expect(ids.has(child.parentId!)).toBe(true);
    const smartphones = categories.find((c) => c.slug === 'smartphones');
    const electronics = categories.find((c) => c.slug === 'electronics');
    expect(smartphones?.parentId).toBe(electronics?.id);
    expect(smartphones?._count.products).toBeGreaterThan(0);
  });

  test('the contract accounts exist with their roles and passwords', async () => {
    const prisma = ctx.container.prisma;
    const accounts = [
      { email: 'admin@ecommerce.com', password: 'AdminPass123!', role: 'ADMIN' },
      { email: 'user@ecommerce.com', password: 'UserPass123!', role: 'CUSTOMER' },
    ];
    for (const { email, password, role } of accounts) {
      const user = await prisma.user.findUnique({ where: { email }, include: { preferences: true } });
      expect(user).toMatchObject({ role, isActive: true });
      expect(user!.emailVerifiedAt).toBeInstanceOf(Date);
      expect(user!.preferences).not.toBeNull();
      expect(await bcrypt.compare(password, user!.passwordHash)).toBe(true);
    }
    const customer = await prisma.user.findUnique({ where: { email: 'user@ecommerce.com' } });
    expect(await prisma.address.count({ where: { userId: customer!.id } })).toBe(1);
    expect(await prisma.review.count({ where: { userId: customer!.id } })).toBe(0);
    expect(await prisma.user.count({ where: { role: 'CUSTOMER' } })).toBeGreaterThanOrEqual(21);
  });

  test("products' rating, rating_total and review_count agree with their reviews", async () => {
    const prisma = ctx.container.prisma;
    const mismatches = await prisma.$queryRawUnsafe<unknown[]>(`
      SELECT p.id FROM products p
       WHERE p.review_count <> (SELECT count(*) FROM reviews r WHERE r.product_id = p.id)
          OR p.rating_total <> (SELECT coalesce(sum(r.rating), 0) FROM reviews r WHERE r.product_id = p.id)
          OR p.rating <> CASE WHEN p.review_count = 0 THEN 0
                              ELSE round(p.rating_total::numeric / p.review_count, 2) END`);
    expect(mismatches).toEqual([]);
    const [stats] = await prisma.$queryRawUnsafe<Array<{ min: number; max: number; reviewed: number }>>(
      `SELECT min(rating)::int AS min, max(rating)::int AS max,
              (SELECT count(DISTINCT product_id) FROM reviews)::int AS reviewed FROM reviews`,
    );
    expect(stats.min).toBeGreaterThanOrEqual(1);
    expect(stats.max).toBeLessThanOrEqual(5);
    expect(stats.reviewed).toBeGreaterThanOrEqual(100);
  });
});
