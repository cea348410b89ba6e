import type { PaymentStatus, RefundStatus } from '../../generated/prisma/client';
import { SQL_UTC_NOW, type Db, type DbClient, type Prisma } from '../../lib/prisma';

export const PAYMENT_PROVIDER = 'stripe';

export const paymentInclude = {
  refunds: { orderBy: { createdAt: 'asc' } },
} as const satisfies Prisma.PaymentInclude;

export type PaymentRow = Prisma.PaymentGetPayload<{ include: typeof paymentInclude }>;
export type RefundRow = PaymentRow['refunds'][number];

/** Statuses of a payment that has not been settled yet: a success, a failure or a cancel may still come. */
export const OPEN_PAYMENT_STATUSES: PaymentStatus[] = ['REQUIRES_PAYMENT', 'PROCESSING', 'FAILED'];
/** Statuses of a payment whose money was taken. */
export const CAPTURED_PAYMENT_STATUSES: PaymentStatus[] = ['SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED'];

/** Every query on payments, refunds and processed webhook events. Conditional writes report whether they applied. */
export class PaymentRepository {
  constructor(private readonly db: Db) {}

  findById(id: string, tx: DbClient = this.db): Promise<PaymentRow | null> {
    return tx.payment.findUnique({ where: { id }, include: paymentInclude });
  }

  findByOrder(orderId: string, tx: DbClient = this.db): Promise<PaymentRow | null> {
    return tx.payment.findUnique({
      where: { orderId_provider: { orderId, provider: PAYMENT_PROVIDER } },
      include: paymentInclude,
    });
  }

  findByIntent(paymentIntentId: string, tx: DbClient = this.db): Promise<PaymentRow | null> {
    return tx.payment.findUnique({ where: { providerPaymentId: paymentIntentId }, include: paymentInclude });
  }

  /** The order's payment row, created if missing; parallel callers all get the one row (unique per order). */
  async claimForOrder(order: { orderId: string; amount: string; currency: string }): Promise<PaymentRow> {
    await this.db.payment.createMany({
      data: [
        {
          orderId: order.orderId,
          provider: PAYMENT_PROVIDER,
          amount: order.amount,
          currency: order.currency,
        },
      ],
      skipDuplicates: true,
    });
    return (await this.findByOrder(order.orderId))!;
  }

  /** Records the intent Stripe returned, unless another caller recorded this attempt's intent first. */
  async attachIntent(
    paymentId: string,
    attempt: number,
    intent: { id: string; clientSecret: string | null; status: PaymentStatus },
  ): Promise<void> {
    await this.db.payment.updateMany({
      where: { id: paymentId, intentAttempt: attempt, providerPaymentId: null },
      data: { providerPaymentId: intent.id, clientSecret: intent.clientSecret, status: intent.status },
    });
  }

  /** A canceled intent is replaced by a new attempt (one caller wins; the others see the new attempt). */
  async startNewAttempt(paymentId: string, attempt: number): Promise<boolean> {
    const { count } = await this.db.payment.updateMany({
      where: { id: paymentId, intentAttempt: attempt, status: 'CANCELED' },
      data: {
        intentAttempt: attempt + 1,
        providerPaymentId: null,
        clientSecret: null,
        status: 'REQUIRES_PAYMENT',
        failureReason: null,
      },
    });
    return count === 1;
  }

  /** Moves the payment to `to` only from one of `from`: the guard that applies each Stripe outcome once. */
  async transition(
    tx: DbClient,
    paymentId: string,
    from: PaymentStatus[],
    to: PaymentStatus,
    columns: Prisma.PaymentUpdateManyMutationInput = {},
  ): Promise<boolean> {
    const { count } = await tx.payment.updateMany({
      where: { id: paymentId, status: { in: from } },
      data: { ...columns, status: to },
    });
    return count === 1;
  }

  setFailureReason(tx: DbClient, paymentId: string, failureReason: string): Promise<unknown> {
    return tx.payment.update({ where: { id: paymentId }, data: { failureReason } });
  }

  /** Locks the payment row for the rest of the transaction (refund reservations are decided under it). */
  async lock(tx: DbClient, paymentId: string): Promise<void> {
    await tx.$queryRaw`SELECT id FROM payments WHERE id = ${paymentId}::uuid FOR UPDATE`;
  }

  /**
   * Raises amount_refunded to `amount` (never lowers it: Stripe's charge.refunded and our own refund records report
   * the same money) and sets the refund status that follows; returns the row after the change.
   */
  async raiseAmountRefunded(tx: DbClient, paymentId: string, amount: string): Promise<void> {
    await tx.$executeRaw`
      UPDATE payments
         SET amount_refunded = GREATEST(amount_refunded, ${amount}::numeric),
             status = (CASE WHEN GREATEST(amount_refunded, ${amount}::numeric) >= amount THEN 'REFUNDED'
                            WHEN GREATEST(amount_refunded, ${amount}::numeric) > 0 THEN 'PARTIALLY_REFUNDED'
                            ELSE status::text END)::"PaymentStatus",
             updated_at = ${SQL_UTC_NOW}
       WHERE id = ${paymentId}::uuid AND status IN ('SUCCEEDED', 'PARTIALLY_REFUNDED', 'REFUNDED')`;
  }

  createRefund(
    tx: DbClient,
    refund: {
      paymentId: string;
      amount: string;
      reason: string | null;
      restocked: boolean;
      createdById: number | null;
    },
  ): Promise<RefundRow> {
    return tx.refund.create({ data: { ...refund, status: 'PENDING' } });
  }

  /** PENDING → SUCCEEDED/FAILED once; false when a retry already settled it. */
  async settleRefund(
    tx: DbClient,
    refundId: string,
    status: Exclude<RefundStatus, 'PENDING'>,
    providerRefundId?: string,
  ): Promise<boolean> {
    const { count } = await tx.refund.updateMany({
      where: { id: refundId, status: 'PENDING' },
      data: { status, providerRefundId },
    });
    return count === 1;
  }

  /** Refunds reserved before a crash or a Stripe outage, older than `before`: the reconciliation finishes them. */
  findStalePendingRefunds(before: Date, limit: number): Promise<RefundRow[]> {
    return this.db.refund.findMany({
      where: { status: 'PENDING', createdAt: { lt: before } },
      orderBy: { createdAt: 'asc' },
      take: limit,
    });
  }

  /** Intents still open without word from Stripe since `before` (a lost webhook): the reconciliation asks Stripe. */
  findSilentIntents(before: Date, limit: number): Promise<PaymentRow[]> {
    return this.db.payment.findMany({
      where: {
        status: { in: OPEN_PAYMENT_STATUSES },
        providerPaymentId: { not: null },
        updatedAt: { lt: before },
      },
      orderBy: { updatedAt: 'asc' },
      take: limit,
      include: paymentInclude,
    });
  }

  findOpenForOrders(orderIds: string[]): Promise<PaymentRow[]> {
    return this.db.payment.findMany({
      where: {
        orderId: { in: orderIds },
        providerPaymentId: { not: null },
        status: { in: OPEN_PAYMENT_STATUSES },
      },
      include: paymentInclude,
    });
  }

  /** Marks a silent intent as looked at, so the next reconciliation run moves on to others. */
  async touch(paymentId: string): Promise<void> {
    await this.db.payment.update({ where: { id: paymentId }, data: { updatedAt: new Date() } });
  }

  /**
   * Records a webhook event id in the caller's transaction; false when it was recorded before (a replay). A
   * concurrent duplicate waits on the unique key until the first commits, then sees it.
   */
  async recordWebhookEvent(tx: DbClient, event: { id: string; type: string }): Promise<boolean> {
    const { count } = await tx.processedWebhookEvent.createMany({
      data: [{ id: event.id, type: event.type }],
      skipDuplicates: true,
    });
    return count === 1;
  }
}
