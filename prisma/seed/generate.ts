/**
 * Deterministic catalogue generation. Product `i` (0-based) is a pure function of `i`: the first BASE_PRODUCTS.length
 * are the hand-written products, later ones are variations of them (storage, colour, size, edition …). Every
 * machine therefore seeds the same catalogue, and seeding 120 then 100 000 only adds the missing ones.
 */
import { EDITIONS, LEAF_CATEGORIES, type BaseProduct, type LeafCategory } from './catalogue';
import { REVIEWERS, REVIEW_COMMENTS } from './people';

/** The row shape the product insert reads with json_to_recordset (snake_case = column names). */
export interface ProductRow {
  /** Assigned by the caller from a reserved block (0 until then). */
  id: number;
  sku: string;
  slug: string;
  title: string;
  description: string;
  price: number;
  discount_percentage: number;
  rating: number;
  rating_total: number;
  review_count: number;
  stock: number;
  brand: string;
  category: string;
  thumbnail: string;
  images: string[];
  tags: string[];
  weight: number;
  created_at: string;
}

export interface ReviewRow {
  sku: string;
  email: string;
  rating: number;
  comment: string;
  created_at: string;
}

const DAY_MS = 86_400_000;
const IMAGE_BASE = 'https://cdn.dummyjson.com/products/images';

/** mulberry32: small, fast, good enough for demo data. */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function rngFor(index: number, stream: number): () => number {
  let h = Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(stream, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return createRng(h ^ (h >>> 16));
}

const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)];

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const code = (text: string) =>
  slugify(text)
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 3)
    .toUpperCase()
    .padEnd(3, 'X');

interface Base {
  leaf: LeafCategory;
  product: BaseProduct;
}

/** Hand-written products, interleaved across categories so any prefix of the catalogue is varied. */
export const BASE_PRODUCTS: Base[] = (() => {
  const result: Base[] = [];
  const longest = Math.max(...LEAF_CATEGORIES.map((leaf) => leaf.products.length));
  for (let row = 0; row < longest; row++) {
    for (const leaf of LEAF_CATEGORIES) {
      const product = leaf.products[row];
      if (product) result.push({ leaf, product });
    }
  }
  return result;
})();

/** The default catalogue size: exactly the hand-written products. */
export const DEFAULT_PRODUCT_COUNT = BASE_PRODUCTS.length;

const EDITION_SENTENCES: Record<string, string> = {
  '2024 Edition': 'The 2024 edition brings refreshed materials and finishes.',
  Bundle: 'This bundle adds a selection of matching accessories at a lower combined price.',
  Refurbished: 'Professionally refurbished and inspected, backed by a one-year warranty.',
  'Open Box': 'Open box: the packaging has been opened, the product is unused and complete.',
  'Limited Edition': 'A limited edition in numbered quantities.',
};

/** SKU of product `index` ("SMA-APP-000001"): category, brand, position. Unique by the position. */
export function productSku(index: number): string {
  const { leaf, product } = BASE_PRODUCTS[index % BASE_PRODUCTS.length];
  return `${code(leaf.slug)}-${code(product.brand)}-${String(index + 1).padStart(6, '0')}`;
}

export interface GeneratedProduct {
  row: ProductRow;
  reviews: ReviewRow[];
}

/**
 * Product `index` of a catalogue of `total` products, created on a timeline ending at `now` (older products first,
 * spaced up to a day apart over at most two years), with its reviews and the rating they add up to.
 */
export function generateProduct(index: number, total: number, now: number): GeneratedProduct {
  const rng = rngFor(index, 1);
  const handWritten = index < BASE_PRODUCTS.length;
  const { leaf, product: base } = BASE_PRODUCTS[index % BASE_PRODUCTS.length];

  let title = base.title;
  let description = base.description;
  let priceFactor = 1;
  if (!handWritten) {
    const values: string[] = [];
    for (const dimension of leaf.variants) {
      const at = Math.floor(rng() * dimension.values.length);
      values.push(dimension.values[at]);
      priceFactor *= dimension.priceFactors?.[at] ?? 1;
    }
    const [edition, editionFactor] = pick(rng, EDITIONS);
    priceFactor *= editionFactor * (0.95 + rng() * 0.1);
    title = `${base.title} - ${values.join(', ')}${edition ? ` (${edition})` : ''}`;
    description = `${base.description} This listing is for the ${values.join(', ')} variant.${
      edition ? ` ${EDITION_SENTENCES[edition]}` : ''
    }`;
  }

  let priceCents = Math.round(base.price * 100 * priceFactor);
  if (!handWritten) priceCents = Math.max(99, Math.round(priceCents / 100) * 100 - 1);

  const slug = handWritten ? slugify(title) : `${slugify(title)}-${index + 1}`;
  const imageDir = `${IMAGE_BASE}/${leaf.slug}/${slug}`;
  const imageCount = handWritten ? 3 : 1 + Math.floor(rng() * 3);
  const stock = handWritten
    ? index % 25 === 24
      ? 0
      : 15 + Math.floor(rng() * 236)
    : rng() < 0.06
      ? 0
      : 1 + Math.floor(rng() * rng() * 400);
  const spacing = Math.min(DAY_MS, Math.max(60_000, Math.floor((730 * DAY_MS) / Math.max(total, 1))));
  const createdAt = now - Math.max(total - index, 1) * spacing;

  const row: ProductRow = {
    id: 0,
    sku: productSku(index),
    slug,
    title,
    description,
    price: priceCents / 100,
    discount_percentage: rng() < 0.3 ? 0 : Math.round(rng() * 2000) / 100,
    rating: 0,
    rating_total: 0,
    review_count: 0,
    stock,
    brand: base.brand,
    category: leaf.slug,
    thumbnail: `${imageDir}/thumbnail.png`,
    images: Array.from({ length: imageCount }, (_, n) => `${imageDir}/${n + 1}.png`),
    tags: [...new Set([leaf.slug, ...(base.tags ?? [])])],
    weight: Math.round(leaf.weight * (0.8 + rng() * 0.4)),
    created_at: new Date(createdAt).toISOString(),
  };

  const reviews = generateReviews(index, row.sku, handWritten, createdAt, now);
  if (reviews.length > 0) {
    row.review_count = reviews.length;
    row.rating_total = reviews.reduce((sum, review) => sum + review.rating, 0);
    row.rating = Math.round((row.rating_total * 100) / row.review_count) / 100;
  }
  return { row, reviews };
}

/** Hand-written products get 3–8 reviews; about one generated product in eight gets 1–5. */
function generateReviews(index: number, sku: string, handWritten: boolean, createdAt: number, now: number) {
  const rng = rngFor(index, 2);
  const count = handWritten ? 3 + Math.floor(rng() * 6) : rng() < 0.125 ? 1 + Math.floor(rng() * 5) : 0;
  if (count === 0) return [];
  const quality = 3.2 + rng() * 1.8;
  const reviewers = REVIEWERS.slice();
  const reviews: ReviewRow[] = [];
  for (let n = 0; n < count; n++) {
    // Partial Fisher–Yates: distinct reviewers per product (one review per user per product).
    const at = n + Math.floor(rng() * (reviewers.length - n));
    [reviewers[n], reviewers[at]] = [reviewers[at], reviewers[n]];
    const rating = Math.min(5, Math.max(1, Math.round(quality + (rng() - 0.5) * 2.2)));
    reviews.push({
      sku,
      email: reviewers[n].email,
      rating,
      comment: pick(rng, REVIEW_COMMENTS[rating - 1]),
      created_at: new Date(createdAt + Math.floor(rng() * (now - createdAt))).toISOString(),
    });
  }
  return reviews;
}
