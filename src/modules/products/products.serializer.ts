import { toMajor, toMinor } from '../../common/money';
import type { PublicReview } from '../reviews/review.serializer';

/** A product row as the repository's SQL selects it (decimals as exact text, the category as its slug). */
export interface ProductRow {
  id: number;
  title: string;
  description: string;
  price: string;
  discountPercentage: string;
  rating: string;
  stock: number;
  brand: string | null;
  category: string;
  thumbnail: string | null;
  images: string[];
  tags: string[];
  sku: string;
  slug: string;
  isActive: boolean;
  reviewCount: number;
  currency: string;
  weight: number | null;
  /** ISO-8601 UTC, rendered by the query. */
  createdAt: string;
  updatedAt: string;
}

/** The public product: DummyJSON's fields first, then ours. */
export interface PublicProduct {
  id: number;
  title: string;
  description: string;
  price: number;
  discountPercentage: number;
  rating: number;
  stock: number;
  brand: string | null;
  category: string;
  thumbnail: string | null;
  images: string[];
  sku: string;
  slug: string;
  isActive: boolean;
  reviewCount: number;
  createdAt: string;
  updatedAt: string;
  tags: string[];
  currency: string;
  weight: number | null;
}

export type PublicProductDetail = PublicProduct & { reviews: PublicReview[] };

/** Decimal text with at most two decimals ("4.50") → a JSON number (4.5) without float arithmetic. */
const decimal = (text: string): number => toMajor(toMinor(text));

export function toPublicProduct(row: ProductRow): PublicProduct {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    price: decimal(row.price),
    discountPercentage: decimal(row.discountPercentage),
    rating: decimal(row.rating),
    stock: row.stock,
    brand: row.brand,
    category: row.category,
    thumbnail: row.thumbnail,
    images: row.images,
    sku: row.sku,
    slug: row.slug,
    isActive: row.isActive,
    reviewCount: row.reviewCount,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    tags: row.tags,
    currency: row.currency,
    weight: row.weight,
  };
}
