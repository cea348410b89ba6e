import { z } from 'zod';
import { INT32_MAX } from '../../common/int32';
import { toMajor, toMinor } from '../../common/money';
import { text } from '../../common/text';

const PAYMENT_STATUSES = [
  'REQUIRES_PAYMENT',
  'PROCESSING',
  'SUCCEEDED',
  'FAILED',
  'CANCELED',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
] as const;

const money = z.number().describe('Major units, two decimals');

export const createIntentBody = z.object({ orderId: z.uuid('Must be an order id') });
export const orderPaymentParams = z.object({ orderId: z.uuid('Must be an order id') });
export const paymentIdParams = z.object({ paymentId: z.uuid('Must be a payment id') });

export const refundBody = z.object({
  amount: z
    .number()
    .finite()
    // Both abort: toMinor cannot read a number JavaScript writes in exponent form (1e308 was a 500).
    .positive({ message: 'Must be positive', abort: true })
    .max(toMajor(INT32_MAX), { message: 'Too large', abort: true })
    .refine((value) => toMajor(toMinor(value)) === value, 'At most two decimals')
    .transform((value) => toMinor(value))
    .pipe(z.number().int().max(INT32_MAX, 'Too large'))
    .optional()
    .describe('Major units; default: everything not yet refunded'),
  restock: z.boolean().default(false).describe('Put the order’s items back in stock'),
  reason: text(500).optional(),
});

export const paymentIntentSchema = z
  .object({
    paymentId: z.uuid(),
    paymentIntentId: z.string(),
    clientSecret: z.string().describe('For Stripe.js confirmPayment on the storefront'),
    amount: money,
    currency: z.string(),
    status: z.enum(PAYMENT_STATUSES),
  })
  .meta({ id: 'PaymentIntent' });

export const refundSchema = z
  .object({
    id: z.uuid(),
    amount: money,
    status: z.enum(['PENDING', 'SUCCEEDED', 'FAILED']),
    restocked: z.boolean(),
    reason: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Refund' });

export const paymentSchema = z
  .object({
    id: z.uuid(),
    orderId: z.uuid(),
    provider: z.string(),
    paymentIntentId: z.string().nullable(),
    status: z.enum(PAYMENT_STATUSES),
    amount: money,
    amountRefunded: money,
    currency: z.string(),
    failureReason: z.string().nullable(),
    refunds: z.array(refundSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Payment' });

export const refundResultSchema = z.object({ refund: refundSchema, payment: paymentSchema });

export const webhookResultSchema = z.object({
  received: z.literal(true),
  duplicate: z.literal(true).optional(),
  ignored: z.literal(true).optional(),
});

export type RefundInput = z.output<typeof refundBody>;
export type PaymentIntentResponse = z.output<typeof paymentIntentSchema>;
export type PublicPayment = z.output<typeof paymentSchema>;
export type PublicRefund = z.output<typeof refundSchema>;
export type WebhookResult = z.output<typeof webhookResultSchema>;
