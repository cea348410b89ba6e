import { z } from 'zod';
import { text } from './text';

export const DEFAULT_LIMIT = 30;
export const MAX_LIMIT = 100;

/** `?skip=&limit=` as the DummyJSON-compatible storefront sends them; out of range → 400. */
export const paginationQuery = z.object({
  skip: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
});

export type Pagination = z.infer<typeof paginationQuery>;

/** A yes/no list filter in a query string (`?isActive=true`, `?inStock=0`). */
export const booleanQuery = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** A free-text list filter (`?q=`); sent empty it means "not set". */
export const searchQuery = text(100, { allowEmpty: true })
  .optional()
  .transform((value) => value || undefined);

/** The list payload: `{ <items>: [...], total, skip, limit }`. */
export function listPayload<K extends string, T>(
  key: K,
  items: T[],
  total: number,
  { skip, limit }: Pagination,
): { [P in K]: T[] } & { total: number; skip: number; limit: number } {
  return { [key]: items, total, skip, limit } as { [P in K]: T[] } & {
    total: number;
    skip: number;
    limit: number;
  };
}

/** Opaque keyset cursors: base64url JSON of the last row's sort key and id. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
