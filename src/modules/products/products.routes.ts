import { z } from 'zod';
import { ApiRouter } from '../../middleware/api-router';
import type { RouterDeps } from '../../middleware/router-deps';
import { categorySlugParams } from '../categories/categories.schemas';
import type { CategoryService } from '../categories/categories.service';
import { ProductController } from './products.controller';
import {
  brandSchema,
  categoryProductsQuery,
  categorySummarySchema,
  createProductBody,
  deletedProductSchema,
  productDetailSchema,
  productIdParams,
  productListQuery,
  productListSchema,
  productSchema,
  productSearchQuery,
  stockBody,
  updateProductBody,
} from './products.schemas';
import type { ProductService } from './products.service';

const CACHED =
  'Served cache-aside from Redis (`X-Cache: HIT|MISS`); every catalogue write invalidates it at once.';
const PAGING =
  '`skip`/`limit` (default 30, max 100) or keyset paging: pass `nextCursor` back as `cursor` (then `skip` is ignored; ' +
  'keep the same filters, sortBy and order). `nextCursor` is null on the last page.';

/**
 * `/products`. The fixed paths (`/search`, `/categories`, `/brands`, `/category/:slug`) are declared before
 * `/:id`; `/:id` accepts plain positive integers only (`/products/12abc` → 400, never product 12).
 */
export function productRoutes(
  { docs, guards }: RouterDeps,
  products: ProductService,
  categories: CategoryService,
): ApiRouter {
  const api = new ApiRouter(docs, guards, '/products', 'Products');
  const controller = new ProductController(products, categories);

  api.get(
    '/',
    {
      summary: 'List products',
      description:
        'Filters: `category` (with its sub-categories; unknown → empty list), `brand` (exact), `minPrice`/`maxPrice` ' +
        '(inclusive, major units), `minRating`, `inStock`, `q` (full-text, typo tolerant; sorts by relevance unless ' +
        `sortBy is given). Default order: createdAt asc. ${PAGING} ${CACHED}`,
      query: productListQuery,
      response: productListSchema,
    },
    controller.list,
  );

  api.get(
    '/search',
    {
      summary: 'Search products',
      description:
        'Ranked full-text search over title (weight A), brand and category (B) and description (C); misspelt ' +
        'words are matched to the closest catalogue terms with pg_trgm ("iphnoe" finds the iPhone), the last word ' +
        `also as a prefix. Combines with every filter of GET /products. ${PAGING} ${CACHED}`,
      query: productSearchQuery,
      response: productListSchema,
    },
    controller.list,
  );

  api.get(
    '/categories',
    {
      summary: 'Categories with product counts (flat, depth-first)',
      description: CACHED,
      response: z.array(categorySummarySchema),
    },
    controller.categorySummaries,
  );

  api.get(
    '/brands',
    { summary: 'Brands with product counts', description: CACHED, response: z.array(brandSchema) },
    controller.brands,
  );

  api.get(
    '/category/:slug',
    {
      summary: 'Products of a category and its sub-categories',
      description: `Same query parameters as GET /products. Unknown slug → 404 CATEGORY_NOT_FOUND. ${PAGING} ${CACHED}`,
      params: categorySlugParams,
      query: categoryProductsQuery,
      response: productListSchema,
      errors: [404],
    },
    controller.byCategory,
  );

  api.get(
    '/:id',
    {
      summary: 'A product with its 10 newest reviews',
      description: `Inactive, deleted or unknown → 404 PRODUCT_NOT_FOUND. ${CACHED}`,
      params: productIdParams,
      response: productDetailSchema,
      errors: [404],
    },
    controller.detail,
  );

  api.post(
    '/',
    {
      summary: 'Create a product',
      description:
        '`category` is a category slug (unknown → 400). `sku` is generated and `slug` derived from the title when ' +
        'absent; a duplicate sku or slug → 409 CONFLICT. Prices in major units with at most 2 decimals. Audited.',
      auth: 'admin',
      body: createProductBody,
      response: productSchema,
      status: 201,
      errors: [409],
    },
    controller.create,
  );

  api.put(
    '/:id',
    {
      summary: 'Update a product (partial)',
      description:
        'Any subset of the create fields; read-only fields (id, rating, reviewCount, timestamps) are ignored. ' +
        'Works on inactive products (to re-activate them); deleted → 404. Duplicate sku/slug → 409. Audited.',
      auth: 'admin',
      params: productIdParams,
      body: updateProductBody,
      response: productSchema,
      errors: [404, 409],
    },
    controller.update,
  );

  api.delete(
    '/:id',
    {
      summary: 'Soft-delete a product',
      description: 'Hidden from every read from then on; its order history stays intact. Audited.',
      auth: 'admin',
      params: productIdParams,
      response: deletedProductSchema,
      errors: [404],
    },
    controller.delete,
  );

  api.patch(
    '/:id/stock',
    {
      summary: 'Adjust stock',
      description:
        'Exactly one of `{ delta }` (added atomically; negative removes) or `{ stock }` (set). The stock never goes ' +
        'below 0: such a request changes nothing and answers 409 INSUFFICIENT_STOCK with ' +
        '`details: [{ productId, requested, available }]`. Audited.',
      auth: 'admin',
      params: productIdParams,
      body: stockBody,
      response: productSchema,
      errors: [404, 409],
    },
    controller.adjustStock,
  );

  return api;
}
