import type { OrderStatus } from '../../generated/prisma/client';
import type { Db, DbClient } from '../../lib/prisma';
import { reviewRowSelect, type ReviewRow } from './review.serializer';

/** Orders in these states were paid for: their lines make a review a verified purchase. */
export const PURCHASED_ORDER_STATUSES: OrderStatus[] = ['PAID', 'PROCESSING', 'SHIPPED', 'DELIVERED'];

/** A product the storefront may show: active and not soft-deleted. */
const activeProduct = { isActive: true, deletedAt: null } as const;

/** Every Prisma call on reviews, and the review aggregate columns of `products`. */
export class ReviewRepository {
  constructor(private readonly db: Db) {}

  async isProductActive(productId: number, tx: DbClient = this.db): Promise<boolean> {
    const product = await tx.product.findFirst({
      where: { id: productId, ...activeProduct },
      select: { id: true },
    });
    return product !== null;
  }

  /** Newest first; `(product_id, created_at DESC, id)` is indexed. */
  list(
    productId: number,
    page: { skip: number; limit: number },
    tx: DbClient = this.db,
  ): Promise<[ReviewRow[], number]> {
    return Promise.all([
      tx.review.findMany({
        where: { productId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: page.skip,
        take: page.limit,
        select: reviewRowSelect,
      }),
      tx.review.count({ where: { productId } }),
    ]);
  }

  findById(id: number, tx: DbClient = this.db): Promise<ReviewRow | null> {
    return tx.review.findUnique({ where: { id }, select: reviewRowSelect });
  }

  async hasPurchased(userId: number, productId: number, tx: DbClient = this.db): Promise<boolean> {
    const line = await tx.orderItem.findFirst({
      where: { productId, order: { userId, status: { in: PURCHASED_ORDER_STATUSES } } },
      select: { id: true },
    });
    return line !== null;
  }

  create(
    data: { productId: number; userId: number; rating: number; comment: string; isVerifiedPurchase: boolean },
    tx: DbClient = this.db,
  ): Promise<ReviewRow> {
    return tx.review.create({ data, select: reviewRowSelect });
  }

  /** Deletes the review; false when it was already gone (a concurrent delete won). */
  async delete(id: number, tx: DbClient = this.db): Promise<boolean> {
    const { count } = await tx.review.deleteMany({ where: { id } });
    return count === 1;
  }

  /**
   * Adds `ratingDelta` to the product's rating total and `countDelta` to its review count, and recomputes the
   * average, in one atomic UPDATE: the right-hand side reads the row as locked by this statement, so concurrent
   * reviews of one product serialise on the row lock and each one counts. With `onlyActive`, an inactive or
   * soft-deleted product is not touched. Returns whether a row was updated.
   */
  async adjustRating(
    productId: number,
    ratingDelta: number,
    countDelta: number,
    tx: DbClient,
    { onlyActive = false }: { onlyActive?: boolean } = {},
  ): Promise<boolean> {
    const updated = await tx.$executeRaw`
      UPDATE products
         SET rating_total = rating_total + ${ratingDelta}::int,
             review_count = review_count + ${countDelta}::int,
             rating = CASE
               WHEN review_count + ${countDelta}::int > 0
                 THEN ROUND((rating_total + ${ratingDelta}::int)::numeric / (review_count + ${countDelta}::int), 2)
               ELSE 0
             END
       WHERE id = ${productId}::int
         AND (NOT ${onlyActive}::boolean OR (is_active AND deleted_at IS NULL))`;
    return updated === 1;
  }
}
