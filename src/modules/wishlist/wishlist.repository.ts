import type { Db, DbClient } from '../../lib/prisma';

/** A product the storefront may show: active and not soft-deleted. */
const activeProduct = { isActive: true, deletedAt: null } as const;

export const wishlistProductSelect = {
  id: true,
  title: true,
  price: true,
  discountPercentage: true,
  rating: true,
  stock: true,
  brand: true,
  thumbnail: true,
  category: { select: { slug: true } },
} as const;

interface DecimalLike {
  toFixed(digits: number): string;
}

export interface WishlistProductRow {
  id: number;
  title: string;
  price: DecimalLike;
  discountPercentage: DecimalLike;
  rating: DecimalLike;
  stock: number;
  brand: string | null;
  thumbnail: string | null;
  category: { slug: string };
}

export interface WishlistRow {
  createdAt: Date;
  product: WishlistProductRow;
}

/**
 * Every Prisma call on wishlist items. The user id is part of every query: no method can reach another user's
 * wishlist. Items of inactive or deleted products stay stored but are never listed, counted or reported.
 */
export class WishlistRepository {
  constructor(private readonly db: Db) {}

  list(
    userId: number,
    page: { skip: number; limit: number },
    tx: DbClient = this.db,
  ): Promise<[WishlistRow[], number]> {
    return Promise.all([
      tx.wishlistItem.findMany({
        where: { userId, product: activeProduct },
        orderBy: [{ createdAt: 'desc' }, { productId: 'desc' }],
        skip: page.skip,
        take: page.limit,
        select: { createdAt: true, product: { select: wishlistProductSelect } },
      }),
      this.count(userId, tx),
    ]);
  }

  count(userId: number, tx: DbClient = this.db): Promise<number> {
    return tx.wishlistItem.count({ where: { userId, product: activeProduct } });
  }

  async contains(userId: number, productId: number, tx: DbClient = this.db): Promise<boolean> {
    const item = await tx.wishlistItem.findFirst({
      where: { userId, productId, product: activeProduct },
      select: { productId: true },
    });
    return item !== null;
  }

  findActiveProduct(productId: number, tx: DbClient = this.db): Promise<WishlistProductRow | null> {
    return tx.product.findFirst({
      where: { id: productId, ...activeProduct },
      select: wishlistProductSelect,
    });
  }

  /** INSERT … ON CONFLICT DO NOTHING: the added time when this call created the item, undefined when it existed. */
  async add(userId: number, productId: number, tx: DbClient = this.db): Promise<Date | undefined> {
    const [created] = await tx.wishlistItem.createManyAndReturn({
      data: [{ userId, productId }],
      skipDuplicates: true,
      select: { createdAt: true },
    });
    return created?.createdAt;
  }

  async addedAt(userId: number, productId: number, tx: DbClient = this.db): Promise<Date | undefined> {
    const item = await tx.wishlistItem.findUnique({
      where: { userId_productId: { userId, productId } },
      select: { createdAt: true },
    });
    return item?.createdAt;
  }

  async remove(userId: number, productId: number, tx: DbClient = this.db): Promise<boolean> {
    const { count } = await tx.wishlistItem.deleteMany({ where: { userId, productId } });
    return count > 0;
  }

  async clear(userId: number, tx: DbClient = this.db): Promise<number> {
    const { count } = await tx.wishlistItem.deleteMany({ where: { userId } });
    return count;
  }
}
