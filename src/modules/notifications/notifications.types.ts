import type { DbClient } from '../../lib/prisma';

/** One line of an order as the e-mail shows it. Amounts are integer minor units (cents). */
export interface EmailOrderLine {
  title: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
}

/** What every e-mail about one order names: whom it greets and which order it is about. */
export interface EmailOrderRef {
  firstName: string;
  orderId: string;
  orderNumber: string;
}

/**
 * Every e-mail the system sends, with the data its template needs (rendered by email-templates.ts). The payload is
 * stored as JSON in the outbox: plain data only, amounts in integer minor units of `currency`. Add a variant here
 * and a template in email-templates.ts to introduce a new e-mail.
 */
export type EmailMessage =
  | { template: 'verify-email'; to: string; data: { firstName: string; token: string } }
  | { template: 'password-reset'; to: string; data: { firstName: string; token: string } }
  | { template: 'password-changed'; to: string; data: { firstName: string } }
  | { template: 'account-deleted'; to: string; data: { firstName: string } }
  | {
      /** The order was received (at placement, once per order); payment is confirmed by `payment-received`. */
      template: 'order-confirmation';
      to: string;
      data: EmailOrderRef & {
        currency: string;
        items: EmailOrderLine[];
        subtotal: number;
        discount: number;
        tax: number;
        shipping: number;
        total: number;
      };
    }
  | {
      /** The order became PAID (by card or marked paid by an admin): once per order. */
      template: 'payment-received';
      to: string;
      data: EmailOrderRef & { currency: string; amount: number };
    }
  | {
      /** Any other status change: PROCESSING, SHIPPED (with carrier and tracking), DELIVERED. */
      template: 'order-status-changed';
      to: string;
      data: EmailOrderRef & {
        /** The new status (OrderStatus). */
        status: string;
        previousStatus?: string;
        carrier?: string | null;
        trackingNumber?: string | null;
        /** ISO-8601. */
        estimatedDelivery?: string | null;
        /** Shown as is, e.g. the admin's note. */
        note?: string | null;
      };
    }
  | {
      template: 'order-cancelled';
      to: string;
      data: EmailOrderRef & {
        reason: string | null;
        /** The order had been paid: its money goes back to the customer. */
        refundDue: boolean;
        currency: string;
        total: number;
      };
    }
  | {
      /** Money went back to the customer: `amount` this time, `totalRefunded` so far, `full` when all of it. */
      template: 'order-refunded';
      to: string;
      data: EmailOrderRef & {
        currency: string;
        amount: number;
        totalRefunded: number;
        full: boolean;
        reason?: string | null;
      };
    }
  | {
      /** To each active admin: a product's stock fell below LOW_STOCK_THRESHOLD. */
      template: 'low-stock';
      to: string;
      data: {
        firstName: string;
        productId: number;
        title: string;
        sku: string;
        stock: number;
        threshold: number;
      };
    };

export type EmailTemplateName = EmailMessage['template'];

/**
 * Queues e-mail through the transactional outbox: the row commits with the change that caused it (pass the
 * transaction client), and the relay delivers it afterwards with retries — a crash never loses a message.
 */
export interface EmailOutbox {
  queueEmail(message: EmailMessage, tx?: DbClient): Promise<void>;
  /** Several messages as one INSERT (a low-stock alert to every admin while the stock row is still locked). */
  queueEmails(messages: EmailMessage[], tx?: DbClient): Promise<void>;
}
