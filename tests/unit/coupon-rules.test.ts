import {
  couponRefusal,
  normalizeCouponCode,
  type CheckoutAttempt,
  type CouponState,
} from '../../src/modules/coupons/coupon-rules';
import { couponDefinitionIssues } from '../../src/modules/coupons/coupons.schemas';

const NOW = new Date('2026-12-03T12:00:00.000Z');
const coupon = (overrides: Partial<CouponState> = {}): CouponState => ({
  isActive: true,
  startsAt: null,
  expiresAt: null,
  usageLimit: null,
  usageCount: 0,
  minSubtotalCents: null,
  onePerCustomer: false,
  ...overrides,
});
const attempt = (overrides: Partial<CheckoutAttempt> = {}): CheckoutAttempt => ({
  subtotalCents: 5_000,
  now: NOW,
  customerHasUse: false,
  ...overrides,
});
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

describe('normalizeCouponCode', () => {
  it('trims and upper-cases', () => {
    expect(normalizeCouponCode('  save10 ')).toBe('SAVE10');
    expect(normalizeCouponCode('Black-Friday_26')).toBe('BLACK-FRIDAY_26');
  });
});

describe('couponRefusal', () => {
  it('accepts a plain active coupon', () => {
    expect(couponRefusal(coupon(), attempt())).toBeNull();
  });

  it('refuses an unknown coupon as COUPON_INVALID', () => {
    expect(couponRefusal(null, attempt())).toMatchObject({ code: 'COUPON_INVALID' });
  });

  it('refuses an inactive coupon as COUPON_INVALID, before any other rule', () => {
    const refusal = couponRefusal(
      coupon({ isActive: false, expiresAt: at(-1), usageLimit: 1, usageCount: 1 }),
      attempt(),
    );
    expect(refusal).toMatchObject({ code: 'COUPON_INVALID', message: 'This coupon code is not valid' });
  });

  it('refuses before startsAt as COUPON_EXPIRED; startsAt itself is valid', () => {
    expect(couponRefusal(coupon({ startsAt: at(1) }), attempt())).toEqual({
      code: 'COUPON_EXPIRED',
      message: 'This coupon is not valid yet',
      details: { startsAt: at(1).toISOString() },
    });
    expect(couponRefusal(coupon({ startsAt: NOW }), attempt())).toBeNull();
    expect(couponRefusal(coupon({ startsAt: at(-1) }), attempt())).toBeNull();
  });

  it('refuses from expiresAt on as COUPON_EXPIRED; just before it is valid', () => {
    expect(couponRefusal(coupon({ expiresAt: NOW }), attempt())).toEqual({
      code: 'COUPON_EXPIRED',
      message: 'This coupon has expired',
      details: { expiresAt: NOW.toISOString() },
    });
    expect(couponRefusal(coupon({ expiresAt: at(-60_000) }), attempt())).toMatchObject({
      code: 'COUPON_EXPIRED',
    });
    expect(couponRefusal(coupon({ expiresAt: at(1) }), attempt())).toBeNull();
  });

  it('refuses a coupon at its usage limit as COUPON_EXHAUSTED; below it is valid', () => {
    expect(couponRefusal(coupon({ usageLimit: 5, usageCount: 5 }), attempt())).toEqual({
      code: 'COUPON_EXHAUSTED',
      message: 'This coupon has been used up',
    });
    expect(couponRefusal(coupon({ usageLimit: 5, usageCount: 6 }), attempt())).toMatchObject({
      code: 'COUPON_EXHAUSTED',
    });
    expect(couponRefusal(coupon({ usageLimit: 5, usageCount: 4 }), attempt())).toBeNull();
    expect(couponRefusal(coupon({ usageLimit: null, usageCount: 1_000_000 }), attempt())).toBeNull();
  });

  it('refuses a one-per-customer coupon the customer already uses as COUPON_EXHAUSTED', () => {
    expect(couponRefusal(coupon({ onePerCustomer: true }), attempt({ customerHasUse: true }))).toEqual({
      code: 'COUPON_EXHAUSTED',
      message: 'You have already used this coupon',
    });
    expect(couponRefusal(coupon({ onePerCustomer: true }), attempt())).toBeNull();
    // Without the one-per-customer flag an earlier use by the same customer does not matter.
    expect(couponRefusal(coupon(), attempt({ customerHasUse: true }))).toBeNull();
  });

  it('refuses a subtotal below the minimum as COUPON_MIN_SUBTOTAL; the minimum itself is enough', () => {
    expect(couponRefusal(coupon({ minSubtotalCents: 5_001 }), attempt())).toEqual({
      code: 'COUPON_MIN_SUBTOTAL',
      message: 'This coupon needs a subtotal of at least 50.01',
      details: { minSubtotal: 50.01, subtotal: 50 },
    });
    expect(couponRefusal(coupon({ minSubtotalCents: 5_000 }), attempt())).toBeNull();
    expect(couponRefusal(coupon({ minSubtotalCents: 0 }), attempt({ subtotalCents: 0 }))).toBeNull();
  });

  it('checks the window before the usage and the usage before the minimum subtotal', () => {
    const everything = coupon({
      expiresAt: at(-1),
      usageLimit: 1,
      usageCount: 1,
      minSubtotalCents: 1_000_000,
      onePerCustomer: true,
    });
    expect(couponRefusal(everything, attempt({ customerHasUse: true }))?.code).toBe('COUPON_EXPIRED');
    expect(couponRefusal({ ...everything, expiresAt: null }, attempt())?.code).toBe('COUPON_EXHAUSTED');
    expect(
      couponRefusal({ ...everything, expiresAt: null, usageLimit: null }, attempt({ customerHasUse: true }))
        ?.code,
    ).toBe('COUPON_EXHAUSTED');
    expect(couponRefusal({ ...everything, expiresAt: null, usageLimit: null }, attempt())?.code).toBe(
      'COUPON_MIN_SUBTOTAL',
    );
  });
});

describe('couponDefinitionIssues', () => {
  it('accepts a percentage up to 100 and any fixed amount', () => {
    expect(
      couponDefinitionIssues({ type: 'PERCENTAGE', value: 10_000, startsAt: null, expiresAt: null }),
    ).toEqual({});
    expect(
      couponDefinitionIssues({ type: 'FIXED_AMOUNT', value: 50_000, startsAt: null, expiresAt: null }),
    ).toEqual({});
  });

  it('refuses a percentage above 100', () => {
    expect(
      couponDefinitionIssues({ type: 'PERCENTAGE', value: 10_001, startsAt: null, expiresAt: null }),
    ).toEqual({
      value: ['A percentage must be at most 100'],
    });
  });

  it('refuses an empty validity window; an open end is fine', () => {
    expect(
      couponDefinitionIssues({ type: 'FIXED_AMOUNT', value: 100, startsAt: NOW, expiresAt: NOW }),
    ).toEqual({
      expiresAt: ['Must be after startsAt'],
    });
    expect(
      couponDefinitionIssues({ type: 'FIXED_AMOUNT', value: 100, startsAt: at(1), expiresAt: NOW }),
    ).toHaveProperty('expiresAt');
    expect(
      couponDefinitionIssues({ type: 'FIXED_AMOUNT', value: 100, startsAt: NOW, expiresAt: at(1) }),
    ).toEqual({});
    expect(
      couponDefinitionIssues({ type: 'FIXED_AMOUNT', value: 100, startsAt: NOW, expiresAt: null }),
    ).toEqual({});
    expect(
      couponDefinitionIssues({ type: 'FIXED_AMOUNT', value: 100, startsAt: null, expiresAt: NOW }),
    ).toEqual({});
  });
});
