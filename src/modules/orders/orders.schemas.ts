import { z } from 'zod';
import { INT32_MAX } from '../../common/int32';
import { paginationQuery } from '../../common/pagination';
import { text } from '../../common/text';
import { ORDER_STATUSES } from './order-status';

export const MAX_ORDER_LINES = 50;
export const MAX_LINE_QUANTITY = 99;

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
  .transform((value) => new Date(value));

export const adminListOrdersQuery = listOrdersQuery
  .extend({
    userId: z.coerce.number().int().positive().max(INT32_MAX).optional(),
    from: isoDate.optional().describe('Placed at or after (ISO-8601)'),
    to: isoDate.optional().describe('Placed at or before (ISO-8601)'),
  })
  .meta({ id: 'AdminListOrdersQuery' });
export type AdminListOrdersQuery = z.output<typeof adminListOrdersQuery>;
