import type { Prisma } from '../../generated/prisma/client';
import { toMajor, toMinor } from '../../common/money';
import type { PublicOrder } from './orders.schemas';

/** What every order read loads: the snapshots and the latest payment. */
export const orderInclude = {
  items: { orderBy: { id: 'asc' } },
  shippingAddress: true,
  payments: { orderBy: { createdAt: 'desc' }, take: 1 },
} satisfies Prisma.OrderInclude;

export type OrderRow = Prisma.OrderGetPayload<{ include: typeof orderInclude }>;

const major = (value: Prisma.Decimal) => toMajor(toMinor(value));
const iso = (value: Date | null) => (value ? value.toISOString() : null);

export function toPublicOrder(order: OrderRow): PublicOrder {
  const payment = order.payments[0];
  const address = order.shippingAddress;
  return {
    id: order.id,
    orderNumber: order.orderNumber,
    userId: order.userId,
    status: order.status,
    items: order.items.map((item) => ({
      productId: item.productId,
      title: item.title,
      sku: item.sku,
      thumbnail: item.thumbnail,
      quantity: item.quantity,
      unitPrice: major(item.unitPrice),
      discountPercentage: Number(item.discountPercentage),
      lineTotal: major(item.lineTotal),
    })),
    subtotal: major(order.subtotal),
    discount: major(order.discount),
    tax: major(order.tax),
    shipping: major(order.shipping),
    total: major(order.total),
    currency: order.currency,
    shippingAddress: address
      ? {
          firstName: address.firstName,
          lastName: address.lastName,
          address: address.address,
          city: address.city,
          state: address.state,
          zipCode: address.zipCode,
          country: address.country,
          phone: address.phone,
        }
      : null,
    couponCode: order.couponCode,
    customerNote: order.customerNote,
    carrier: order.carrier,
    trackingNumber: order.trackingNumber,
    estimatedDelivery: iso(order.estimatedDelivery),
    cancelReason: order.cancelReason,
    payment: payment
      ? {
          id: payment.id,
          status: payment.status,
          amount: major(payment.amount),
          amountRefunded: major(payment.amountRefunded),
          currency: payment.currency,
        }
      : null,
    paidAt: iso(order.paidAt),
    cancelledAt: iso(order.cancelledAt),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
