/**
 * Demo and benchmark data.
 *
 *   npm run db:seed                          # the ~120 hand-written products, accounts, reviews
 *   SEED_PRODUCTS=100000 npm run db:seed     # plus generated variations, for load tests
 *
 * Idempotent: everything is keyed by e-mail, slug or SKU and inserted with ON CONFLICT DO NOTHING / skipDuplicates,
 * so a second run (or two processes at once) adds nothing and never fails. The API calls `seedIfEmpty` at start-up.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';
import { Presets, SingleBar } from 'cli-progress';
import type { PrismaClient } from '../src/generated/prisma/client';
import { createLogger, type Logger } from '../src/lib/logger';
import { createDatabase } from '../src/lib/prisma';
import { CATEGORIES } from './seed/catalogue';
import {
  DEFAULT_PRODUCT_COUNT,
  generateProduct,
  productSku,
  type ProductRow,
  type ReviewRow,
} from './seed/generate';
import {
  CONTRACT_ACCOUNTS,
  CUSTOMER_ADDRESS,
  REVIEWERS,
  REVIEWER_PASSWORD,
  type SeedUser,
} from './seed/people';

export { DEFAULT_PRODUCT_COUNT } from './seed/generate';

export interface SeedOptions {
  logger: Logger;
  /** Catalogue size; default: the hand-written products (~120). */
  products?: number;
  /** bcrypt work factor; default BCRYPT_COST from the environment, else 12. */
  bcryptCost?: number;
  /** Products per INSERT statement (default 2000). */
  batchSize?: number;
  /** INSERT statements in flight at once (default 2). */
  concurrency?: number;
  /** Show a progress bar; default when stderr is a TTY and there is more than one batch. */
  progress?: boolean;
}

export interface SeedResult {
  /** Rows inserted by this run (0 everywhere on a re-run). */
  users: number;
  categories: number;
  products: number;
  reviews: number;
  /** Products whose rating/reviewCount were recomputed because they disagreed with their reviews. */
  ratingsRepaired: number;
  durationMs: number;
}

const DEFAULT_BATCH_SIZE = 2000;
const DEFAULT_BCRYPT_COST = 12;
const DEFAULT_CONCURRENCY = 2;

/** Seeds only a database with neither users nor products. Returns whether it seeded. */
export async function seedIfEmpty(prisma: PrismaClient, options: SeedOptions): Promise<boolean> {
  const [users, products] = await Promise.all([prisma.user.count(), prisma.product.count()]);
  if (users > 0 || products > 0) {
    options.logger.debug('seed skipped: the database already has data', { users, products });
    return false;
  }
  options.logger.info('empty database: seeding demo data');
  await seedDatabase(prisma, options);
  return true;
}

export async function seedDatabase(prisma: PrismaClient, options: SeedOptions): Promise<SeedResult> {
  const { logger } = options;
  const started = performance.now();
  const total = options.products ?? DEFAULT_PRODUCT_COUNT;
  if (!Number.isSafeInteger(total) || total < 0) throw new Error(`invalid product count: ${total}`);
  const bcryptCost = options.bcryptCost ?? bcryptCostFromEnv();
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);

  let lap = started;
  const phase = <T>(name: string, value: T): T => {
    const now = performance.now();
    logger.debug(`seed: ${name} took ${Math.round(now - lap)} ms`);
    lap = now;
    return value;
  };
  const users = phase('users', await seedUsers(prisma, bcryptCost));
  const categories = phase('categories', await seedCategories(prisma));
  const catalogue = phase(
    'products',
    await seedProducts(prisma, {
      total,
      batchSize,
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      logger,
      progress: options.progress ?? (Boolean(process.stderr.isTTY) && total > batchSize),
    }),
  );
  const ratingsRepaired = phase('rating check', await reconcileRatings(prisma));
  if (catalogue.products >= 10_000)
    phase('analyze', await prisma.$executeRawUnsafe('ANALYZE products, reviews'));

  const result: SeedResult = {
    users,
    categories,
    ...catalogue,
    ratingsRepaired,
    durationMs: Math.round(performance.now() - started),
  };
  logger.info(
    `seed done in ${(result.durationMs / 1000).toFixed(1)} s: inserted ${users} users, ${categories} categories, ` +
      `${catalogue.products} products, ${catalogue.reviews} reviews (catalogue size ${total})`,
    result,
  );
  return result;
}

function bcryptCostFromEnv(): number {
  const raw = process.env.BCRYPT_COST?.trim();
  if (!raw) return DEFAULT_BCRYPT_COST;
  const cost = Number(raw);
  if (!Number.isInteger(cost) || cost < 4 || cost > 15)
    throw new Error(`BCRYPT_COST must be 4-15, got "${raw}"`);
  return cost;
}

// ─── Users ───────────────────────────────────────────────────────────────────

async function seedUsers(prisma: PrismaClient, bcryptCost: number): Promise<number> {
  const all = [...CONTRACT_ACCOUNTS, ...REVIEWERS];
  const emails = all.map((user) => user.email);
  const existing = new Set(
    (await prisma.user.findMany({ where: { email: { in: emails } }, select: { email: true } })).map(
      (u) => u.email,
    ),
  );
  const missing = all.filter((user) => !existing.has(user.email));

  let inserted = 0;
  if (missing.length > 0) {
    // bcryptjs is pure JS (~0.25 s per hash at cost 12): the reviewers, who share a password, share one hash.
    let reviewerHash: string | undefined;
    const hashFor = async (user: SeedUser) => {
      if (user.password !== REVIEWER_PASSWORD) return bcrypt.hash(user.password, bcryptCost);
      reviewerHash ??= await bcrypt.hash(REVIEWER_PASSWORD, bcryptCost);
      return reviewerHash;
    };
    const verifiedAt = new Date();
    const data = [];
    for (const user of missing) {
      data.push({
        email: user.email,
        passwordHash: await hashFor(user),
        firstName: user.firstName,
        lastName: user.lastName,
        phone: user.phone,
        gender: user.gender,
        age: user.age,
        image: `https://dummyjson.com/icon/${user.email.split('@')[0].replace(/\W/g, '')}/128`,
        role: user.role,
        emailVerifiedAt: verifiedAt,
      });
    }
    ({ count: inserted } = await prisma.user.createMany({ data, skipDuplicates: true }));
  }

  const seeded = await prisma.user.findMany({
    where: { email: { in: emails } },
    select: { id: true, email: true },
  });
  await prisma.userPreferences.createMany({
    data: seeded.map(({ id }, n) => ({ userId: id, theme: ['system', 'light', 'dark'][n % 3] })),
    skipDuplicates: true,
  });

  const customer = seeded.find((user) => user.email === 'user@ecommerce.com');
  if (customer && (await prisma.address.count({ where: { userId: customer.id } })) === 0) {
    const account = CONTRACT_ACCOUNTS.find((user) => user.email === customer.email)!;
    await prisma.address.create({
      data: {
        userId: customer.id,
        ...CUSTOMER_ADDRESS,
        firstName: account.firstName,
        lastName: account.lastName,
        phone: account.phone,
        isDefault: true,
      },
    });
  }
  return inserted;
}

// ─── Categories ──────────────────────────────────────────────────────────────

async function seedCategories(prisma: PrismaClient): Promise<number> {
  const roots = CATEGORIES.filter((category) => !category.parent);
  const children = CATEGORIES.filter((category) => category.parent);
  const image = (slug: string) => `https://cdn.dummyjson.com/category-images/${slug}.png`;

  const { count: rootCount } = await prisma.category.createMany({
    data: roots.map(({ slug, name, description }, sortOrder) => ({
      slug,
      name,
      description,
      image: image(slug),
      sortOrder,
    })),
    skipDuplicates: true,
  });
  const parents = new Map(
    (
      await prisma.category.findMany({
        where: { slug: { in: roots.map((root) => root.slug) } },
        select: { id: true, slug: true },
      })
    ).map(({ id, slug }) => [slug, id]),
  );
  const siblings = new Map<string, number>();
  const { count: childCount } = await prisma.category.createMany({
    data: children.map(({ slug, name, description, parent }) => {
      const sortOrder = siblings.get(parent!) ?? 0;
      siblings.set(parent!, sortOrder + 1);
      return {
        slug,
        name,
        description,
        image: image(slug),
        sortOrder,
        parentId: parents.get(parent!) ?? null,
      };
    }),
    skipDuplicates: true,
  });
  return rootCount + childCount;
}

// ─── Products and reviews ────────────────────────────────────────────────────

/**
 * One statement per batch: products inserted with ids reserved beforehand (skipping any whose SKU or slug exists)
 * and, in the same statement, the reviews of exactly the products it inserted, so their denormalised
 * rating/reviewCount (computed while generating) always describe their reviews. category_text and search_vector
 * are filled by the database (trigger, generated column).
 */
const INSERT_BATCH_SQL = `
WITH input AS (
  SELECT * FROM json_to_recordset($1::json) AS t(
    id int, sku text, slug text, title text, description text, price numeric, discount_percentage numeric,
    rating numeric, rating_total int, review_count int, stock int, brand text, category text, thumbnail text,
    images text[], tags text[], weight int, created_at timestamp)
), inserted AS (
  INSERT INTO products (id, title, description, price, discount_percentage, rating, rating_total, review_count, stock,
                        brand, category_id, thumbnail, images, tags, sku, slug, weight, created_at, updated_at)
  SELECT i.id, i.title, i.description, i.price, i.discount_percentage, i.rating, i.rating_total, i.review_count,
         i.stock, i.brand, c.id, i.thumbnail, i.images, i.tags, i.sku, i.slug, i.weight, i.created_at, i.created_at
    FROM input i JOIN categories c ON c.slug = i.category
   ORDER BY i.id
  ON CONFLICT DO NOTHING
  RETURNING id, sku
), reviewed AS (
  INSERT INTO reviews (product_id, user_id, rating, comment, created_at, updated_at)
  SELECT p.id, u.id, r.rating, r.comment, r.created_at, r.created_at
    FROM json_to_recordset($2::json) AS r(sku text, email text, rating int, comment text, created_at timestamp)
    JOIN inserted p ON p.sku = r.sku
    JOIN users u ON u.email = r.email
  ON CONFLICT DO NOTHING
  RETURNING 1
)
SELECT (SELECT count(*) FROM inserted)::int AS products, (SELECT count(*) FROM reviewed)::int AS reviews`;

interface Batch {
  products: ProductRow[];
  reviews: ReviewRow[];
}

async function insertBatch(prisma: PrismaClient, batch: Batch) {
  const [counts] = await prisma.$queryRawUnsafe<Array<{ products: number; reviews: number }>>(
    INSERT_BATCH_SQL,
    JSON.stringify(batch.products),
    JSON.stringify(batch.reviews),
  );
  return { products: Number(counts.products), reviews: Number(counts.reviews), size: batch.products.length };
}

/** Catalogue positions (0-based) whose SKU is not in the database yet. */
async function missingProducts(prisma: PrismaClient, total: number): Promise<number[]> {
  const skus = Array.from({ length: total }, (_, index) => productSku(index));
  const existing = new Set<string>();
  for (let from = 0; from < total; from += 20_000) {
    // One JSON value rather than a row per SKU: decoding 100k rows through the client is the slow part.
    const [{ found }] = await prisma.$queryRawUnsafe<Array<{ found: string }>>(
      `SELECT coalesce(json_agg(sku), '[]')::text AS found
         FROM products WHERE sku IN (SELECT json_array_elements_text($1::json))`,
      JSON.stringify(skus.slice(from, from + 20_000)),
    );
    for (const sku of JSON.parse(found) as string[]) existing.add(sku);
  }
  return skus.flatMap((sku, index) => (existing.has(sku) ? [] : [index]));
}

/**
 * Reserves `count` consecutive product ids and returns the first. Explicit ids let batches run in parallel while
 * product N of the catalogue still gets id N on an empty database, on every machine. The table lock (it only
 * conflicts with writers, for a moment) keeps a concurrent INSERT from taking an id inside the block.
 */
async function reserveProductIds(prisma: PrismaClient, count: number): Promise<number> {
  const [, [row]] = await prisma.$transaction([
    prisma.$executeRawUnsafe('LOCK TABLE products IN SHARE ROW EXCLUSIVE MODE'),
    prisma.$queryRawUnsafe<Array<{ first: number }>>(
      `SELECT (setval(seq, nextval(seq) + $1::int - 1) - $1::int + 1)::int AS first
         FROM pg_get_serial_sequence('products', 'id') AS seq`,
      count,
    ),
  ]);
  return Number(row.first);
}

async function seedProducts(
  prisma: PrismaClient,
  options: { total: number; batchSize: number; concurrency: number; logger: Logger; progress: boolean },
): Promise<{ products: number; reviews: number }> {
  const { total, batchSize, logger } = options;
  const counts = { products: 0, reviews: 0 };
  const lookup = performance.now();
  const missing = await missingProducts(prisma, total);
  logger.debug(
    `seed: ${total - missing.length} of ${total} SKUs found in ${Math.round(performance.now() - lookup)} ms`,
  );
  if (missing.length < total) logger.info(`${total - missing.length} of ${total} products already present`);
  if (missing.length === 0) return counts;
  const firstId = await reserveProductIds(prisma, missing.length);

  const now = Date.now();
  const bar = options.progress
    ? new SingleBar(
        {
          format: 'products [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}',
          hideCursor: true,
          etaBuffer: 20,
        },
        Presets.shades_classic,
      )
    : undefined;
  bar?.start(missing.length, 0, { rate: 0 });
  const started = performance.now();
  let done = 0;
  let nextLog = 0.1;
  const account = (result: Awaited<ReturnType<typeof insertBatch>>) => {
    counts.products += result.products;
    counts.reviews += result.reviews;
    done += result.size;
    const rate = Math.round(done / Math.max((performance.now() - started) / 1000, 0.001));
    if (bar) bar.update(done, { rate });
    else if (missing.length > batchSize && (done / missing.length >= nextLog || done === missing.length)) {
      const percent = Math.floor((done * 100) / missing.length);
      logger.info(`seeding products: ${done}/${missing.length} (${percent}%, ${rate}/s)`);
      nextLog = Math.floor((done / missing.length) * 10 + 1) / 10;
    }
  };

  // Workers take the next batch, generate it (JS, cheap) and insert it: Postgres does the heavy lifting (tsvector,
  // GIN, triggers), so two statements in flight use both cores of a small machine.
  let nextBatch = 0;
  const worker = async () => {
    for (let from = nextBatch; from < missing.length; from = nextBatch) {
      nextBatch += batchSize;
      const batch: Batch = { products: [], reviews: [] };
      for (let position = from; position < Math.min(missing.length, from + batchSize); position++) {
        const { row, reviews } = generateProduct(missing[position], total, now);
        row.id = firstId + position;
        batch.products.push(row);
        batch.reviews.push(...reviews);
      }
      account(await insertBatch(prisma, batch));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  } finally {
    bar?.stop();
  }
  return counts;
}

/**
 * Makes every product's rating_total/review_count/rating agree with its reviews. A no-op after a normal run (the
 * inserts keep them consistent); repairs products whose reviewer account was missing, or an interrupted run.
 */
async function reconcileRatings(prisma: PrismaClient): Promise<number> {
  return prisma.$executeRawUnsafe(`
    WITH actual AS (
      SELECT p.id, coalesce(sum(r.rating), 0)::int AS total, count(r.id)::int AS cnt
        FROM products p LEFT JOIN reviews r ON r.product_id = p.id
       GROUP BY p.id
    )
    UPDATE products p
       SET rating_total = a.total,
           review_count = a.cnt,
           rating = CASE WHEN a.cnt = 0 THEN 0 ELSE round(a.total::numeric / a.cnt, 2) END,
           updated_at = now()
      FROM actual a
     WHERE p.id = a.id
       AND (p.rating_total <> a.total OR p.review_count <> a.cnt
            OR p.rating <> CASE WHEN a.cnt = 0 THEN 0 ELSE round(a.total::numeric / a.cnt, 2) END)`);
}

// ─── Direct run: npx tsx prisma/seed.ts ──────────────────────────────────────

async function main(): Promise<void> {
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (export it or put it in .env)');
  const rawCount = process.env.SEED_PRODUCTS?.trim();
  const products = rawCount ? Number(rawCount) : DEFAULT_PRODUCT_COUNT;
  if (!Number.isSafeInteger(products) || products < 0) {
    throw new Error(`SEED_PRODUCTS must be a non-negative integer, got "${rawCount}"`);
  }
  const logger = createLogger({ level: process.env.LOG_LEVEL || 'info', pretty: true, service: 'seed' });
  const database = createDatabase({ url, poolSize: 2 });
  try {
    await seedDatabase(database.prisma, { products, logger });
  } finally {
    await database.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
