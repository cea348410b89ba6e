import type { DbClient } from '../../lib/prisma';

/** One line of an order as the e-mail shows it. Amounts are integer minor units (cents). */
export interface EmailOrderLine {
  title: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
}

/**
 * Every e-mail the system sends, with the data its template needs (rendered by email-templates.ts). The payload is
 * stored as JSON in the outbox: plain data only, amounts in integer minor units. Add a variant here and a case in
 * renderEmail to introduce a new e-mail.
 */
export type EmailMessage =
  | { template: 'verify-email'; to: string; data: { firstName: string; token: string } }
  | { template: 'password-reset'; to: string; data: { firstName: string; token: string } }
  | { template: 'password-changed'; to: string; data: { firstName: string } }
  | { template: 'account-deleted'; to: string; data: { firstName: string } }
  | {
      template: 'order-confirmation';
      to: string;
      data: {
        firstName: string;
        orderId: string;
        orderNumber: string;
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
      template: 'order-status-changed';
      to: string;
      data: {
        firstName: string;
        orderId: string;
        orderNumber: string;
        /** The new status (OrderStatus: PAID, PROCESSING, SHIPPED, DELIVERED, CANCELLED, REFUNDED …). */
        status: string;
        previousStatus?: string;
        carrier?: string | null;
        trackingNumber?: string | null;
        /** Shown as is, e.g. the cancel reason. */
        note?: string | null;
      };
    };

export type EmailTemplateName = EmailMessage['template'];

/**
 * Queues e-mail through the transactional outbox: the row commits with the change that caused it (pass the
 * transaction client), and the relay delivers it afterwards with retries — a crash never loses a message.
 */
export interface EmailOutbox {
  queueEmail(message: EmailMessage, tx?: DbClient): Promise<void>;
}
