import { toDecimalString, toMajor, type Minor } from '../../common/money';

/** The codes a coupon is refused with at checkout (each a 422 in the contract). */
export type CouponRefusalCode =
  'COUPON_INVALID' | 'COUPON_EXPIRED' | 'COUPON_EXHAUSTED' | 'COUPON_MIN_SUBTOTAL';

export interface CouponRefusal {
  code: CouponRefusalCode;
  message: string;
  details?: Record<string, number | string>;
}

/** What the rules need to know about a coupon (money in cents). */
export interface CouponState {
  isActive: boolean;
  startsAt: Date | null;
  expiresAt: Date | null;
  usageLimit: number | null;
  usageCount: number;
  minSubtotalCents: Minor | null;
  onePerCustomer: boolean;
}

export interface CheckoutAttempt {
  subtotalCents: Minor;
  now: Date;
  /** The customer already has a standing (unreleased) use of this coupon. */
  customerHasUse: boolean;
}

/** Codes are compared trimmed and upper-cased: `ab10 ` and `AB10` are the same coupon. */
export function normalizeCouponCode(code: string): string {
  return code.trim().toUpperCase();
}

/**
 * Why a coupon cannot be used for this checkout, or null when it can. Checked in this order: unknown or inactive,
 * outside its validity window (startsAt inclusive, expiresAt exclusive), used up (the usage limit, or this
 * customer's one use of a one-per-customer coupon), then the minimum subtotal (the subtotal before the discount).
 */
export function couponRefusal(coupon: CouponState | null, attempt: CheckoutAttempt): CouponRefusal | null {
  if (!coupon || !coupon.isActive) {
    return { code: 'COUPON_INVALID', message: 'This coupon code is not valid' };
  }
  const now = attempt.now.getTime();
  if (coupon.startsAt && now < coupon.startsAt.getTime()) {
    return {
      code: 'COUPON_EXPIRED',
      message: 'This coupon is not valid yet',
      details: { startsAt: coupon.startsAt.toISOString() },
    };
  }
  if (coupon.expiresAt && now >= coupon.expiresAt.getTime()) {
    return {
      code: 'COUPON_EXPIRED',
      message: 'This coupon has expired',
      details: { expiresAt: coupon.expiresAt.toISOString() },
    };
  }
  if (coupon.usageLimit !== null && coupon.usageCount >= coupon.usageLimit) {
    return { code: 'COUPON_EXHAUSTED', message: 'This coupon has been used up' };
  }
  if (coupon.onePerCustomer && attempt.customerHasUse) {
    return { code: 'COUPON_EXHAUSTED', message: 'You have already used this coupon' };
  }
  if (coupon.minSubtotalCents !== null && attempt.subtotalCents < coupon.minSubtotalCents) {
    return {
      code: 'COUPON_MIN_SUBTOTAL',
      message: `This coupon needs a subtotal of at least ${toDecimalString(coupon.minSubtotalCents)}`,
      details: {
        minSubtotal: toMajor(coupon.minSubtotalCents),
        subtotal: toMajor(attempt.subtotalCents),
      },
    };
  }
  return null;
}
