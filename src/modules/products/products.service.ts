import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../../common/errors';
import { toMajor } from '../../common/money';
import { decodeCursor, encodeCursor } from '../../common/pagination';
import type { ActorContext } from '../../common/request-context';
import type { CacheResult } from '../../lib/cache';
import { isUniqueViolation, type Prisma, type TransactionRunner, type Tx } from '../../lib/prisma';
import type { AuditService } from '../audit/audit.service';
import { toPublicReview } from '../reviews/review.serializer';
import {
  CATALOGUE_CACHES,
  CATEGORIES_CACHE,
  PRODUCTS_CACHE,
  canonicalKey,
  type CatalogueCache,
} from '../catalogue/catalogue-cache';
import type { CategoryRepository } from '../categories/categories.repository';
import type { LowStockAlerts } from './low-stock-alerts';
import { slugify } from '../catalogue/slug';
import type {
  KeysetPosition,
  Ordering,
  ProductFilters,
  ProductRepository,
  ProductWriteData,
  SortKey,
  StockChange,
} from './products.repository';
import type {
  CreateProductInput,
  ProductListQuery,
  StockInput,
  UpdateProductInput,
} from './products.schemas';
import { buildSearchPlan, tokenize, tolerantWords, type SearchPlan } from './products.search';
import {
  toPublicProduct,
  type ProductRow,
  type PublicProduct,
  type PublicProductDetail,
} from './products.serializer';
import { INT32_MAX } from '../../common/int32';
import { unstorableCharacters } from '../../common/text';

/** A list request after validation; `category` comes from the path for `/products/category/:slug`. */
export type ListRequest = Omit<ProductListQuery, 'q'> & { q?: string };

const NEWEST_REVIEWS = 10;

const cursorSchema = z.object({
  s: z.enum(['price', 'rating', 'title', 'createdAt', 'stock', 'relevance']),
  o: z.enum(['asc', 'desc']),
  v: z.string().max(400),
  i: z.number().int().positive().max(INT32_MAX),
});

const productNotFound = () => new NotFoundError('Product');

/**
 * The catalogue's products: browsing, search and admin writes.
 *
 * Reads are cache-aside (namespace `products`): the key is the normalised query (defaults applied, parameters
 * sorted), the value the JSON payload, served on a hit as stored bytes. Writes commit (with their audit row in the
 * same transaction), then invalidate the catalogue namespaces, then respond — so no read after the response can
 * see the old value.
 */
export class ProductService {
  constructor(
    private readonly transaction: TransactionRunner,
    private readonly products: ProductRepository,
    private readonly categories: CategoryRepository,
    private readonly audit: AuditService,
    private readonly cache: CatalogueCache,
    private readonly lowStock?: LowStockAlerts,
  ) {}

  /**
   * A page of products. `scope: 'category'` is `/products/category/:slug` (an unknown slug is a 404 there, while
   * `/products?category=unknown` is an empty list).
   */
  list(query: ListRequest, scope: 'list' | 'category' = 'list'): Promise<CacheResult> {
    const ordering = this.ordering(query);
    const after = query.cursor === undefined ? undefined : this.readCursor(query.cursor, ordering);
    const filterKey = {
      category: query.category,
      brand: query.brand,
      minPrice: query.minPrice,
      maxPrice: query.maxPrice,
      minRating: query.minRating,
      inStock: query.inStock,
      q: query.q,
    };
    const skip = after ? 0 : query.skip;
    const key = canonicalKey(scope, {
      ...filterKey,
      sortBy: ordering.sortBy,
      order: ordering.order,
      skip,
      limit: query.limit,
      cursor: query.cursor,
    });

    return this.cache.getOrLoad(PRODUCTS_CACHE, key, async () => {
      const filters = await this.resolveFilters(query, scope);
      if (!filters) {
        return { products: [], total: 0, skip, limit: query.limit, nextCursor: null };
      }
      // Ranking by relevance visits every match anyway: the first page carries the total in the same query.
      const totalInPage = ordering.sortBy === 'relevance' && !after;
      const [counted, rows] = await Promise.all([
        totalInPage ? undefined : this.count(canonicalKey('count', filterKey), filters),
        this.products.page(filters, ordering, { skip, limit: query.limit, after, withTotal: totalInPage }),
      ]);
      const total =
        counted ?? rows[0]?.total ?? (await this.count(canonicalKey('count', filterKey), filters));
      const more = rows.length > query.limit;
      const pageRows = more ? rows.slice(0, query.limit) : rows;
      const last = pageRows[pageRows.length - 1];
      return {
        products: pageRows.map(toPublicProduct),
        total,
        skip,
        limit: query.limit,
        nextCursor:
          more && last
            ? encodeCursor({ s: ordering.sortBy, o: ordering.order, v: last.sortValue, i: last.id })
            : null,
      };
    });
  }

  /** A product with its newest reviews; inactive, deleted or unknown → 404. Two queries, run concurrently. */
  get(id: number): Promise<CacheResult> {
    return this.cache.getOrLoad(PRODUCTS_CACHE, `detail:${id}`, async () => {
      const [row, reviews] = await Promise.all([
        this.products.findById(id),
        this.products.newestReviews(id, NEWEST_REVIEWS),
      ]);
      if (!row) throw productNotFound();
      const detail: PublicProductDetail = { ...toPublicProduct(row), reviews: reviews.map(toPublicReview) };
      return detail;
    });
  }

  brands(): Promise<CacheResult> {
    return this.cache.getOrLoad(PRODUCTS_CACHE, 'brands', () => this.products.brands());
  }

  async create(context: ActorContext, input: CreateProductInput): Promise<PublicProduct> {
    const categoryId = await this.categoryId(input.category);
    const sku = input.sku ?? `SKU-${randomBytes(5).toString('hex').toUpperCase()}`;
    const slug = input.slug ?? (await this.freeSlug(input.title));
    const data: ProductWriteData = {
      title: input.title,
      description: input.description,
      priceMinor: input.price,
      discountPercentage: input.discountPercentage,
      stock: input.stock,
      brand: input.brand ?? null,
      categoryId,
      thumbnail: input.thumbnail ?? null,
      images: input.images,
      tags: input.tags,
      sku,
      slug,
      weight: input.weight ?? null,
      isActive: input.isActive,
    };
    const row = await this.write(async (tx) => {
      const id = await this.products.create(data, tx);
      await this.audit.record(
        context,
        {
          action: 'product.created',
          entityType: 'product',
          entityId: id,
          metadata: { sku, slug, title: input.title, price: toMajor(input.price), stock: input.stock },
        },
        tx,
      );
      return this.mustFind(id, tx);
    });
    return toPublicProduct(row);
  }

  async update(context: ActorContext, id: number, input: UpdateProductInput): Promise<PublicProduct> {
    const data: Partial<ProductWriteData> = {};
    if (input.title !== undefined) data.title = input.title;
    if (input.description !== undefined) data.description = input.description;
    if (input.price !== undefined) data.priceMinor = input.price;
    if (input.discountPercentage !== undefined) data.discountPercentage = input.discountPercentage;
    if (input.stock !== undefined) data.stock = input.stock;
    if (input.brand !== undefined) data.brand = input.brand;
    if (input.category !== undefined) data.categoryId = await this.categoryId(input.category);
    if (input.thumbnail !== undefined) data.thumbnail = input.thumbnail;
    if (input.images !== undefined) data.images = input.images;
    if (input.tags !== undefined) data.tags = input.tags;
    if (input.sku !== undefined) data.sku = input.sku;
    if (input.slug !== undefined) data.slug = input.slug;
    if (input.weight !== undefined) data.weight = input.weight;
    if (input.isActive !== undefined) data.isActive = input.isActive;

    const row = await this.write(async (tx) => {
      const before = await this.products.findById(id, { includeInactive: true }, tx);
      if (!before || !(await this.products.update(id, data, tx))) throw productNotFound();
      const after = await this.mustFind(id, tx);
      await this.audit.record(
        context,
        {
          action: 'product.updated',
          entityType: 'product',
          entityId: id,
          metadata: { changes: changes(toPublicProduct(before), toPublicProduct(after), Object.keys(input)) },
        },
        tx,
      );
      return after;
    });
    return toPublicProduct(row);
  }

  async delete(
    context: ActorContext,
    id: number,
  ): Promise<{ id: number; isDeleted: true; deletedOn: string }> {
    const deletedAt = await this.write(async (tx) => {
      const at = await this.products.softDelete(id, tx);
      if (!at) throw productNotFound();
      await this.audit.record(
        context,
        { action: 'product.deleted', entityType: 'product', entityId: id },
        tx,
      );
      return at;
    });
    return { id, isDeleted: true, deletedOn: deletedAt.toISOString() };
  }

  /**
   * `{ delta }` or `{ stock }` as one conditional UPDATE (never below zero, concurrent adjustments serialise on the
   * row lock). Refused → 409 INSUFFICIENT_STOCK with the contract's details. Applies to inactive products too.
   */
  async adjustStock(context: ActorContext, id: number, input: StockInput): Promise<PublicProduct> {
    const change: StockChange =
      input.delta !== undefined ? { delta: input.delta } : { stock: input.stock ?? 0 };
    const row = await this.write(async (tx) => {
      const result = await this.products.adjustStock(id, change, tx);
      if (!result) throw productNotFound();
      if (!result.applied) {
        const delta = 'delta' in change ? change.delta : 0;
        if (result.previous + delta > INT32_MAX) {
          throw new ValidationError({ delta: [`The stock would exceed ${INT32_MAX}`] });
        }
        throw new ConflictError(
          `Not enough stock: ${result.previous} available, ${-delta} requested`,
          'INSUFFICIENT_STOCK',
          [{ productId: id, requested: -delta, available: result.previous }],
        );
      }
      await this.audit.record(
        context,
        {
          action: 'product.stock_adjusted',
          entityType: 'product',
          entityId: id,
          metadata: { request: change, previous: result.previous, stock: result.stock },
        },
        tx,
      );
      const product = await this.mustFind(id, tx);
      await this.lowStock?.afterStockChange(tx, [
        {
          productId: id,
          title: product.title,
          sku: product.sku,
          previous: result.previous,
          stock: result.stock,
        },
      ]);
      return product;
    });
    return toPublicProduct(row);
  }

  // ── helpers ──

  private ordering(query: ListRequest): Ordering {
    const sortBy: SortKey = query.sortBy ?? (query.q ? 'relevance' : 'createdAt');
    return { sortBy, order: query.order ?? (sortBy === 'relevance' ? 'desc' : 'asc') };
  }

  private readCursor(cursor: string, ordering: Ordering): KeysetPosition {
    const decoded = decodeCursor(cursor, cursorSchema);
    if (!decoded) throw new ValidationError({ cursor: ['Invalid cursor'] });
    if (decoded.s !== ordering.sortBy || decoded.o !== ordering.order) {
      throw new ValidationError({
        cursor: [`This cursor continues a list sorted by ${decoded.s} ${decoded.o}; keep sortBy and order`],
      });
    }
    if (!validSortValue(decoded.s, decoded.v)) throw new ValidationError({ cursor: ['Invalid cursor'] });
    return { value: decoded.v, id: decoded.i };
  }

  /** Query → SQL filters; undefined when nothing can match (unknown category, a query without words). */
  private async resolveFilters(
    query: ListRequest,
    scope: 'list' | 'category',
  ): Promise<ProductFilters | undefined> {
    const filters: ProductFilters = {
      brand: query.brand,
      minPrice: query.minPrice,
      maxPrice: query.maxPrice,
      minRating: query.minRating,
      inStock: query.inStock,
    };
    const [categoryIds, search] = await Promise.all([
      query.category === undefined ? undefined : this.subtreeIds(query.category),
      query.q === undefined ? undefined : this.searchPlan(query.q),
    ]);
    if (categoryIds === null) {
      if (scope === 'category') throw new NotFoundError('Category');
      return undefined;
    }
    filters.categoryIds = categoryIds;
    if (query.q !== undefined && !search) return undefined;
    filters.search = search;
    return filters;
  }

  /**
   * The ids of a category's sub-tree (null: unknown slug), cached in the `categories` namespace — every category
   * write invalidates it — so a category page that misses the list cache needs no extra database round trip.
   */
  private async subtreeIds(slug: string): Promise<number[] | null> {
    const { json } = await this.cache.getOrLoad(CATEGORIES_CACHE, `subtree:${slug}`, () =>
      this.categories.subtreeIds(slug),
    );
    return JSON.parse(json) as number[] | null;
  }

  /**
   * The tsquery for the search text, cached by its words (namespace `products`: the vocabulary only grows with
   * product writes, which invalidate it), so paging through results or changing filters skips the vocabulary query.
   */
  private async searchPlan(q: string): Promise<SearchPlan | undefined> {
    const words = tokenize(q);
    if (words.length === 0) return undefined;
    const { json } = await this.cache.getOrLoad(PRODUCTS_CACHE, `plan:${words.join(' ')}`, async () => {
      const { near, infix } = tolerantWords(words);
      return buildSearchPlan(words, await this.products.vocabulary(near, infix));
    });
    return JSON.parse(json) as SearchPlan;
  }

  /** Totals depend on the filters only: cached on their own so every page and sort order of a query shares one. */
  private async count(key: string, filters: ProductFilters): Promise<number> {
    const { json } = await this.cache.getOrLoad(PRODUCTS_CACHE, key, () => this.products.count(filters));
    return Number(json);
  }

  private async categoryId(slug: string): Promise<number> {
    const category = await this.categories.findBySlug(slug);
    if (!category) throw new ValidationError({ category: [`Unknown category "${slug}"`] });
    return category.id;
  }

  private async freeSlug(title: string): Promise<string> {
    const base = slugify(title) || 'product';
    if (!(await this.products.slugTaken(base))) return base;
    return `${base}-${randomBytes(3).toString('hex')}`;
  }

  private async mustFind(id: number, tx: Tx): Promise<ProductRow> {
    const row = await this.products.findById(id, { includeInactive: true }, tx);
    if (!row) throw productNotFound();
    return row;
  }

  /** Runs a product write; duplicate sku/slug → 409; invalidates the catalogue caches after the commit. */
  private async write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await this.transaction(work);
    } catch (error) {
      for (const field of ['sku', 'slug'] as const) {
        if (isUniqueViolation(error, field)) {
          throw new ConflictError(`A product with this ${field} already exists`, 'CONFLICT', {
            [field]: ['Already in use'],
          });
        }
      }
      throw error;
    }
    await this.cache.invalidate(...CATALOGUE_CACHES);
    return result;
  }
}

/** A cursor's sort value must parse as its column's type (it is cast in SQL). */
function validSortValue(sortBy: SortKey, value: string): boolean {
  switch (sortBy) {
    case 'price':
    case 'rating':
      return /^\d{1,10}(\.\d{1,2})?$/.test(value);
    case 'stock':
      return /^-?\d{1,10}$/.test(value);
    case 'createdAt':
      return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/.test(value);
    case 'relevance':
      return /^-?\d+(\.\d+)?(e-?\d+)?$/.test(value);
    case 'title':
      return unstorableCharacters(value) === undefined;
  }
}

function changes(
  before: PublicProduct,
  after: PublicProduct,
  fields: string[],
): Record<string, { from: Prisma.InputJsonValue | null; to: Prisma.InputJsonValue | null }> {
  const out: Record<string, { from: Prisma.InputJsonValue | null; to: Prisma.InputJsonValue | null }> = {};
  for (const field of fields) {
    if (!(field in before)) continue;
    const from = before[field as keyof PublicProduct];
    const to = after[field as keyof PublicProduct];
    if (JSON.stringify(from) !== JSON.stringify(to)) out[field] = { from, to };
  }
  return out;
}
