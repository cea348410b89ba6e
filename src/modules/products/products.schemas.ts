import { z } from 'zod';
import { idParams } from '../../common/ids';
import { toMinor } from '../../common/money';
import { moneyAmount } from '../../common/money-schema';
import { booleanQuery, paginationQuery } from '../../common/pagination';
import { storableString, text } from '../../common/text';
import { reviewSchema } from '../reviews/review.serializer';
import { INT32_MAX } from '../../common/int32';

export const productIdParams = idParams;

export const SORT_FIELDS = ['price', 'rating', 'title', 'createdAt', 'stock'] as const;
export type SortField = (typeof SORT_FIELDS)[number];

/** A money amount in major units with at most two decimals → integer minor units. */
const moneyNumber = moneyAmount();

/** The same in a query string (`?minPrice=19.99`). */
const moneyQuery = z
  .string()
  .trim()
  .regex(/^\d{1,10}(\.\d{1,2})?$/, 'Must be an amount like 19.99')
  .transform((value) => toMinor(value));

/** Optional query parameters sent empty (`?brand=`) by form-serialising clients mean "not set". */
function optionalParam<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}

export const productFilterFields = {
  category: optionalParam(text(100).toLowerCase()).describe(
    'Category slug; products of its sub-categories are included',
  ),
  brand: optionalParam(text(100)).describe('Exact brand name (see /products/brands)'),
  minPrice: optionalParam(moneyQuery).describe('Lowest price, inclusive (major units)'),
  maxPrice: optionalParam(moneyQuery).describe('Highest price, inclusive (major units)'),
  minRating: optionalParam(
    z
      .string()
      .trim()
      .regex(/^\d(\.\d{1,2})?$/, 'Must be a rating from 0 to 5')
      .transform(Number)
      .pipe(z.number().max(5, 'Must be a rating from 0 to 5')),
  ).describe('Lowest average rating, inclusive'),
  inStock: optionalParam(booleanQuery).describe(
    'true: only products with stock; false: only sold-out products',
  ),
};

const listQueryBase = paginationQuery.extend({
  ...productFilterFields,
  cursor: optionalParam(storableString().max(512)).describe(
    'Opaque keyset cursor from a previous page (`nextCursor`); `skip` is then ignored',
  ),
  sortBy: optionalParam(z.enum(SORT_FIELDS)).describe(
    'Sort field; default createdAt (relevance when `q` is given)',
  ),
  order: optionalParam(z.enum(['asc', 'desc'])).describe('Default asc (desc for relevance)'),
});

const priceRange = (value: { minPrice?: number; maxPrice?: number }) =>
  value.minPrice === undefined || value.maxPrice === undefined || value.minPrice <= value.maxPrice;
const priceRangeIssue = { message: 'Must not be below minPrice', path: ['maxPrice'] };

export const productListQuery = listQueryBase
  .extend({ q: optionalParam(text(200)).describe('Full-text search, tolerant of small typos') })
  .refine(priceRange, priceRangeIssue);

export const productSearchQuery = listQueryBase
  .extend({
    q: text(200).describe('Search text (title, description, brand, category); typos tolerated'),
  })
  .refine(priceRange, priceRangeIssue);

/** `/products/category/:slug`: the list query, the category coming from the path. */
export const categoryProductsQuery = listQueryBase
  .omit({ category: true })
  .extend({ q: optionalParam(text(200)).describe('Full-text search, tolerant of small typos') })
  .refine(priceRange, priceRangeIssue);

export type ProductListQuery = z.output<typeof productListQuery>;

// ── Admin writes ──

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const productFields = {
  title: text(200),
  description: text(5000, { allowEmpty: true }),
  price: moneyNumber,
  discountPercentage: z
    .number()
    .finite()
    .min(0)
    .max(100)
    .refine((value) => Math.round(value * 100) / 100 === value, 'At most two decimals'),
  stock: z.number().int('Must be an integer').min(0, 'Must not be negative').max(INT32_MAX),
  brand: text(100).nullable(),
  category: text(100).toLowerCase().describe('Category slug'),
  thumbnail: text(2048).nullable(),
  images: z.array(text(2048)).max(20),
  tags: z.array(text(50)).max(30),
  sku: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9][A-Z0-9._-]{0,63}$/, 'Letters, digits, dot, dash and underscore; at most 64'),
  slug: z.string().trim().toLowerCase().max(200).regex(SLUG, 'Lower-case letters, digits and single dashes'),
  weight: z.number().int().min(0).max(10_000_000).nullable().describe('Shipping weight in grams'),
  isActive: z.boolean(),
};

// Unknown and read-only fields (id, rating, reviewCount, createdAt…) are ignored rather than rejected, so a client
// can PUT back a product it has read. `rating`/`reviewCount` only ever change through reviews.
export const createProductBody = z
  .object({
    ...productFields,
    description: productFields.description.default(''),
    discountPercentage: productFields.discountPercentage.default(0),
    stock: productFields.stock.default(0),
    brand: productFields.brand.optional(),
    thumbnail: productFields.thumbnail.optional(),
    images: productFields.images.default([]),
    tags: productFields.tags.default([]),
    sku: productFields.sku.optional().describe('Generated when absent'),
    slug: productFields.slug.optional().describe('Derived from the title when absent'),
    weight: productFields.weight.optional(),
    isActive: productFields.isActive.default(true),
  })
  .meta({ id: 'CreateProduct' });

export const updateProductBody = z
  .object(productFields)
  .partial()
  .refine((value) => Object.keys(value).length > 0, 'At least one field is required')
  .meta({ id: 'UpdateProduct' });

export const stockBody = z
  .object({
    delta: z
      .number()
      .int('Must be an integer')
      .min(-INT32_MAX)
      .max(INT32_MAX)
      .optional()
      .describe('Added to the stock (negative removes); the stock never goes below 0'),
    stock: z.number().int('Must be an integer').min(0).max(INT32_MAX).optional().describe('New stock'),
  })
  .refine((value) => (value.delta === undefined) !== (value.stock === undefined), {
    message: 'Give exactly one of delta or stock',
    path: ['delta'],
  })
  .meta({ id: 'StockAdjustment' });

export type CreateProductInput = z.output<typeof createProductBody>;
export type UpdateProductInput = z.output<typeof updateProductBody>;
export type StockInput = z.output<typeof stockBody>;

// ── Responses (documentation) ──

export const productSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    description: z.string(),
    price: z.number(),
    discountPercentage: z.number(),
    rating: z.number(),
    stock: z.number().int(),
    brand: z.string().nullable(),
    category: z.string().describe('Category slug'),
    thumbnail: z.string().nullable(),
    images: z.array(z.string()),
    sku: z.string(),
    slug: z.string(),
    isActive: z.boolean(),
    reviewCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    tags: z.array(z.string()),
    currency: z.string(),
    weight: z.number().int().nullable(),
  })
  .meta({ id: 'Product' });

export const productDetailSchema = productSchema
  .extend({ reviews: z.array(reviewSchema).describe('The 10 newest reviews') })
  .meta({ id: 'ProductDetail' });

export const productListSchema = z
  .object({
    products: z.array(productSchema),
    total: z.number().int(),
    skip: z.number().int(),
    limit: z.number().int(),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'ProductList' });

export const deletedProductSchema = z
  .object({ id: z.number().int(), isDeleted: z.literal(true), deletedOn: z.string() })
  .meta({ id: 'DeletedProduct' });

export const brandSchema = z
  .object({ name: z.string(), productCount: z.number().int() })
  .meta({ id: 'Brand' });

export const categorySummarySchema = z
  .object({
    slug: z.string(),
    name: z.string(),
    parentSlug: z.string().nullable(),
    productCount: z.number().int().describe('Active products in the category and its sub-categories'),
  })
  .meta({ id: 'CategorySummary' });
