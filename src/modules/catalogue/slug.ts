/** URL slugs of products and categories: lower-case ASCII letters, digits and single dashes. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** "Men's Shirts — Été 2024" → "mens-shirts-ete-2024"; at most `max` characters, never ending in a dash. */
export function slugify(text: string, max = 180): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, max)
    .replace(/^-+|-+$/g, '');
}
