import type { Coupon, CouponType, Prisma } from '../../generated/prisma/client';
import { SQL_UTC_NOW, type Db, type DbClient } from '../../lib/prisma';

export type CouponRow = Coupon;

/** A coupon's columns as the service writes them: money and percentages as Decimal strings. */
export interface CouponWriteData {
  code: string;
  description: string | null;
  type: CouponType;
  value: string;
  minSubtotal: string | null;
  maxDiscount: string | null;
  startsAt: Date | null;
  expiresAt: Date | null;
  usageLimit: number | null;
  onePerCustomer: boolean;
  isActive: boolean;
}

export interface CouponListFilter {
  q?: string;
  isActive?: boolean;
}

/** Every statement on `coupons` and `coupon_redemptions`: the only writer of both tables. */
export class CouponRepository {
  constructor(private readonly db: Db) {}

  /** Newest first. */
  list(
    filter: CouponListFilter,
    page: { skip: number; limit: number },
    tx: DbClient = this.db,
  ): Promise<[CouponRow[], number]> {
    const where: Prisma.CouponWhereInput = {
      isActive: filter.isActive,
      ...(filter.q && {
        OR: [
          { code: { contains: filter.q, mode: 'insensitive' } },
          { description: { contains: filter.q, mode: 'insensitive' } },
        ],
      }),
    };
    return Promise.all([
      tx.coupon.findMany({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: page.skip,
        take: page.limit,
      }),
      tx.coupon.count({ where }),
    ]);
  }

  findById(id: number, tx: DbClient = this.db): Promise<CouponRow | null> {
    return tx.coupon.findUnique({ where: { id } });
  }

  /** By its stored (normalised) code. */
  findByCode(code: string, tx: DbClient = this.db): Promise<CouponRow | null> {
    return tx.coupon.findUnique({ where: { code } });
  }

  create(data: CouponWriteData, tx: DbClient = this.db): Promise<CouponRow> {
    return tx.coupon.create({ data });
  }

  /** Null when the coupon does not exist. */
  async update(
    id: number,
    data: Partial<CouponWriteData>,
    tx: DbClient = this.db,
  ): Promise<CouponRow | null> {
    const { count } = await tx.coupon.updateMany({ where: { id }, data });
    return count === 1 ? tx.coupon.findUnique({ where: { id } }) : null;
  }

  /** Whether the user has a use of the coupon that no cancellation gave back. */
  async hasStandingUse(couponId: number, userId: number, tx: DbClient = this.db): Promise<boolean> {
    const row = await tx.couponRedemption.findFirst({
      where: { couponId, userId, releasedAt: null },
      select: { id: true },
    });
    return row !== null;
  }

  /**
   * One statement, run inside the order's transaction just before its stock statement: the conditional usage
   * increment (active, inside its window, below its limit; concurrent orders serialise on the coupon's row lock and
   * each re-checks the count it waited for) and the redemption row. On a one-per-customer coupon the row carries
   * `exclusive_user_id`, whose unique key with coupon_id turns a second standing use by the same customer into a
   * conflict, even from a parallel transaction. Returns false when either refused; the increment may then have
   * happened, so the caller must roll its transaction back (the order service does: COUPON_EXHAUSTED).
   */
  async redeem(tx: DbClient, input: { couponId: number; userId: number; orderId: string }): Promise<boolean> {
    const inserted = await tx.$executeRaw`
      WITH used AS (
        UPDATE coupons
           SET usage_count = usage_count + 1
         WHERE id = ${input.couponId}
           AND is_active
           AND (usage_limit IS NULL OR usage_count < usage_limit)
           AND (starts_at IS NULL OR starts_at <= ${SQL_UTC_NOW})
           AND (expires_at IS NULL OR expires_at > ${SQL_UTC_NOW})
        RETURNING id, one_per_customer
      )
      INSERT INTO coupon_redemptions (coupon_id, order_id, user_id, exclusive_user_id)
      SELECT id, ${input.orderId}::uuid, ${input.userId}, CASE WHEN one_per_customer THEN ${input.userId}::int END
        FROM used
      ON CONFLICT DO NOTHING`;
    return inserted === 1;
  }

  /**
   * Gives the order's coupon use back, in one statement: marks its redemption released (freeing the customer's
   * one-per-customer slot) and decrements the coupon's count, only when this call flips released_at from NULL, so
   * a repeated release changes nothing.
   */
  async release(tx: DbClient, orderId: string): Promise<void> {
    await tx.$executeRaw`
      WITH released AS (
        UPDATE coupon_redemptions
           SET released_at = ${SQL_UTC_NOW}, exclusive_user_id = NULL
         WHERE order_id = ${orderId}::uuid AND released_at IS NULL
        RETURNING coupon_id
      )
      UPDATE coupons
         SET usage_count = usage_count - 1
        FROM released
       WHERE coupons.id = released.coupon_id AND coupons.usage_count > 0`;
  }
}
