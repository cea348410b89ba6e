import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../../common/errors';
import { toDecimalString, toMajor, toMinor } from '../../common/money';
import { listPayload } from '../../common/pagination';
import type { ActorContext } from '../../common/request-context';
import { isUniqueViolation, type DbClient, type TransactionRunner } from '../../lib/prisma';
import type { AuditService } from '../audit/audit.service';
import type { CheckoutCoupons } from '../orders/orders.ports';
import type { CheckoutCoupon } from '../orders/pricing';
import { couponRefusal, normalizeCouponCode } from './coupon-rules';
import type { CouponRepository, CouponRow, CouponWriteData } from './coupons.repository';
import {
  couponDefinitionIssues,
  type CreateCouponInput,
  type ListCouponsQuery,
  type PublicCoupon,
  type UpdateCouponInput,
} from './coupons.schemas';

const couponNotFound = () => new NotFoundError('Coupon');
const codeTaken = (code: string) =>
  new ConflictError(`A coupon with the code ${code} already exists`, 'COUPON_EXISTS');

const decimalOrNull = (hundredths: number | null | undefined) =>
  hundredths == null ? null : toDecimalString(hundredths);
const majorOrNull = (value: { toFixed(digits: number): string } | null) =>
  value === null ? null : toMajor(toMinor(value));

export function toPublicCoupon(row: CouponRow): PublicCoupon {
  return {
    id: row.id,
    code: row.code,
    description: row.description,
    type: row.type,
    value: toMajor(toMinor(row.value)),
    minSubtotal: majorOrNull(row.minSubtotal),
    maxDiscount: majorOrNull(row.maxDiscount),
    startsAt: row.startsAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    usageLimit: row.usageLimit,
    usageCount: row.usageCount,
    onePerCustomer: row.onePerCustomer,
    isActive: row.isActive,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Coupons: the admin's CRUD (every write audited in its transaction) and, for checkout, the coupon rules and the
 * usage counter. Deleting deactivates: orders keep their coupon_id and coupon_code, and the code stays reserved.
 * The discount itself is computed by orders/pricing.ts from what resolveForCheckout returns.
 */
export class CouponService implements CheckoutCoupons {
  constructor(
    private readonly transaction: TransactionRunner,
    private readonly coupons: CouponRepository,
    private readonly audit: AuditService,
  ) {}

  async list(query: ListCouponsQuery) {
    const [rows, total] = await this.coupons.list({ q: query.q, isActive: query.isActive }, query);
    return listPayload('coupons', rows.map(toPublicCoupon), total, query);
  }

  async get(id: number): Promise<PublicCoupon> {
    const row = await this.coupons.findById(id);
    if (!row) throw couponNotFound();
    return toPublicCoupon(row);
  }

  async create(context: ActorContext, input: CreateCouponInput): Promise<PublicCoupon> {
    const data: CouponWriteData = {
      code: input.code,
      description: input.description ?? null,
      type: input.type,
      value: toDecimalString(input.value),
      minSubtotal: decimalOrNull(input.minSubtotal),
      maxDiscount: decimalOrNull(input.maxDiscount),
      startsAt: input.startsAt ?? null,
      expiresAt: input.expiresAt ?? null,
      usageLimit: input.usageLimit ?? null,
      onePerCustomer: input.onePerCustomer,
      isActive: input.isActive,
    };
    try {
      const row = await this.transaction(async (tx) => {
        const created = await this.coupons.create(data, tx);
        await this.audit.record(
          context,
          {
            action: 'coupon.created',
            entityType: 'coupon',
            entityId: created.id,
            metadata: toPublicCoupon(created),
          },
          tx,
        );
        return created;
      });
      return toPublicCoupon(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw codeTaken(input.code);
      throw error;
    }
  }

  /** Partial update; the cross-field rules are checked on the result (e.g. a new type with the stored value). */
  async update(context: ActorContext, id: number, input: UpdateCouponInput): Promise<PublicCoupon> {
    const data: Partial<CouponWriteData> = {};
    if (input.code !== undefined) data.code = input.code;
    if (input.description !== undefined) data.description = input.description;
    if (input.type !== undefined) data.type = input.type;
    if (input.value !== undefined) data.value = toDecimalString(input.value);
    if (input.minSubtotal !== undefined) data.minSubtotal = decimalOrNull(input.minSubtotal);
    if (input.maxDiscount !== undefined) data.maxDiscount = decimalOrNull(input.maxDiscount);
    if (input.startsAt !== undefined) data.startsAt = input.startsAt;
    if (input.expiresAt !== undefined) data.expiresAt = input.expiresAt;
    if (input.usageLimit !== undefined) data.usageLimit = input.usageLimit;
    if (input.onePerCustomer !== undefined) data.onePerCustomer = input.onePerCustomer;
    if (input.isActive !== undefined) data.isActive = input.isActive;

    try {
      const row = await this.transaction(async (tx) => {
        const before = await this.coupons.findById(id, tx);
        if (!before) throw couponNotFound();
        const issues = couponDefinitionIssues({
          type: input.type ?? before.type,
          value: input.value ?? toMinor(before.value),
          startsAt: input.startsAt !== undefined ? input.startsAt : before.startsAt,
          expiresAt: input.expiresAt !== undefined ? input.expiresAt : before.expiresAt,
        });
        if (Object.keys(issues).length > 0) throw new ValidationError(issues);
        const after = await this.coupons.update(id, data, tx);
        if (!after) throw couponNotFound();
        await this.audit.record(
          context,
          {
            action: 'coupon.updated',
            entityType: 'coupon',
            entityId: id,
            metadata: { changes: changes(toPublicCoupon(before), toPublicCoupon(after), Object.keys(input)) },
          },
          tx,
        );
        return after;
      });
      return toPublicCoupon(row);
    } catch (error) {
      if (isUniqueViolation(error) && input.code !== undefined) throw codeTaken(input.code);
      throw error;
    }
  }

  /**
   * DELETE deactivates rather than removes: orders placed with the coupon keep pointing at it, its usage history
   * stays, and its code cannot be handed to a different coupon. A PUT with `isActive: true` brings it back.
   */
  async deactivate(context: ActorContext, id: number): Promise<PublicCoupon> {
    const row = await this.transaction(async (tx) => {
      const after = await this.coupons.update(id, { isActive: false }, tx);
      if (!after) throw couponNotFound();
      await this.audit.record(
        context,
        { action: 'coupon.deactivated', entityType: 'coupon', entityId: id, metadata: { code: after.code } },
        tx,
      );
      return after;
    });
    return toPublicCoupon(row);
  }

  /** The coupon a checkout may use, or 422 with the rule it breaks (coupon-rules.ts). */
  async resolveForCheckout(
    code: string,
    input: { userId: number; subtotalCents: number; now: Date },
  ): Promise<CheckoutCoupon> {
    const row = await this.coupons.findByCode(normalizeCouponCode(code));
    const customerHasUse =
      row !== null && row.onePerCustomer && (await this.coupons.hasStandingUse(row.id, input.userId));
    const refusal = couponRefusal(
      row && {
        isActive: row.isActive,
        startsAt: row.startsAt,
        expiresAt: row.expiresAt,
        usageLimit: row.usageLimit,
        usageCount: row.usageCount,
        minSubtotalCents: row.minSubtotal === null ? null : toMinor(row.minSubtotal),
        onePerCustomer: row.onePerCustomer,
      },
      { subtotalCents: input.subtotalCents, now: input.now, customerHasUse },
    );
    if (refusal) throw new UnprocessableError(refusal.code, refusal.message, refusal.details);
    // couponRefusal refuses an unknown coupon: here the row exists.
    const coupon = row!;
    const hundredths = toMinor(coupon.value);
    return {
      couponId: coupon.id,
      code: coupon.code,
      type: coupon.type,
      ...(coupon.type === 'PERCENTAGE' ? { percent: hundredths / 100 } : { amountCents: hundredths }),
      maxDiscountCents: coupon.maxDiscount === null ? null : toMinor(coupon.maxDiscount),
    };
  }

  redeemIfAvailable(
    tx: DbClient,
    input: { couponId: number; userId: number; orderId: string },
  ): Promise<boolean> {
    return this.coupons.redeem(tx, input);
  }

  releaseForOrder(tx: DbClient, orderId: string): Promise<void> {
    return this.coupons.release(tx, orderId);
  }
}

type CouponValue = PublicCoupon[keyof PublicCoupon];

/** `{ field: { from, to } }` for the fields the request named whose value changed. */
function changes(
  before: PublicCoupon,
  after: PublicCoupon,
  fields: string[],
): Record<string, { from: CouponValue; to: CouponValue }> {
  const result: Record<string, { from: CouponValue; to: CouponValue }> = {};
  for (const field of fields) {
    if (!(field in before)) continue;
    const key = field as keyof PublicCoupon;
    if (before[key] !== after[key]) result[field] = { from: before[key], to: after[key] };
  }
  return result;
}
