import { percentOf, type Minor } from '../../common/money';

/** A coupon as the coupons module resolves it for checkout (see INTERFACES.md); it never computes money itself. */
export interface CheckoutCoupon {
  couponId: number;
  code: string;
  type: 'PERCENTAGE' | 'FIXED_AMOUNT';
  percent?: number;
  amountCents?: number;
  maxDiscountCents?: number | null;
}

export interface PricingLine {
  productId: number;
  quantity: number;
  /** The catalogue price in cents, before the product's own discount. */
  unitPriceCents: Minor;
  /** The product's discountPercentage (0–100, at most two decimals). */
  discountPercentage: number;
}

export interface PricingRules {
  /** 0.08 = 8 %. */
  taxRate: number;
  freeShippingThresholdCents: Minor;
  shippingFlatRateCents: Minor;
}

export interface PricedLine extends PricingLine {
  /** What one unit costs after the product's discount. */
  effectiveUnitCents: Minor;
  lineTotalCents: Minor;
}

export interface OrderTotals {
  lines: PricedLine[];
  subtotalCents: Minor;
  discountCents: Minor;
  taxCents: Minor;
  shippingCents: Minor;
  totalCents: Minor;
}

/** The unit price after the product's own discount percentage, rounded half up to the cent. */
export function effectiveUnitPrice(unitPriceCents: Minor, discountPercentage: number): Minor {
  return unitPriceCents - percentOf(unitPriceCents, discountPercentage);
}

/** The coupon's discount on a subtotal: never more than the subtotal, capped by maxDiscountCents. */
export function couponDiscount(subtotalCents: Minor, coupon: CheckoutCoupon | null | undefined): Minor {
  if (!coupon) return 0;
  const raw =
    coupon.type === 'PERCENTAGE' ? percentOf(subtotalCents, coupon.percent ?? 0) : (coupon.amountCents ?? 0);
  const capped = coupon.maxDiscountCents == null ? raw : Math.min(raw, coupon.maxDiscountCents);
  return Math.max(0, Math.min(capped, subtotalCents));
}

/**
 * The money of an order, all in integer cents: line totals from the discounted unit prices, the coupon's discount
 * on the subtotal, tax on the discounted subtotal, shipping free from the threshold (compared with the discounted
 * subtotal, what the customer actually pays for goods), else the flat rate.
 */
export function priceOrder(
  lines: PricingLine[],
  rules: PricingRules,
  coupon?: CheckoutCoupon | null,
): OrderTotals {
  const priced = lines.map((line) => {
    const effectiveUnitCents = effectiveUnitPrice(line.unitPriceCents, line.discountPercentage);
    return { ...line, effectiveUnitCents, lineTotalCents: effectiveUnitCents * line.quantity };
  });
  const subtotalCents = priced.reduce((sum, line) => sum + line.lineTotalCents, 0);
  const discountCents = couponDiscount(subtotalCents, coupon);
  const taxable = subtotalCents - discountCents;
  // Through basis points (percentOf): integer arithmetic, no float product of the rate.
  const taxCents = percentOf(taxable, rules.taxRate * 100);
  const shippingCents =
    priced.length === 0 || taxable >= rules.freeShippingThresholdCents ? 0 : rules.shippingFlatRateCents;
  return {
    lines: priced,
    subtotalCents,
    discountCents,
    taxCents,
    shippingCents,
    totalCents: taxable + taxCents + shippingCents,
  };
}
