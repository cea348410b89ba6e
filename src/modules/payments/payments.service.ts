import { z } from 'zod';
import { NotFoundError, PaymentProviderError, UnprocessableError } from '../../common/errors';
import { toDecimalString, toMajor, toMinor, type Minor } from '../../common/money';
import type { ActorContext, RequestContext } from '../../common/request-context';
import type { PaymentStatus } from '../../generated/prisma/client';
import type { Logger } from '../../lib/logger';
import type { TransactionRunner, Tx } from '../../lib/prisma';
import type { PaymentIntent, StripeEvent, StripeGateway } from '../../lib/stripe';
import type { AuditService } from '../audit/audit.service';
import type { PendingPaymentCheck } from '../orders/orders.ports';
import type { OrderRow } from '../orders/orders.serializer';
import type { EmailOutbox } from '../notifications/notifications.types';
import { REFUND_REQUESTED_EVENT } from '../notifications/outbox-events';
import type { PaymentCustomers, PaymentOrderReader, PaymentOrders, PaymentOutbox } from './payments.ports';
import {
  CAPTURED_PAYMENT_STATUSES,
  OPEN_PAYMENT_STATUSES,
  type PaymentRepository,
  type PaymentRow,
  type RefundRow,
} from './payments.repository';
import type {
  PaymentIntentResponse,
  PublicPayment,
  PublicRefund,
  RefundInput,
  WebhookResult,
} from './payments.schemas';
import { toIntentResponse, toPublicPayment, toPublicRefund } from './payments.serializer';

export const refundRequestedPayload = z.object({ orderId: z.uuid(), reason: z.string().nullable() });
export type RefundRequestedPayload = z.output<typeof refundRequestedPayload>;

export interface PaymentServiceDeps {
  transaction: TransactionRunner;
  payments: PaymentRepository;
  orders: PaymentOrders;
  orderReader: PaymentOrderReader;
  gateway: StripeGateway;
  audit: AuditService;
  outbox: PaymentOutbox;
  notifications: EmailOutbox;
  customers: PaymentCustomers;
  logger: Logger;
}

export interface PaymentServiceOptions {
  /** An open intent without word from Stripe for this long is asked for its status (PAYMENT_RECONCILE_MINUTES). */
  reconcileAfterMinutes: number;
}

/** The Stripe events the shop acts on; any other type is acknowledged and ignored. */
const HANDLED_EVENTS = new Set([
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'payment_intent.processing',
  'charge.refunded',
]);

/** A PENDING refund older than this is taken to be orphaned by a crash and finished by the reconciliation. */
const STALE_REFUND_MS = 5 * 60_000;

type SuccessOutcome = 'paid' | 'already-applied' | 'mismatch' | 'refund-requested' | 'order-not-payable';
export type IntentOutcome = SuccessOutcome | 'failed' | 'canceled' | 'processing' | 'open';

export interface ReconcileResult {
  checked: number;
  paid: number;
  canceled: number;
  refundsCompleted: number;
}

function paymentStatusOf(intent: PaymentIntent): PaymentStatus {
  switch (intent.status) {
    case 'succeeded':
      return 'SUCCEEDED';
    case 'canceled':
      return 'CANCELED';
    case 'processing':
    case 'requires_capture':
      return 'PROCESSING';
    default:
      return 'REQUIRES_PAYMENT';
  }
}

const paymentNotFound = () => new NotFoundError('Payment');
const orderNotFound = () => new NotFoundError('Order');
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Stripe payments: one intent per order, webhooks applied exactly once, refunds never above what was paid, and no
 * paid order ever cancelled. Stripe is only ever called outside a database transaction: each flow claims or
 * reserves its row in a short transaction first, calls Stripe with an idempotency key derived from that row, then
 * records the answer in a second transaction guarded by a conditional update.
 */
export class PaymentService implements PendingPaymentCheck {
  constructor(
    private readonly deps: PaymentServiceDeps,
    private readonly options: PaymentServiceOptions,
  ) {}

  /**
   * The order's payment intent, created on the first call. Parallel and repeated calls all get the one intent: the
   * payment row is unique per order, and Stripe's idempotency key is derived from the order id (and the attempt,
   * which changes only after Stripe canceled the previous intent).
   */
  async createIntent(context: ActorContext, orderId: string): Promise<PaymentIntentResponse> {
    this.deps.gateway.assertConfigured();
    const order = await this.ownOrder(context, orderId);
    let payment = await this.deps.payments.findByOrder(orderId);
    if (!payment) {
      this.assertPayable(order);
      payment = await this.deps.payments.claimForOrder({
        orderId,
        amount: order.total.toFixed(2),
        currency: order.currency,
      });
    }
    if (payment.status === 'CANCELED' && order.status === 'PENDING') {
      await this.deps.payments.startNewAttempt(payment.id, payment.intentAttempt);
      payment = (await this.deps.payments.findById(payment.id))!;
    }
    if (!payment.providerPaymentId) {
      this.assertPayable(order);
      const intent = await this.deps.gateway.createPaymentIntent({
        orderId,
        amount: toMinor(payment.amount),
        currency: payment.currency,
        attempt: payment.intentAttempt,
        description: `Order ${order.orderNumber}`,
        metadata: { orderNumber: order.orderNumber, paymentId: payment.id },
      });
      await this.deps.payments.attachIntent(payment.id, payment.intentAttempt, {
        id: intent.id,
        clientSecret: intent.client_secret,
        status: paymentStatusOf(intent),
      });
      payment = (await this.deps.payments.findById(payment.id))!;
    }
    return toIntentResponse(payment);
  }

  /** The payment of the caller's own order (an admin: any order); 404 when there is none. */
  async getForOrder(context: ActorContext, orderId: string): Promise<PublicPayment> {
    await this.ownOrder(context, orderId);
    const payment = await this.deps.payments.findByOrder(orderId);
    if (!payment) throw paymentNotFound();
    return toPublicPayment(payment);
  }

  /**
   * An admin refund, full (no amount) or partial. The amount is reserved as a PENDING refund row under the payment's
   * row lock, so concurrent refunds can never add up to more than was paid; Stripe is then called with the refund
   * row's id as idempotency key, and the outcome recorded with the order's move to REFUNDED when nothing is left.
   */
  async refund(
    context: ActorContext,
    paymentId: string,
    input: RefundInput,
  ): Promise<{ refund: PublicRefund; payment: PublicPayment }> {
    this.deps.gateway.assertConfigured();
    const reserved = await this.deps.transaction(async (tx) => {
      await this.deps.payments.lock(tx, paymentId);
      const payment = await this.deps.payments.findById(paymentId, tx);
      if (!payment) throw paymentNotFound();
      const order = await this.deps.orderReader.findById(payment.orderId, tx);
      if (!order) throw orderNotFound();
      return this.reserveRefund(tx, context, payment, order, {
        amount: input.amount,
        restock: input.restock,
        reason: input.reason ?? null,
      });
    });
    const refund = await this.executeRefund(context, reserved);
    const payment = (await this.deps.payments.findById(paymentId))!;
    return { refund: toPublicRefund(refund), payment: toPublicPayment(payment) };
  }

  /**
   * `POST /payments/webhook`: the event is verified (400 INVALID_SIGNATURE), then its id is recorded in the same
   * transaction as its effect: a replay, or a duplicate delivered concurrently, finds the id and changes nothing;
   * a failure inside rolls both back (5xx) so Stripe's retry applies it once.
   */
  async handleWebhook(
    context: RequestContext,
    rawBody: Buffer | string,
    signature: string | string[] | undefined,
  ): Promise<WebhookResult> {
    const event = this.deps.gateway.constructWebhookEvent(rawBody, signature);
    if (!HANDLED_EVENTS.has(event.type)) {
      this.deps.logger.info('stripe webhook ignored', { eventId: event.id, type: event.type });
      return { received: true, ignored: true };
    }
    return this.deps.transaction(async (tx) => {
      const first = await this.deps.payments.recordWebhookEvent(tx, { id: event.id, type: event.type });
      if (!first) return { received: true, duplicate: true };
      await this.applyEvent(context, tx, event);
      return { received: true };
    });
  }

  /**
   * The orders' expiry asks before cancelling: for each order with an open intent, Stripe decides. The intent is
   * canceled at Stripe first (after that it can never succeed); if Stripe refuses because it already succeeded or is
   * processing, that outcome is applied exactly as the webhook would. Returns the orders that must not be cancelled:
   * paid ones, ones Stripe is still processing, and ones Stripe could not be asked about this time.
   */
  async settleBeforeExpiry(orderIds: string[]): Promise<Set<string>> {
    const keep = new Set<string>();
    if (orderIds.length === 0 || !this.deps.gateway.configured) return keep;
    const context: RequestContext = { requestId: 'job:order-expiry' };
    for (const payment of await this.deps.payments.findOpenForOrders(orderIds)) {
      try {
        const outcome = await this.settleIntent(context, payment, { cancelIfOpen: true });
        if (outcome !== 'canceled') keep.add(payment.orderId);
      } catch (error) {
        this.deps.logger.warn('payment status unknown before expiry: order kept', {
          orderId: payment.orderId,
          paymentIntentId: payment.providerPaymentId,
          error: errorText(error),
        });
        keep.add(payment.orderId);
      }
    }
    return keep;
  }

  /**
   * The reconciliation job: intents with no word from Stripe for PAYMENT_RECONCILE_MINUTES are asked for their
   * status and the outcome applied as the webhook would (a lost webhook); an open intent of an order that is no
   * longer payable is canceled at Stripe. Refund reservations orphaned by a crash are finished (same idempotency key:
   * Stripe refunds once).
   */
  async reconcile(
    context: RequestContext,
    { now = new Date(), batchSize = 100 }: { now?: Date; batchSize?: number } = {},
  ): Promise<ReconcileResult> {
    const result: ReconcileResult = { checked: 0, paid: 0, canceled: 0, refundsCompleted: 0 };
    if (!this.deps.gateway.configured) return result;
    const before = new Date(now.getTime() - this.options.reconcileAfterMinutes * 60_000);
    for (const payment of await this.deps.payments.findSilentIntents(before, batchSize)) {
      result.checked += 1;
      try {
        const order = await this.deps.orderReader.findById(payment.orderId);
        const outcome = await this.settleIntent(context, payment, {
          cancelIfOpen: order !== null && order.status !== 'PENDING',
        });
        if (outcome === 'paid') result.paid += 1;
        if (outcome === 'canceled') result.canceled += 1;
        if (outcome === 'open' || outcome === 'processing') await this.deps.payments.touch(payment.id);
      } catch (error) {
        this.deps.logger.warn('payment reconciliation failed for one intent', {
          paymentId: payment.id,
          error: errorText(error),
        });
      }
    }
    const stale = await this.deps.payments.findStalePendingRefunds(
      new Date(now.getTime() - STALE_REFUND_MS),
      batchSize,
    );
    for (const refund of stale) {
      try {
        await this.executeRefund(context, refund);
        result.refundsCompleted += 1;
      } catch (error) {
        this.deps.logger.warn('orphaned refund could not be finished', {
          refundId: refund.id,
          error: errorText(error),
        });
      }
    }
    return result;
  }

  /**
   * Handler of the outbox type `payment.refund-requested` `{ orderId, reason }`: refunds whatever of the order's
   * payment is not refunded yet (no restock: the cancel that asked for it restocked). Idempotent: a repeat finds
   * nothing left to refund, or resumes the reservation a crashed run left. Nothing paid by card → nothing to do.
   */
  async handleRefundRequested(context: RequestContext, payload: unknown): Promise<{ refunded: boolean }> {
    const { orderId, reason } = refundRequestedPayload.parse(payload);
    const pending = (await this.deps.payments.findByOrder(orderId))?.refunds.find(
      (r) => r.status === 'PENDING',
    );
    if (pending) {
      await this.executeRefund(context, pending);
      return { refunded: true };
    }
    const reserved = await this.deps.transaction(async (tx) => {
      const payment = await this.deps.payments.findByOrder(orderId, tx);
      if (!payment || !CAPTURED_PAYMENT_STATUSES.includes(payment.status)) return null;
      await this.deps.payments.lock(tx, payment.id);
      const locked = (await this.deps.payments.findById(payment.id, tx))!;
      if (this.remainingCents(locked) <= 0) return null;
      const order = await this.deps.orderReader.findById(orderId, tx);
      if (!order) throw orderNotFound();
      return this.reserveRefund(tx, context, locked, order, { restock: false, reason });
    });
    if (!reserved) {
      this.deps.logger.info('refund requested: nothing paid by card is left to refund', { orderId });
      return { refunded: false };
    }
    await this.executeRefund(context, reserved);
    return { refunded: true };
  }

  // ── Applying Stripe's outcomes (webhook, expiry check, reconciliation: one code path) ──

  private async applyEvent(context: RequestContext, tx: Tx, event: StripeEvent): Promise<void> {
    if (event.type === 'charge.refunded') {
      const charge = event.data.object;
      const intentId =
        typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
      const payment = intentId ? await this.deps.payments.findByIntent(intentId, tx) : null;
      if (!payment) return this.unknownIntent(event, intentId);
      await this.applyRefundedAmount(context, tx, payment, charge.amount_refunded);
      return;
    }
    const intent = event.data.object as PaymentIntent;
    const payment = await this.deps.payments.findByIntent(intent.id, tx);
    if (!payment) return this.unknownIntent(event, intent.id);
    await this.applyIntent(context, tx, payment, intent, event.type);
  }

  private unknownIntent(event: StripeEvent, intentId: string | null | undefined): void {
    this.deps.logger.warn('stripe webhook for an unknown payment intent', {
      eventId: event.id,
      type: event.type,
      paymentIntentId: intentId,
    });
  }

  /** Applies what Stripe says about an intent; each move is a conditional update, so a repeat changes nothing. */
  private async applyIntent(
    context: RequestContext,
    tx: Tx,
    payment: PaymentRow,
    intent: PaymentIntent,
    eventType?: string,
  ): Promise<IntentOutcome> {
    if (intent.status === 'succeeded') return this.applySucceeded(context, tx, payment, intent);
    if (intent.status === 'canceled') {
      await this.deps.payments.transition(tx, payment.id, OPEN_PAYMENT_STATUSES, 'CANCELED');
      return 'canceled';
    }
    if (intent.status === 'processing') {
      await this.deps.payments.transition(tx, payment.id, ['REQUIRES_PAYMENT', 'FAILED'], 'PROCESSING');
      return 'processing';
    }
    if (eventType === 'payment_intent.payment_failed') {
      const error = intent.last_payment_error;
      const reason = (
        error ? [error.code, error.message].filter(Boolean).join(': ') : 'Payment failed'
      ).slice(0, 500);
      // The order stays PENDING and payable: the customer may try again with the same intent.
      await this.deps.payments.transition(
        tx,
        payment.id,
        ['REQUIRES_PAYMENT', 'PROCESSING', 'FAILED'],
        'FAILED',
        {
          failureReason: reason,
        },
      );
      return 'failed';
    }
    return 'open';
  }

  private async applySucceeded(
    context: RequestContext,
    tx: Tx,
    payment: PaymentRow,
    intent: PaymentIntent,
  ): Promise<SuccessOutcome> {
    const order = await this.deps.orderReader.findById(payment.orderId, tx);
    if (!order) throw orderNotFound();
    const expected = toMinor(order.total);
    const received = intent.amount_received || intent.amount;
    const currency = intent.currency.toUpperCase();
    if (received !== expected || currency !== order.currency.toUpperCase()) {
      const reason = `Amount mismatch: Stripe took ${received} ${currency}, the order is ${expected} ${order.currency}`;
      this.deps.logger.error('stripe payment does not match its order: not marked paid', {
        orderId: order.id,
        paymentId: payment.id,
        paymentIntentId: intent.id,
        received,
        receivedCurrency: currency,
        expected,
        expectedCurrency: order.currency,
      });
      if (payment.failureReason !== reason) {
        await this.deps.payments.setFailureReason(tx, payment.id, reason);
        await this.deps.audit.record(
          context,
          {
            action: 'payment.amount_mismatch',
            entityType: 'payment',
            entityId: payment.id,
            metadata: { orderId: order.id, paymentIntentId: intent.id, received, currency, expected },
          },
          tx,
        );
      }
      return 'mismatch';
    }
    const applied = await this.deps.payments.transition(
      tx,
      payment.id,
      [...OPEN_PAYMENT_STATUSES, 'CANCELED'],
      'SUCCEEDED',
      { failureReason: null },
    );
    if (!applied) return 'already-applied';
    const { applied: paid } = await this.deps.orders.markPaid(context, tx, order.id, {
      note: `Paid by card (${intent.id})`,
    });
    if (paid) return 'paid';
    if (order.status === 'CANCELLED') {
      // The money arrived for an order that no longer exists: it goes back, automatically and on the record.
      await this.deps.outbox.insert(
        {
          type: REFUND_REQUESTED_EVENT,
          aggregateType: 'order',
          aggregateId: order.id,
          payload: { orderId: order.id, reason: 'Payment succeeded after the order was cancelled' },
        },
        tx,
      );
      await this.deps.audit.record(
        context,
        {
          action: 'payment.succeeded_after_cancel',
          entityType: 'payment',
          entityId: payment.id,
          metadata: { orderId: order.id, paymentIntentId: intent.id, amount: received, refund: 'requested' },
        },
        tx,
      );
      this.deps.logger.warn('payment succeeded for a cancelled order: refund requested', {
        orderId: order.id,
        paymentIntentId: intent.id,
      });
      return 'refund-requested';
    }
    this.deps.logger.warn('payment succeeded for an order that is not pending', {
      orderId: order.id,
      status: order.status,
      paymentIntentId: intent.id,
    });
    await this.deps.audit.record(
      context,
      {
        action: 'payment.succeeded_for_settled_order',
        entityType: 'payment',
        entityId: payment.id,
        metadata: { orderId: order.id, orderStatus: order.status, paymentIntentId: intent.id },
      },
      tx,
    );
    return 'order-not-payable';
  }

  /** `charge.refunded` (ours or one made in Stripe's dashboard): amount_refunded only ever grows. */
  private async applyRefundedAmount(
    context: RequestContext,
    tx: Tx,
    payment: PaymentRow,
    amountRefunded: Minor,
  ): Promise<void> {
    await this.deps.payments.lock(tx, payment.id);
    const before = (await this.deps.payments.findById(payment.id, tx))!;
    await this.deps.payments.raiseAmountRefunded(tx, payment.id, toDecimalString(amountRefunded));
    const after = (await this.deps.payments.findById(payment.id, tx))!;
    await this.queueRefundEmail(tx, before, after, null);
    if (after.status === 'REFUNDED') {
      await this.deps.orders.markRefunded(context, tx, payment.orderId, {
        restock: false,
        note: 'Refunded in full at Stripe',
      });
    }
  }

  /** Asks Stripe (outside any transaction) and applies the answer; cancels an open intent first when asked to. */
  private async settleIntent(
    context: RequestContext,
    payment: PaymentRow,
    { cancelIfOpen }: { cancelIfOpen: boolean },
  ): Promise<IntentOutcome> {
    const intentId = payment.providerPaymentId!;
    let intent = await this.deps.gateway.retrievePaymentIntent(intentId);
    if (cancelIfOpen && !['succeeded', 'canceled', 'processing'].includes(intent.status)) {
      try {
        intent = await this.deps.gateway.cancelPaymentIntent(intentId);
      } catch (error) {
        if (!(error instanceof PaymentProviderError)) throw error;
        // Refused: it changed meanwhile (succeeded?). What Stripe says now decides.
        intent = await this.deps.gateway.retrievePaymentIntent(intentId);
      }
    }
    return this.deps.transaction((tx) => this.applyIntent(context, tx, payment, intent));
  }

  // ── Refunds ──

  private remainingCents(payment: PaymentRow): Minor {
    const reserved = payment.refunds
      .filter((refund) => refund.status !== 'FAILED')
      .reduce((sum, refund) => sum + toMinor(refund.amount), 0);
    return toMinor(payment.amount) - Math.max(reserved, toMinor(payment.amountRefunded));
  }

  /** Under the payment's row lock: checks what is left and writes the PENDING refund that reserves the amount. */
  private async reserveRefund(
    tx: Tx,
    context: RequestContext,
    payment: PaymentRow,
    order: OrderRow,
    input: { amount?: Minor; restock: boolean; reason: string | null },
  ): Promise<RefundRow> {
    if (!CAPTURED_PAYMENT_STATUSES.includes(payment.status) || !payment.providerPaymentId) {
      throw new UnprocessableError(
        'PAYMENT_NOT_REFUNDABLE',
        `A payment in status ${payment.status} cannot be refunded`,
      );
    }
    const remaining = this.remainingCents(payment);
    const amount = input.amount ?? remaining;
    if (remaining <= 0 || amount > remaining) {
      throw new UnprocessableError(
        'REFUND_EXCEEDS_REMAINING',
        `At most ${toMajor(Math.max(remaining, 0)).toFixed(2)} ${payment.currency} can still be refunded`,
        { requested: toMajor(amount), remaining: toMajor(Math.max(remaining, 0)) },
      );
    }
    // Items go back once: not for a cancelled order (its cancel restocked), not twice over several refunds.
    const restock =
      input.restock &&
      order.status !== 'CANCELLED' &&
      !payment.refunds.some((refund) => refund.restocked && refund.status !== 'FAILED');
    return this.deps.payments.createRefund(tx, {
      paymentId: payment.id,
      amount: toDecimalString(amount),
      reason: input.reason,
      restocked: restock,
      createdById: context.actor?.id ?? null,
    });
  }

  /** Calls Stripe for a reserved refund (outside any transaction), then records it; a Stripe refusal releases it. */
  private async executeRefund(context: RequestContext, refund: RefundRow): Promise<RefundRow> {
    const payment = (await this.deps.payments.findById(refund.paymentId))!;
    let providerRefundId: string;
    try {
      const stripeRefund = await this.deps.gateway.createRefund({
        paymentIntentId: payment.providerPaymentId!,
        amount: toMinor(refund.amount),
        idempotencyKey: `refund-${refund.id}`,
        metadata: { orderId: payment.orderId, paymentId: payment.id, refundId: refund.id },
      });
      providerRefundId = stripeRefund.id;
    } catch (error) {
      if (error instanceof PaymentProviderError) {
        // Released: if Stripe did refund after all, its charge.refunded webhook still records the money.
        await this.deps.transaction((tx) => this.deps.payments.settleRefund(tx, refund.id, 'FAILED'));
      }
      throw error;
    }
    await this.deps.transaction(async (tx) => {
      await this.deps.payments.lock(tx, payment.id);
      if (!(await this.deps.payments.settleRefund(tx, refund.id, 'SUCCEEDED', providerRefundId))) return;
      const settled = (await this.deps.payments.findById(payment.id, tx))!;
      const refundedCents = settled.refunds
        .filter((r) => r.status === 'SUCCEEDED')
        .reduce((sum, r) => sum + toMinor(r.amount), 0);
      await this.deps.payments.raiseAmountRefunded(tx, payment.id, toDecimalString(refundedCents));
      const after = (await this.deps.payments.findById(payment.id, tx))!;
      await this.queueRefundEmail(tx, settled, after, refund.reason);
      const full = after.status === 'REFUNDED';
      const note = refund.reason ?? (full ? 'Refunded in full' : 'Partially refunded');
      if (full) {
        const { applied } = await this.deps.orders.markRefunded(context, tx, payment.orderId, {
          restock: refund.restocked,
          note,
        });
        // Stripe's charge.refunded may have moved the order first (without restock).
        if (!applied && refund.restocked) await this.restockIfRefunded(tx, payment.orderId);
      } else if (refund.restocked) {
        await this.deps.orders.restockLines(tx, payment.orderId);
      }
      await this.deps.audit.record(
        context,
        {
          action: 'payment.refunded',
          entityType: 'payment',
          entityId: payment.id,
          metadata: {
            orderId: payment.orderId,
            refundId: refund.id,
            providerRefundId,
            amount: toMajor(toMinor(refund.amount)),
            restocked: refund.restocked,
            full,
          },
        },
        tx,
      );
    });
    return (await this.deps.payments.findById(payment.id))!.refunds.find((r) => r.id === refund.id)!;
  }

  /**
   * The customer's refund mail, in the transaction that recorded the money: for the amount by which
   * `amountRefunded` grew, under the payment's row lock. Whichever of our refund call and Stripe's
   * `charge.refunded` records an amount first mails it; the other finds nothing new, so each refunded amount is
   * mailed exactly once.
   */
  private async queueRefundEmail(
    tx: Tx,
    before: PaymentRow,
    after: PaymentRow,
    reason: string | null,
  ): Promise<void> {
    const totalRefunded = toMinor(after.amountRefunded);
    const amount = totalRefunded - toMinor(before.amountRefunded);
    if (amount <= 0) return;
    const order = await this.deps.orderReader.findById(after.orderId, tx);
    const customer = order && (await this.deps.customers.findById(order.userId, tx));
    if (!order || !customer) return;
    await this.deps.notifications.queueEmail(
      {
        template: 'order-refunded',
        to: customer.email,
        data: {
          firstName: customer.firstName,
          orderId: order.id,
          orderNumber: order.orderNumber,
          currency: after.currency,
          amount,
          totalRefunded,
          full: after.status === 'REFUNDED',
          reason,
        },
      },
      tx,
    );
  }

  private async restockIfRefunded(tx: Tx, orderId: string): Promise<void> {
    const order = await this.deps.orderReader.findById(orderId, tx);
    if (order?.status === 'REFUNDED') await this.deps.orders.restockLines(tx, orderId);
  }

  // ── Orders ──

  private async ownOrder(context: ActorContext, orderId: string): Promise<OrderRow> {
    const order = await this.deps.orderReader.findById(orderId);
    if (!order || (order.userId !== context.actor.id && context.actor.role !== 'ADMIN'))
      throw orderNotFound();
    return order;
  }

  private assertPayable(order: OrderRow): void {
    if (order.status !== 'PENDING') {
      throw new UnprocessableError('ORDER_NOT_PAYABLE', `An order in status ${order.status} cannot be paid`, {
        status: order.status,
      });
    }
  }
}
