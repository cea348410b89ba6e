import { Client } from 'pg';
import type { TestContext } from './test-app';

/**
 * A small, fully known catalogue for the products/categories/cache tests, inserted with Prisma (no HTTP):
 *
 *   electronics ─┬─ smartphones   iPhone 15 Pro, Galaxy S24 (sold out), Pixel 8, + 1 inactive, + 1 deleted
 *                ├─ laptops       MacBook Air 13, XPS 13
 *                └─ (direct)      Leather Phone Case
 *   fashion ───── shoes           Pegasus, Ultraboost (sold out)
 *
 * createdAt increases in the order below (one minute apart), so `createdAt asc` is this order.
 */
export interface Catalogue {
  categories: Record<
    'electronics' | 'smartphones' | 'laptops' | 'fashion' | 'shoes',
    { id: number; slug: string }
  >;
  /** Visible products by short name. */
  products: Record<VisibleName, { id: number }>;
  inactiveId: number;
  deletedId: number;
}

export const VISIBLE_PRODUCTS = [
  {
    key: 'iphone',
    title: 'Apple iPhone 15 Pro',
    description: 'The newest iPhone with a titanium design and a 48MP camera.',
    price: '999.00',
    rating: '4.80',
    stock: 25,
    brand: 'Apple',
    category: 'smartphones',
  },
  {
    key: 'galaxy',
    title: 'Samsung Galaxy S24',
    description: 'Android flagship with a bright AMOLED display.',
    price: '799.99',
    rating: '4.50',
    stock: 0,
    brand: 'Samsung',
    category: 'smartphones',
  },
  {
    key: 'pixel',
    title: 'Google Pixel 8',
    description: 'Clean Android and a great camera for night shots.',
    price: '699.00',
    rating: '4.20',
    stock: 12,
    brand: 'Google',
    category: 'smartphones',
  },
  {
    key: 'macbook',
    title: 'Apple MacBook Air 13',
    description: 'Thin and light notebook with the M3 chip and all-day battery.',
    price: '1099.00',
    rating: '4.90',
    stock: 5,
    brand: 'Apple',
    category: 'laptops',
  },
  {
    key: 'xps',
    title: 'Dell XPS 13',
    description: 'Compact Windows ultrabook with an edge-to-edge screen.',
    price: '1199.50',
    rating: '4.10',
    stock: 8,
    brand: 'Dell',
    category: 'laptops',
  },
  {
    key: 'pegasus',
    title: 'Nike Air Zoom Pegasus',
    description: 'Everyday running shoe with responsive cushioning.',
    price: '129.99',
    rating: '4.60',
    stock: 40,
    brand: 'Nike',
    category: 'shoes',
  },
  {
    key: 'ultraboost',
    title: 'Adidas Ultraboost Light',
    description: 'Energy-returning sneakers for long runs.',
    price: '189.95',
    rating: '3.90',
    stock: 0,
    brand: 'Adidas',
    category: 'shoes',
  },
  {
    key: 'case',
    title: 'Leather Phone Case for iPhone',
    description: 'Protective genuine leather cover with a microfiber lining.',
    price: '29.99',
    rating: '3.50',
    stock: 100,
    brand: 'Acme',
    category: 'electronics',
  },
] as const;

export type VisibleName = (typeof VISIBLE_PRODUCTS)[number]['key'];

const BASE_TIME = Date.UTC(2025, 0, 1, 12, 0, 0);

export async function seedCatalogue(ctx: TestContext): Promise<Catalogue> {
  const { prisma } = ctx.container;
  const electronics = await prisma.category.create({ data: { slug: 'electronics', name: 'Electronics' } });
  const fashion = await prisma.category.create({ data: { slug: 'fashion', name: 'Fashion', sortOrder: 1 } });
  const smartphones = await prisma.category.create({
    data: { slug: 'smartphones', name: 'Smartphones', parentId: electronics.id },
  });
  const laptops = await prisma.category.create({
    data: { slug: 'laptops', name: 'Laptops', parentId: electronics.id, sortOrder: 1 },
  });
  const shoes = await prisma.category.create({
    data: { slug: 'shoes', name: 'Shoes', parentId: fashion.id },
  });
  const categories = { electronics, smartphones, laptops, fashion, shoes };

  const products = {} as Catalogue['products'];
  let minute = 0;
  for (const product of VISIBLE_PRODUCTS) {
    const at = new Date(BASE_TIME + minute++ * 60_000);
    const created = await prisma.product.create({
      data: {
        title: product.title,
        description: product.description,
        price: product.price,
        rating: product.rating,
        stock: product.stock,
        brand: product.brand,
        categoryId: categories[product.category].id,
        thumbnail: `https://cdn.example.test/${product.key}.jpg`,
        images: [
          `https://cdn.example.test/${product.key}-1.jpg`,
          `https://cdn.example.test/${product.key}-2.jpg`,
        ],
        tags: [product.category],
        sku: `SKU-${product.key.toUpperCase()}`,
        slug: product.key,
        createdAt: at,
        updatedAt: at,
      },
    });
    products[product.key] = { id: created.id };
  }
  const inactive = await prisma.product.create({
    data: {
      title: 'Hidden Prototype Phone',
      description: 'Not for sale yet.',
      price: '1.00',
      stock: 3,
      brand: 'Apple',
      categoryId: smartphones.id,
      sku: 'SKU-PROTO',
      slug: 'prototype',
      isActive: false,
      createdAt: new Date(BASE_TIME + minute++ * 60_000),
    },
  });
  const deleted = await prisma.product.create({
    data: {
      title: 'Discontinued Phone',
      description: 'Gone.',
      price: '2.00',
      stock: 3,
      brand: 'Apple',
      categoryId: smartphones.id,
      sku: 'SKU-GONE',
      slug: 'discontinued',
      isActive: false,
      deletedAt: new Date(),
      createdAt: new Date(BASE_TIME + minute++ * 60_000),
    },
  });
  return {
    categories: Object.fromEntries(
      Object.entries(categories).map(([key, value]) => [key, { id: value.id, slug: value.slug }]),
    ) as Catalogue['categories'],
    products,
    inactiveId: inactive.id,
    deletedId: deleted.id,
  };
}

/** The exact key set of a public product (contract fields first, then ours). */
export const PRODUCT_KEYS = [
  'id',
  'title',
  'description',
  'price',
  'discountPercentage',
  'rating',
  'stock',
  'brand',
  'category',
  'thumbnail',
  'images',
  'sku',
  'slug',
  'isActive',
  'reviewCount',
  'createdAt',
  'updatedAt',
  'tags',
  'currency',
  'weight',
].sort();

/**
 * Records every SQL statement sent through any `pg` client of this process while `run` executes (Prisma's pg
 * adapter included) — the Vendure-style query counter.
 */
export async function countQueries<T>(run: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  prototype.query = function patched(this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    statements.push(typeof first === 'string' ? first : (first?.text ?? '<unknown>'));
    return original.apply(this, args);
  };
  try {
    const result = await run();
    return { result, statements };
  } finally {
    prototype.query = original;
  }
}

/** Statements that read products (the page or count queries), as opposed to transaction control etc. */
export const productStatements = (statements: string[]) =>
  statements.filter((sql) => /\bFROM\s+"?products"?\s+p\b/i.test(sql));
