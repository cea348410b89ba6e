import { z } from 'zod';
import { INT32_MAX } from '../../common/int32';
import { paginationQuery } from '../../common/pagination';
import { text } from '../../common/text';
import { ORDER_STATUSES } from './order-status';
import { STATS_GRANULARITIES } from './stats-window';

export const MAX_ORDER_LINES = 50;
export const MAX_LINE_QUANTITY = 99;

/**
 * Years a date in a request may fall in: PostgreSQL has no year 0 (an ISO '0000-…' date failed its statement, a
 * 500), and both its timestamps and ISO strings hold these.
 */
const STORABLE_YEARS = { min: 1970, max: 9999 };
const inStorableYears = (at: Date) =>
  at.getUTCFullYear() >= STORABLE_YEARS.min && at.getUTCFullYear() <= STORABLE_YEARS.max;
const storableYearsMessage = `Must be between ${STORABLE_YEARS.min} and ${STORABLE_YEARS.max}`;

const bodyId = z.number().int().positive().max(INT32_MAX);

export const shippingAddressInput = z
  .object({
    firstName: text(100),
    lastName: text(100),
    address: text(300),
    city: text(100),
    state: text(100),
    zipCode: text(20),
    country: text(100),
    phone: text(30),
  })
  .meta({ id: 'ShippingAddressInput' });

export const createOrderBody = z
  .object({
    shippingAddressId: bodyId.optional().describe('One of your saved addresses'),
    shippingAddress: shippingAddressInput.optional(),
    items: z
      .array(z.object({ productId: bodyId, quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY) }))
      .min(1)
      .max(MAX_ORDER_LINES)
      .optional()
      .describe('Default: the lines of your cart'),
    couponCode: text(64).optional(),
    customerNote: text(1000).optional(),
  })
  .superRefine((body, ctx) => {
    const given = Number(body.shippingAddressId !== undefined) + Number(body.shippingAddress !== undefined);
    if (given !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['shippingAddress'],
        message: 'Give exactly one of shippingAddressId or shippingAddress',
      });
    }
  })
  .meta({ id: 'CreateOrderRequest' });

export type CreateOrderInput = z.output<typeof createOrderBody>;

/** Documents the optional header of POST /orders (the IdempotencyService checks it: 400 when blank or too long). */
export const createOrderHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255)
    .optional()
    .meta({
      description:
        'Any 1–255 characters, chosen by the client per checkout attempt: a retry with the same body within 24 h ' +
        'replays the first response (`Idempotent-Replayed: true`) and creates nothing.',
    }),
});

export type ShippingAddressInput = z.output<typeof shippingAddressInput>;

export const orderStatusSchema = z.enum(ORDER_STATUSES);

export const cancelOrderBody = z.object({ reason: text(500).optional() }).meta({ id: 'CancelOrderRequest' });

export const changeStatusBody = z
  .object({
    status: orderStatusSchema,
    trackingNumber: text(100).optional(),
    carrier: text(100).optional(),
    estimatedDelivery: z.iso
      .datetime({ offset: true })
      .transform((value) => new Date(value))
      .refine(inStorableYears, storableYearsMessage)
      .optional(),
    note: text(500).optional(),
  })
  .meta({ id: 'ChangeOrderStatusRequest' });
export type ChangeStatusInput = z.output<typeof changeStatusBody>;

export const trackingSchema = z
  .object({
    orderId: z.string(),
    orderNumber: z.string(),
    status: z.string(),
    carrier: z.string().nullable(),
    trackingNumber: z.string().nullable(),
    estimatedDelivery: z.string().nullable(),
    events: z.array(z.object({ status: z.string(), at: z.string(), note: z.string().nullable() })),
  })
  .meta({ id: 'OrderTracking' });

export const orderIdParams = z.object({ id: z.uuid('Must be an order id') });

export const listOrdersQuery = paginationQuery
  .extend({
    status: orderStatusSchema.optional(),
    cursor: z.string().min(1).max(200).optional().describe('nextCursor of the previous page'),
  })
  .meta({ id: 'ListOrdersQuery' });
export type ListOrdersQuery = z.output<typeof listOrdersQuery>;

const money = z.number().describe('Major units, 2 decimals');

export const orderSchema = z
  .object({
    id: z.string(),
    orderNumber: z.string(),
    userId: z.number().int(),
    status: orderStatusSchema,
    items: z.array(
      z.object({
        productId: z.number().int(),
        title: z.string(),
        sku: z.string(),
        thumbnail: z.string().nullable(),
        quantity: z.number().int(),
        unitPrice: money,
        discountPercentage: z.number(),
        lineTotal: money,
      }),
    ),
    subtotal: money,
    discount: money,
    tax: money,
    shipping: money,
    total: money,
    currency: z.string(),
    shippingAddress: shippingAddressInput.nullable(),
    couponCode: z.string().nullable(),
    customerNote: z.string().nullable(),
    carrier: z.string().nullable(),
    trackingNumber: z.string().nullable(),
    estimatedDelivery: z.string().nullable(),
    cancelReason: z.string().nullable(),
    payment: z
      .object({
        id: z.string(),
        status: z.string(),
        amount: money,
        amountRefunded: money,
        currency: z.string(),
      })
      .nullable(),
    paidAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Order' });
export type PublicOrder = z.output<typeof orderSchema>;

export const orderListSchema = z
  .object({
    orders: z.array(orderSchema),
    total: z.number().int(),
    skip: z.number().int(),
    limit: z.number().int(),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'OrderList' });

const isoDate = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .transform((value) => new Date(value))
  .refine(inStorableYears, storableYearsMessage);

export const adminListOrdersQuery = listOrdersQuery
  .extend({
    userId: z.coerce.number().int().positive().max(INT32_MAX).optional(),
    from: isoDate.optional().describe('Placed at or after (ISO-8601)'),
    to: isoDate.optional().describe('Placed at or before (ISO-8601)'),
  })
  .meta({ id: 'AdminListOrdersQuery' });
export type AdminListOrdersQuery = z.output<typeof adminListOrdersQuery>;

// ─── Admin statistics ──────────────────────────────────────────────────────

const statsBound = z
  .union([
    z.iso.date().transform((value) => ({ at: new Date(`${value}T00:00:00.000Z`), dateOnly: true })),
    z.iso.datetime({ offset: true }).transform((value) => ({ at: new Date(value), dateOnly: false })),
  ])
  .refine(({ at }) => inStorableYears(at), storableYearsMessage);

export const orderStatsQuery = z
  .object({
    from: statsBound
      .optional()
      .describe(
        'Placed at or after: an ISO-8601 instant, or a date (from the start of that UTC day). Default: the start ' +
          'of the 30 days (granularity=day) or 12 months (month) ending at `to`, the current one included.',
      ),
    to: statsBound
      .optional()
      .describe('Placed at or before: an instant, or a date (to the end of that UTC day). Default: now.'),
    granularity: z
      .enum(STATS_GRANULARITIES)
      .default('day')
      .describe('Periods of the revenue series, in UTC: at most 366 days or 120 months'),
  })
  .meta({ id: 'OrderStatsQuery' });
export type OrderStatsQuery = z.output<typeof orderStatsQuery>;

export const orderStatsSchema = z
  .object({
    from: z.string().describe('The range used, inclusive at both ends'),
    to: z.string(),
    granularity: z.enum(STATS_GRANULARITIES),
    currency: z.string(),
    totalOrders: z.number().int().describe('Orders placed in the range, any status'),
    ordersByStatus: z.record(orderStatusSchema, z.number().int()).describe('Every status, 0 when none'),
    revenue: money.describe(
      'What PAID, PROCESSING, SHIPPED and DELIVERED orders brought in, less partial refunds. CANCELLED and ' +
        'REFUNDED orders are not revenue (their money goes back), PENDING ones are not paid.',
    ),
    averageOrderValue: money.describe('revenue / the number of those orders (0 without any)'),
    revenueSeries: z
      .array(
        z.object({
          period: z
            .string()
            .describe('YYYY-MM-DD or YYYY-MM (UTC); every period of the range, empty ones too'),
          orders: z.number().int().describe('Revenue orders placed in the period'),
          revenue: money,
        }),
      )
      .describe('Revenue by the period the order was placed in'),
    topProducts: z
      .array(
        z.object({
          productId: z.number().int(),
          title: z.string().describe('As on its latest order line'),
          unitsSold: z.number().int(),
          revenue: money.describe('Sum of its line totals (before coupon discount, tax and shipping)'),
        }),
      )
      .describe('The 10 products of revenue orders with the most units sold, then the most revenue'),
    lowStockThreshold: z.number().int(),
    lowStock: z
      .array(
        z.object({
          productId: z.number().int(),
          title: z.string(),
          sku: z.string(),
          stock: z.number().int(),
        }),
      )
      .describe(
        'Active products with stock below lowStockThreshold (now, not in the range), emptiest first; at most 50',
      ),
  })
  .meta({ id: 'OrderStats' });
export type OrderStats = z.output<typeof orderStatsSchema>;
