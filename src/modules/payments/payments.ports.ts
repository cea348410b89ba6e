import type { RequestContext } from '../../common/request-context';
import type { DbClient, Tx } from '../../lib/prisma';
import type { OrderRow } from '../orders/orders.serializer';

/**
 * The order transitions payments drives, each inside payments' own transaction (implemented by OrderService; see
 * INTERFACES.md). `applied: false` when the order is not in a state the move starts from: nothing moves backwards.
 */
export interface PaymentOrders {
  markPaid(
    context: RequestContext,
    tx: Tx,
    orderId: string,
    options?: { note?: string },
  ): Promise<{ applied: boolean }>;
  markRefunded(
    context: RequestContext,
    tx: Tx,
    orderId: string,
    options: { restock: boolean; note?: string },
  ): Promise<{ applied: boolean }>;
  restockLines(tx: Tx, orderId: string): Promise<void>;
}

/** Reads of orders (the orders repository owns the table). */
export interface PaymentOrderReader {
  findById(orderId: string, tx?: DbClient): Promise<OrderRow | null>;
}

/** The customer of an order, for the refund mail (the users repository owns the table). */
export interface PaymentCustomers {
  findById(id: number, tx?: DbClient): Promise<{ email: string; firstName: string } | null>;
}

/** Writes an outbox row in the caller's transaction (OutboxRepository.insert). */
export interface PaymentOutbox {
  insert(
    event: {
      type: string;
      aggregateType: string;
      aggregateId: string;
      payload: { orderId: string; reason: string | null };
    },
    tx?: DbClient,
  ): Promise<unknown>;
}
