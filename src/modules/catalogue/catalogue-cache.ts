import type { CacheResult } from '../../lib/cache';

/**
 * Cache namespaces of the catalogue (see lib/cache.ts: a namespace is invalidated as a whole, in O(1)).
 *
 * - `products`: product lists, searches, details, counts and brands. Any product write — and a review, which changes
 *   rating/reviewCount (the reviews module invalidates it too) — invalidates it.
 * - `categories`: the tree, category details and `/products/categories` (they embed product counts).
 *
 * Product writes change category counts and category writes change product JSON (`category` is the slug) and the
 * sub-category sets of filters, so every catalogue write invalidates both.
 */
export const PRODUCTS_CACHE = 'products';
export const CATEGORIES_CACHE = 'categories';
export const CATALOGUE_CACHES = [PRODUCTS_CACHE, CATEGORIES_CACHE] as const;

/** The part of lib/cache.ts the catalogue services use. */
export interface CatalogueCache {
  getOrLoad(namespace: string, id: string, load: () => Promise<unknown>): Promise<CacheResult>;
  invalidate(...namespaces: string[]): Promise<void>;
}

/** A stable cache id for a query: keys sorted, unset values dropped, so equal queries share one entry. */
export function canonicalKey(kind: string, params: Record<string, unknown>): string {
  const parts = Object.keys(params)
    .filter((key) => params[key] !== undefined)
    .sort()
    .map((key) => `${key}=${encodeURIComponent(String(params[key]))}`);
  return `${kind}?${parts.join('&')}`;
}
