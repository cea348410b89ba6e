import { z } from 'zod';
import type { FieldErrors } from '../../common/errors';
import { idParams } from '../../common/ids';
import { INT32_MAX } from '../../common/int32';
import { moneyAmount } from '../../common/money-schema';
import { booleanQuery, paginationQuery, searchQuery } from '../../common/pagination';
import { text } from '../../common/text';
import { normalizeCouponCode } from './coupon-rules';

export const couponIdParams = idParams;

export const COUPON_TYPES = ['PERCENTAGE', 'FIXED_AMOUNT'] as const;
export type CouponType = (typeof COUPON_TYPES)[number];

const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

const couponFields = {
  code: z
    .string()
    .transform(normalizeCouponCode)
    .pipe(
      z
        .string()
        .regex(/^[A-Z0-9][A-Z0-9_-]{2,31}$/, '3 to 32 letters, digits, dashes or underscores')
        .describe('Stored trimmed and upper-cased'),
    ),
  description: text(500).nullable(),
  type: z.enum(COUPON_TYPES),
  // A percent is kept in hundredths too (12.5 % → 1250), with the same two-decimal rule as an amount.
  value: moneyAmount({ positive: true }).describe(
    'PERCENTAGE: the percent, 0 < value ≤ 100; FIXED_AMOUNT: an amount in major units. At most two decimals',
  ),
  minSubtotal: moneyAmount()
    .nullable()
    .describe('The order subtotal (before the discount) needed to use it, major units'),
  maxDiscount: moneyAmount({ positive: true }).nullable().describe('Cap on the discount, major units'),
  startsAt: instant.nullable().describe('Valid from this instant (inclusive)'),
  expiresAt: instant.nullable().describe('Valid until this instant (exclusive); after startsAt'),
  usageLimit: z
    .number()
    .int('Must be an integer')
    .min(1, 'Must be at least 1')
    .max(INT32_MAX)
    .nullable()
    .describe('Total uses across all customers; null: unlimited'),
  onePerCustomer: z
    .boolean()
    .describe('Each customer may use it once (a cancelled order gives the use back)'),
  isActive: z.boolean(),
};

/** A coupon's definition with money in hundredths: what the cross-field rules look at. */
export interface CouponDefinition {
  type: CouponType;
  value: number;
  startsAt: Date | null;
  expiresAt: Date | null;
}

/**
 * The rules between fields, for a create body or an update merged with the stored coupon: a percentage is at most
 * 100, and the validity window is not empty.
 */
export function couponDefinitionIssues(definition: CouponDefinition): FieldErrors {
  const issues: FieldErrors = {};
  if (definition.type === 'PERCENTAGE' && definition.value > 100 * 100) {
    issues.value = ['A percentage must be at most 100'];
  }
  if (definition.startsAt && definition.expiresAt && definition.startsAt >= definition.expiresAt) {
    issues.expiresAt = ['Must be after startsAt'];
  }
  return issues;
}

function reportIssues(definition: CouponDefinition, ctx: z.RefinementCtx): void {
  for (const [path, messages] of Object.entries(couponDefinitionIssues(definition))) {
    for (const message of messages) ctx.addIssue({ code: 'custom', message, path: [path] });
  }
}

// Unknown and read-only fields (id, usageCount, timestamps) are ignored, so a client can PUT back what it read.
export const createCouponBody = z
  .object({
    ...couponFields,
    description: couponFields.description.optional(),
    minSubtotal: couponFields.minSubtotal.optional(),
    maxDiscount: couponFields.maxDiscount.optional(),
    startsAt: couponFields.startsAt.optional(),
    expiresAt: couponFields.expiresAt.optional(),
    usageLimit: couponFields.usageLimit.optional(),
    onePerCustomer: couponFields.onePerCustomer.default(false),
    isActive: couponFields.isActive.default(true),
  })
  .superRefine((value, ctx) =>
    reportIssues(
      {
        type: value.type,
        value: value.value,
        startsAt: value.startsAt ?? null,
        expiresAt: value.expiresAt ?? null,
      },
      ctx,
    ),
  )
  .meta({ id: 'CreateCoupon' });

/** Any subset of the create fields; the cross-field rules are checked against the stored coupon by the service. */
export const updateCouponBody = z
  .object(couponFields)
  .partial()
  .refine((value) => Object.keys(value).length > 0, 'At least one field is required')
  .meta({ id: 'UpdateCoupon' });

export const listCouponsQuery = paginationQuery.extend({
  q: searchQuery.describe('Part of the code or the description (case-insensitive)'),
  isActive: booleanQuery.optional(),
});

export type CreateCouponInput = z.output<typeof createCouponBody>;
export type UpdateCouponInput = z.output<typeof updateCouponBody>;
export type ListCouponsQuery = z.output<typeof listCouponsQuery>;

// ── Responses (documentation) ──

export const couponSchema = z
  .object({
    id: z.number().int(),
    code: z.string(),
    description: z.string().nullable(),
    type: z.enum(COUPON_TYPES),
    value: z.number().describe('Percent for PERCENTAGE, major units for FIXED_AMOUNT'),
    minSubtotal: z.number().nullable(),
    maxDiscount: z.number().nullable(),
    startsAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    usageLimit: z.number().int().nullable(),
    usageCount: z.number().int().describe('Standing uses: orders placed with it and not cancelled'),
    onePerCustomer: z.boolean(),
    isActive: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Coupon' });

export type PublicCoupon = z.output<typeof couponSchema>;

export const couponListSchema = z
  .object({
    coupons: z.array(couponSchema),
    total: z.number().int(),
    skip: z.number().int(),
    limit: z.number().int(),
  })
  .meta({ id: 'CouponList' });
