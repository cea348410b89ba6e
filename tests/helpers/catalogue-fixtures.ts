import { randomBytes } from 'node:crypto';
import type { OrderStatus, Prisma } from '../../src/generated/prisma/client';
import type { TestContext } from './test-app';

/**
 * Catalogue rows inserted directly with Prisma (no HTTP): categories, products and orders for tests of modules
 * that read the catalogue. Every slug/sku is unique, so fixtures never collide within one database.
 */
const unique = (label: string) => `${label}-${randomBytes(4).toString('hex')}`;

export async function createCategory(
  ctx: TestContext,
  data: Partial<Prisma.CategoryUncheckedCreateInput> = {},
) {
  const slug = data.slug ?? unique('category');
  return ctx.container.prisma.category.create({ data: { name: slug, ...data, slug } });
}

export type ProductFixture = Partial<Omit<Prisma.ProductUncheckedCreateInput, 'categoryId'>> & {
  categoryId?: number;
};

/** An active product (a new category unless `categoryId` is given). */
export async function createProduct(ctx: TestContext, data: ProductFixture = {}) {
  const categoryId = data.categoryId ?? (await createCategory(ctx)).id;
  const slug = data.slug ?? unique('product');
  return ctx.container.prisma.product.create({
    data: {
      title: `Product ${slug}`,
      description: 'A product used by the tests',
      price: '19.99',
      stock: 10,
      brand: 'Acme',
      thumbnail: `https://cdn.example.test/${slug}.jpg`,
      sku: unique('SKU').toUpperCase(),
      ...data,
      slug,
      categoryId,
    },
  });
}

/** An order of `userId` in `status` with one line per product (prices are not what these tests check). */
export async function createOrder(
  ctx: TestContext,
  userId: number,
  productIds: number[],
  status: OrderStatus = 'PAID',
) {
  return ctx.container.prisma.order.create({
    data: {
      orderNumber: unique('ORD-TEST').toUpperCase(),
      userId,
      status,
      subtotal: '10.00',
      total: '10.00',
      items: {
        create: productIds.map((productId) => ({
          productId,
          title: `Product ${productId}`,
          sku: `SKU-${productId}`,
          quantity: 1,
          unitPrice: '10.00',
          lineTotal: '10.00',
        })),
      },
    },
  });
}
