import { toMinor } from '../../common/money';
import type { EmailMessage } from '../notifications/notifications.types';
import type { OrderStatus } from './order-status';

/** The order as its customer mails need it (a row locked for a status change). */
export interface MailedOrder {
  id: string;
  orderNumber: string;
  status: OrderStatus;
  email: string;
  firstName: string;
  currency: string;
  /** Decimal text, e.g. "58.03". */
  total: string;
}

export interface StatusChangeDetails {
  note: string | null;
  carrier?: string | null;
  trackingNumber?: string | null;
  estimatedDelivery?: Date | null;
}

/**
 * The one mail a status change sends the customer, the rule in one place:
 * - PAID → `payment-received` (PAID is entered once per order: one such mail per order, whoever marks it paid);
 * - CANCELLED → `order-cancelled` with the reason, and the refund announced when the order had been paid;
 * - REFUNDED → `order-refunded` in full (an admin's manual refund; card refunds mail each refunded amount from
 *   payments instead, so their status change passes `notify: false`);
 * - PROCESSING, SHIPPED (carrier, tracking), DELIVERED → `order-status-changed`.
 * Placement is not a status change: its `order-confirmation` is written by placeOrder.
 */
export function statusChangeEmail(
  order: MailedOrder,
  to: OrderStatus,
  details: StatusChangeDetails,
): EmailMessage | null {
  const ref = { firstName: order.firstName, orderId: order.id, orderNumber: order.orderNumber };
  const total = toMinor(order.total);
  switch (to) {
    case 'PENDING':
      return null;
    case 'PAID':
      return {
        template: 'payment-received',
        to: order.email,
        data: { ...ref, currency: order.currency, amount: total },
      };
    case 'CANCELLED':
      return {
        template: 'order-cancelled',
        to: order.email,
        data: {
          ...ref,
          reason: details.note,
          refundDue: order.status === 'PAID' || order.status === 'PROCESSING',
          currency: order.currency,
          total,
        },
      };
    case 'REFUNDED':
      return {
        template: 'order-refunded',
        to: order.email,
        data: {
          ...ref,
          currency: order.currency,
          amount: total,
          totalRefunded: total,
          full: true,
          reason: details.note,
        },
      };
    case 'PROCESSING':
    case 'SHIPPED':
    case 'DELIVERED':
      return {
        template: 'order-status-changed',
        to: order.email,
        data: {
          ...ref,
          status: to,
          previousStatus: order.status,
          carrier: details.carrier ?? null,
          trackingNumber: details.trackingNumber ?? null,
          estimatedDelivery: details.estimatedDelivery?.toISOString() ?? null,
          note: details.note,
        },
      };
  }
}
