import {
  couponDiscount,
  effectiveUnitPrice,
  priceOrder,
  type CheckoutCoupon,
  type PricingRules,
} from '../../src/modules/orders/pricing';

const rules: PricingRules = { taxRate: 0.08, freeShippingThresholdCents: 10_000, shippingFlatRateCents: 999 };
const percent = (p: number, max?: number): CheckoutCoupon => ({
  couponId: 1,
  code: 'P',
  type: 'PERCENTAGE',
  percent: p,
  maxDiscountCents: max ?? null,
});
const fixed = (cents: number): CheckoutCoupon => ({
  couponId: 2,
  code: 'F',
  type: 'FIXED_AMOUNT',
  amountCents: cents,
});

describe('pricing', () => {
  it('applies the product discount per unit, rounded half up', () => {
    expect(effectiveUnitPrice(1999, 0)).toBe(1999);
    expect(effectiveUnitPrice(1999, 10)).toBe(1799); // 199.9 → 200 off
    expect(effectiveUnitPrice(1000, 12.5)).toBe(875);
  });

  it('totals lines, taxes the subtotal and charges flat shipping below the threshold', () => {
    const totals = priceOrder(
      [
        { productId: 1, quantity: 2, unitPriceCents: 1999, discountPercentage: 0 },
        { productId: 2, quantity: 1, unitPriceCents: 500, discountPercentage: 10 },
      ],
      rules,
    );
    expect(totals.lines.map((l) => l.lineTotalCents)).toEqual([3998, 450]);
    expect(totals).toMatchObject({
      subtotalCents: 4448,
      discountCents: 0,
      taxCents: 356, // 355.84
      shippingCents: 999,
      totalCents: 4448 + 356 + 999,
    });
  });

  it('ships free from the threshold on the discounted subtotal', () => {
    const line = { productId: 1, quantity: 1, unitPriceCents: 10_000, discountPercentage: 0 };
    expect(priceOrder([line], rules).shippingCents).toBe(0);
    const discounted = priceOrder([line], rules, fixed(1));
    expect(discounted.shippingCents).toBe(999);
    expect(discounted.taxCents).toBe(800); // 8 % of 99.99 = 7.9992
    expect(discounted.totalCents).toBe(9999 + 800 + 999);
  });

  it('computes percentage and fixed coupons, capped and never above the subtotal', () => {
    expect(couponDiscount(10_000, percent(15))).toBe(1500);
    expect(couponDiscount(10_000, percent(15, 1000))).toBe(1000);
    expect(couponDiscount(999, percent(33.33))).toBe(333);
    expect(couponDiscount(5000, fixed(2000))).toBe(2000);
    expect(couponDiscount(1500, fixed(2000))).toBe(1500);
    expect(couponDiscount(1500, null)).toBe(0);
  });

  it('never lets the total go below shipping when a coupon covers everything', () => {
    const totals = priceOrder(
      [{ productId: 1, quantity: 1, unitPriceCents: 500, discountPercentage: 0 }],
      rules,
      fixed(900),
    );
    expect(totals).toMatchObject({ subtotalCents: 500, discountCents: 500, taxCents: 0, totalCents: 999 });
  });

  it('uses the configured rates', () => {
    const totals = priceOrder([{ productId: 1, quantity: 3, unitPriceCents: 2000, discountPercentage: 0 }], {
      taxRate: 0.2,
      freeShippingThresholdCents: 5000,
      shippingFlatRateCents: 450,
    });
    expect(totals).toMatchObject({ subtotalCents: 6000, taxCents: 1200, shippingCents: 0, totalCents: 7200 });
  });
});
