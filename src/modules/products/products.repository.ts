import type { Pool } from 'pg';
import { toDecimalString, type Minor } from '../../common/money';
import { Prisma, SQL_UTC_NOW, type Db, type DbClient } from '../../lib/prisma';
import { reviewRowSelect, type ReviewRow } from '../reviews/review.serializer';
import type { SearchPlan, TermCandidate } from './products.search';
import type { SortField } from './products.schemas';
import type { ProductRow } from './products.serializer';
import { INT32_MAX } from '../../common/int32';

export interface ProductFilters {
  /** The category and all its descendants; an empty array matches nothing. */
  categoryIds?: number[];
  brand?: string;
  minPrice?: Minor;
  maxPrice?: Minor;
  minRating?: number;
  inStock?: boolean;
  search?: SearchPlan;
}

export type SortKey = SortField | 'relevance';

export interface Ordering {
  sortBy: SortKey;
  order: 'asc' | 'desc';
}

/** Where the previous page ended: the last row's sort value (exact text) and id. */
export interface KeysetPosition {
  value: string;
  id: number;
}

export type ProductPageRow = ProductRow & { sortValue: string; total?: number };

/** Sortable columns; each has a `(is_active, <column>, id)` index so keyset pages are index range scans. */
const SORT_COLUMNS: Record<SortField, { column: Prisma.Sql; type: Prisma.Sql }> = {
  price: { column: Prisma.raw('p.price'), type: Prisma.raw('numeric') },
  rating: { column: Prisma.raw('p.rating'), type: Prisma.raw('numeric') },
  title: { column: Prisma.raw('p.title'), type: Prisma.raw('text') },
  createdAt: { column: Prisma.raw('p.created_at'), type: Prisma.raw('timestamp') },
  stock: { column: Prisma.raw('p.stock'), type: Prisma.raw('integer') },
};

/** Timestamps are stored in UTC (Prisma's convention); rendered as ISO-8601 text by PostgreSQL. */
const isoUtc = (column: string) => Prisma.raw(`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/** The public row. Decimals are selected as text and converted to JSON numbers without float arithmetic. */
const PRODUCT_COLUMNS = Prisma.sql`
  p.id, p.title, p.description, p.price::text AS price, p.discount_percentage::text AS "discountPercentage",
  p.rating::text AS rating, p.stock, p.brand, c.slug AS category, p.thumbnail, p.images, p.tags, p.sku, p.slug,
  p.is_active AS "isActive", p.review_count AS "reviewCount", p.currency, p.weight,
  ${isoUtc('p.created_at')} AS "createdAt", ${isoUtc('p.updated_at')} AS "updatedAt"`;

/**
 * What the storefront may see. A soft-deleted product is always inactive (a trigger enforces it, see the
 * product_search migration), so `is_active` alone decides — and every `(is_active, …)` / `(category_id, is_active,
 * …)` index can answer counts index-only, which a `deleted_at IS NULL` test would prevent.
 */
const VISIBLE = Prisma.sql`p.is_active = true`;

/** Vocabulary candidates per word: nearest by trigram distance, and containing the word. */
const NEAREST_TERMS = 3;
const CONTAINING_TERMS = 6;

const tsquery = (plan: SearchPlan) => Prisma.sql`to_tsquery('english', ${plan.tsquery})`;

/** Only the GIN-indexed full-text match: typo and substring tolerance are already folded into the tsquery. */
const searchMatch = (plan: SearchPlan) => Prisma.sql`p.search_vector @@ ${tsquery(plan)}`;

/**
 * Relevance: the weighted full-text rank (title A, brand/category B, description C; normalised by document length)
 * plus a small bonus for short titles, so "iPhone 15 Pro" comes before "Case for iPhone 15 Pro". Both are cheap per
 * row — broad queries rank every match (pg_trgm's similarity() per row was measured 10x costlier and dropped).
 */
function relevance(plan: SearchPlan): Prisma.Sql {
  return Prisma.sql`(ts_rank(p.search_vector, ${tsquery(plan)}, 1) + 1.0 / (10 + char_length(p.title)))::real`;
}

function whereClause(filters: ProductFilters): Prisma.Sql {
  const conditions: Prisma.Sql[] = [VISIBLE];
  if (filters.categoryIds?.length === 1) {
    // Plain equality (not `= ANY`) lets the planner read `(category_id, is_active, price, id)` in price order.
    conditions.push(Prisma.sql`p.category_id = ${filters.categoryIds[0]}::int`);
  } else if (filters.categoryIds) {
    conditions.push(Prisma.sql`p.category_id = ANY(${filters.categoryIds}::int[])`);
  }
  if (filters.brand !== undefined) conditions.push(Prisma.sql`p.brand = ${filters.brand}`);
  if (filters.minPrice !== undefined) {
    conditions.push(Prisma.sql`p.price >= ${toDecimalString(filters.minPrice)}::numeric`);
  }
  if (filters.maxPrice !== undefined) {
    conditions.push(Prisma.sql`p.price <= ${toDecimalString(filters.maxPrice)}::numeric`);
  }
  if (filters.minRating !== undefined)
    conditions.push(Prisma.sql`p.rating >= ${String(filters.minRating)}::numeric`);
  if (filters.inStock === true) conditions.push(Prisma.sql`p.stock > 0`);
  if (filters.inStock === false) conditions.push(Prisma.sql`p.stock = 0`);
  if (filters.search) conditions.push(searchMatch(filters.search));
  return Prisma.join(conditions, ' AND ');
}

export interface ProductWriteData {
  title: string;
  description: string;
  priceMinor: Minor;
  discountPercentage: number;
  stock: number;
  brand: string | null;
  categoryId: number;
  thumbnail: string | null;
  images: string[];
  tags: string[];
  sku: string;
  slug: string;
  weight: number | null;
  isActive: boolean;
}

export type StockChange = { delta: number } | { stock: number };

export interface StockResult {
  previous: number;
  stock: number;
}

/** Checkout's decrement: the refused product ids, and each decremented product's stock afterwards. */
export interface StockDecrement {
  refused: number[];
  stockAfter: Map<number, number>;
}

/** A product as a cart line sees it (decimals as exact text). */
export interface CartProductRow {
  id: number;
  title: string;
  thumbnail: string | null;
  price: string;
  discountPercentage: string;
  stock: number;
  available: boolean;
}

/** A product as checkout prices and snapshots it (decimals as exact text). */
export interface CheckoutProductRow {
  id: number;
  title: string;
  sku: string;
  thumbnail: string | null;
  price: string;
  discountPercentage: string;
  currency: string;
  stock: number;
}

/**
 * Every SQL statement on products. The storefront read paths are hand-written SQL (keyset, full-text, trigram) sent
 * straight through the `pg` pool that Prisma's adapter also uses: for these queries Prisma's raw-query layer cost
 * more than the database did (a 31-row page: 5.8 ms through `$queryRaw`, 2.3 ms through the pool, measured on the
 * 100k catalogue). Writes and everything inside a transaction go through Prisma.
 */
export class ProductRepository {
  constructor(
    private readonly db: Db,
    private readonly pool: Pool,
  ) {}

  private async read<T>(query: Prisma.Sql): Promise<T[]> {
    return (await this.pool.query({ text: query.text, values: query.values })).rows as T[];
  }

  /**
   * One page: `limit + 1` rows are read so the caller knows whether another page follows. With `after`, rows
   * strictly after that keyset position (skip is not used); the `(sort column, id)` row comparison is an index
   * range scan on `(is_active, <column>, id)`, so page 3 000 costs what page 1 costs. `withTotal` (relevance
   * order only) adds the total match count to every row (a window count over the same scan).
   */
  page(
    filters: ProductFilters,
    ordering: Ordering,
    {
      skip,
      limit,
      after,
      withTotal = false,
    }: { skip: number; limit: number; after?: KeysetPosition; withTotal?: boolean },
  ): Promise<ProductPageRow[]> {
    const direction = ordering.order === 'desc' ? Prisma.raw('DESC') : Prisma.raw('ASC');
    const comparator = ordering.order === 'desc' ? Prisma.raw('<') : Prisma.raw('>');
    let sortExpression: Prisma.Sql;
    let castType: Prisma.Sql;
    if (ordering.sortBy === 'relevance') {
      if (!filters.search) throw new Error('relevance ordering needs a search');
      sortExpression = relevance(filters.search);
      castType = Prisma.raw('real');
    } else {
      ({ column: sortExpression, type: castType } = SORT_COLUMNS[ordering.sortBy]);
    }
    const keyset = after
      ? Prisma.sql`AND (${sortExpression}, p.id) ${comparator} (${after.value}::${castType}, ${after.id}::int)`
      : Prisma.empty;
    const offset = after ? 0 : skip;
    if (ordering.sortBy === 'relevance') {
      // Ranking visits every match; keep those rows narrow (id, rank) and fetch the full columns of the page only
      // ("late materialisation"), and count the matches in the same pass when asked (a window over narrow rows).
      // (`OFFSET 0` keeps the inner query from being flattened, so only (id, rank) reach the window: measured,
      // the wide rows otherwise spilled the window to disk.)
      const total = withTotal
        ? Prisma.sql`, count(*) OVER ()::int AS total`
        : Prisma.sql`, NULL::int AS total`;
      return this.read<ProductPageRow>(Prisma.sql`
        WITH ranked AS (
          SELECT m.id, m.rank ${total}
            FROM (SELECT p.id, ${sortExpression} AS rank
                    FROM products p
                   WHERE ${whereClause(filters)} ${keyset}
                  OFFSET 0) m
           ORDER BY m.rank ${direction}, m.id ${direction}
           LIMIT ${limit + 1} OFFSET ${offset}
        )
        SELECT ${PRODUCT_COLUMNS}, r.rank::text AS "sortValue", r.total
          FROM ranked r
          JOIN products p ON p.id = r.id
          JOIN categories c ON c.id = p.category_id
         ORDER BY r.rank ${direction}, p.id ${direction}`);
    }
    return this.read<ProductPageRow>(Prisma.sql`
      SELECT ${PRODUCT_COLUMNS}, (${sortExpression})::text AS "sortValue"
        FROM products p
        JOIN categories c ON c.id = p.category_id
       WHERE ${whereClause(filters)} ${keyset}
       ORDER BY ${sortExpression} ${direction}, p.id ${direction}
       LIMIT ${limit + 1} OFFSET ${offset}`);
  }

  async count(filters: ProductFilters): Promise<number> {
    const [row] = await this.read<{ total: number }>(Prisma.sql`
      SELECT count(*)::int AS total FROM products p WHERE ${whereClause(filters)}`);
    return row.total;
  }

  /** One product by id; only a visible one unless `includeInactive` (admin writes answer with inactive ones too). */
  async findById(
    id: number,
    { includeInactive = false }: { includeInactive?: boolean } = {},
    tx: DbClient = this.db,
  ): Promise<ProductRow | null> {
    const visibility = includeInactive ? Prisma.sql`p.deleted_at IS NULL` : VISIBLE;
    const query = Prisma.sql`
      SELECT ${PRODUCT_COLUMNS}
        FROM products p
        JOIN categories c ON c.id = p.category_id
       WHERE p.id = ${id}::int AND ${visibility}`;
    const rows =
      tx === this.db ? await this.read<ProductRow>(query) : await tx.$queryRaw<ProductRow[]>(query);
    return rows[0] ?? null;
  }

  /**
   * The catalogue side of a cart, in one query for all its lines: current price, discount, stock and whether the
   * product may still be sold. Inactive and soft-deleted products are returned too (the cart shows them as
   * unavailable); ids with no row are simply absent.
   */
  findForCart(ids: number[]): Promise<CartProductRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.read<CartProductRow>(Prisma.sql`
      SELECT p.id, p.title, p.thumbnail, p.price::text AS price, p.discount_percentage::text AS "discountPercentage",
             p.stock, (p.is_active AND p.deleted_at IS NULL) AS available
        FROM products p
       WHERE p.id = ANY(${ids}::int[])`);
  }

  /** The newest reviews of a product (index `(product_id, created_at DESC, id)`). */
  newestReviews(productId: number, take: number): Promise<ReviewRow[]> {
    return this.db.review.findMany({
      where: { productId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
      select: reviewRowSelect,
    });
  }

  brands(): Promise<Array<{ name: string; productCount: number }>> {
    return this.read(Prisma.sql`
      SELECT p.brand AS name, count(*)::int AS "productCount"
        FROM products p
       WHERE ${VISIBLE} AND p.brand IS NOT NULL
       GROUP BY p.brand
       ORDER BY p.brand`);
  }

  /**
   * One query over the vocabulary (`search_terms`, trigram GiST index): for each word of `near`, the nearest terms
   * by trigram distance (KNN: spelling corrections); for each word of `infix`, the shortest terms containing it.
   */
  vocabulary(near: string[], infix: string[]): Promise<TermCandidate[]> {
    if (near.length === 0 && infix.length === 0) return Promise.resolve([]);
    return this.read<TermCandidate>(Prisma.sql`
      SELECT w.word, t.term, similarity(t.term, w.word)::float8 AS similarity, false AS contains
        FROM unnest(${near}::text[]) AS w(word)
       CROSS JOIN LATERAL (
         SELECT s.term FROM search_terms s ORDER BY s.term <-> w.word LIMIT ${NEAREST_TERMS}
       ) t
      UNION ALL
      SELECT w.word, t.term, 0::float8, true
        FROM unnest(${infix}::text[]) AS w(word)
       CROSS JOIN LATERAL (
         SELECT s.term FROM search_terms s
          WHERE s.term LIKE '%' || w.word || '%' AND s.term <> w.word
          ORDER BY length(s.term), s.term LIMIT ${CONTAINING_TERMS}
       ) t`);
  }

  async slugTaken(slug: string, tx: DbClient = this.db): Promise<boolean> {
    const row = await tx.product.findUnique({ where: { slug }, select: { id: true } });
    return row !== null;
  }

  async create(data: ProductWriteData, tx: DbClient): Promise<number> {
    const { priceMinor, ...rest } = data;
    const created = await tx.product.create({
      data: { ...rest, price: toDecimalString(priceMinor) },
      select: { id: true },
    });
    return created.id;
  }

  /** Updates a product that is not soft-deleted; false when there is none. */
  async update(id: number, data: Partial<ProductWriteData>, tx: DbClient): Promise<boolean> {
    const { priceMinor, ...rest } = data;
    const { count } = await tx.product.updateMany({
      where: { id, deletedAt: null },
      data: { ...rest, ...(priceMinor !== undefined ? { price: toDecimalString(priceMinor) } : {}) },
    });
    return count === 1;
  }

  /** Soft delete: hidden everywhere (is_active false) and marked deleted; null when already gone. */
  async softDelete(id: number, tx: DbClient): Promise<Date | null> {
    const rows = await tx.$queryRaw<Array<{ deletedAt: Date }>>`
      UPDATE products
         SET deleted_at = ${SQL_UTC_NOW}, is_active = false, updated_at = ${SQL_UTC_NOW}
       WHERE id = ${id} AND deleted_at IS NULL
      RETURNING deleted_at AS "deletedAt"`;
    return rows[0]?.deletedAt ?? null;
  }

  /**
   * The stock change as one conditional UPDATE: the row lock serialises concurrent adjustments, and a change that
   * would take the stock below zero updates nothing. Returns null when the product does not exist (or is
   * deleted), `{ previous, stock }` otherwise — `stock === previous` with `applied: false` when refused.
   */
  async adjustStock(
    id: number,
    change: StockChange,
    tx: DbClient,
  ): Promise<(StockResult & { applied: boolean }) | null> {
    // bigint arithmetic: a huge delta is refused like any other out-of-range result instead of overflowing.
    const newStock =
      'delta' in change
        ? Prisma.sql`(old.stock::bigint + ${change.delta}::bigint)`
        : Prisma.sql`${change.stock}::bigint`;
    const rows = await tx.$queryRaw<Array<StockResult>>`
      UPDATE products p
         SET stock = ${newStock}::int, updated_at = ${SQL_UTC_NOW}
        FROM (SELECT id, stock FROM products WHERE id = ${id} AND deleted_at IS NULL FOR UPDATE) old
       WHERE p.id = old.id AND ${newStock} BETWEEN 0 AND ${INT32_MAX}::bigint
      RETURNING old.stock AS previous, p.stock AS stock`;
    if (rows[0]) return { ...rows[0], applied: true };
    const current = await tx.product.findFirst({ where: { id, deletedAt: null }, select: { stock: true } });
    return current ? { previous: current.stock, stock: current.stock, applied: false } : null;
  }
  /**
   * Checkout's stock write, one statement for all lines: the rows are locked in product-id order (so two orders
   * over the same products never deadlock), then each line is decremented only where the product is active, not
   * deleted and has the quantity. Returns the product ids whose line was refused (the caller rolls back) and the
   * stock each decremented product is left with.
   */
  async decrementStockIfAvailable(
    lines: ReadonlyArray<{ productId: number; quantity: number }>,
    tx: DbClient,
  ): Promise<StockDecrement> {
    if (lines.length === 0) return { refused: [], stockAfter: new Map() };
    const ids = lines.map((line) => line.productId);
    const quantities = lines.map((line) => line.quantity);
    const rows = await tx.$queryRaw<Array<{ productId: number; stock: number | null }>>`
      WITH wanted AS (
        SELECT * FROM unnest(${ids}::int[], ${quantities}::int[]) AS w(id, quantity)
      ), locked AS MATERIALIZED (
        SELECT p.id FROM products p WHERE p.id IN (SELECT id FROM wanted) ORDER BY p.id FOR NO KEY UPDATE
      ), decremented AS (
        UPDATE products p
           SET stock = p.stock - wanted.quantity, updated_at = ${SQL_UTC_NOW}
          FROM wanted JOIN locked ON locked.id = wanted.id
         WHERE p.id = wanted.id AND p.stock >= wanted.quantity AND p.is_active AND p.deleted_at IS NULL
        RETURNING p.id, p.stock
      )
      SELECT wanted.id AS "productId", d.stock FROM wanted LEFT JOIN decremented d ON d.id = wanted.id`;
    const stockAfter = new Map<number, number>();
    const refused: number[] = [];
    for (const row of rows) {
      if (row.stock === null) refused.push(row.productId);
      else stockAfter.set(row.productId, row.stock);
    }
    return { refused, stockAfter };
  }

  /** Puts ordered quantities back (cancel, refund with restock), rows locked in product-id order. */
  async restock(lines: ReadonlyArray<{ productId: number; quantity: number }>, tx: DbClient): Promise<void> {
    if (lines.length === 0) return;
    const ids = lines.map((line) => line.productId);
    const quantities = lines.map((line) => line.quantity);
    await tx.$executeRaw`
      WITH back AS (
        SELECT id, sum(quantity)::bigint AS quantity
          FROM unnest(${ids}::int[], ${quantities}::int[]) AS b(id, quantity) GROUP BY id
      ), locked AS MATERIALIZED (
        SELECT p.id FROM products p WHERE p.id IN (SELECT id FROM back) ORDER BY p.id FOR NO KEY UPDATE
      )
      UPDATE products p
         SET stock = LEAST(p.stock::bigint + back.quantity, ${INT32_MAX}::bigint)::int,
             updated_at = ${SQL_UTC_NOW}
        FROM back JOIN locked ON locked.id = back.id
       WHERE p.id = back.id`;
  }

  /** The current stock of products for an INSUFFICIENT_STOCK reply: 0 for inactive or deleted ones. */
  async availableStock(ids: number[], tx: DbClient = this.db): Promise<Map<number, number>> {
    const rows = await tx.product.findMany({
      where: { id: { in: ids } },
      select: { id: true, stock: true, isActive: true, deletedAt: true },
    });
    return new Map(rows.map((row) => [row.id, row.isActive && !row.deletedAt ? row.stock : 0]));
  }

  /**
   * What checkout needs of the ordered products that can be sold, in one statement through the pool (the checkout's
   * hot path: Prisma's findMany costs about twice the driver's CPU here; see load-tests/README.md).
   */
  findForCheckout(ids: number[]): Promise<CheckoutProductRow[]> {
    return this.read<CheckoutProductRow>(Prisma.sql`
      SELECT p.id, p.title, p.sku, p.thumbnail, p.price::text AS price,
             p.discount_percentage::text AS "discountPercentage", p.currency, p.stock
        FROM products p
       WHERE p.id = ANY(${ids}::int[]) AND p.is_active AND p.deleted_at IS NULL`);
  }

  /** Active products with fewer than `threshold` units left, the emptiest first (the admin's restocking list). */
  lowStock(threshold: number, limit: number) {
    return this.db.product.findMany({
      where: { isActive: true, deletedAt: null, stock: { lt: threshold } },
      orderBy: [{ stock: 'asc' }, { id: 'asc' }],
      take: limit,
      select: { id: true, title: true, sku: true, stock: true },
    });
  }
}
