import { AppError, ConflictError, NotFoundError, UnprocessableError } from '../../common/errors';
import { toDecimalString, toMinor, type Minor } from '../../common/money';
import { decodeCursor, encodeCursor } from '../../common/pagination';
import type { ActorContext, RequestContext } from '../../common/request-context';
import { type DbClient, type Prisma, type TransactionRunner } from '../../lib/prisma';
import type { AuditService } from '../audit/audit.service';
import { REFUND_REQUESTED_EVENT } from '../notifications/outbox-events';
import type { OutboxRepository } from '../notifications/outbox.repository';
import type { Logger } from '../../lib/logger';
import type { EmailOutbox } from '../notifications/notifications.types';
import type { LowStockAlerts } from '../products/low-stock-alerts';
import type { ProductRepository } from '../products/products.repository';
import type { AddressRepository } from '../users/addresses.repository';
import type { UserRepository } from '../users/users.repository';
import { z } from 'zod';
import { statusChangeEmail } from './order-emails';
import { newOrderNumber } from './order-number';
import type { CheckoutCart, CheckoutCoupons, CheckoutLine, PendingPaymentCheck } from './orders.ports';
import { assertTransition, canTransition, type OrderStatus } from './order-status';
import type { LockedOrder, OrderRepository } from './orders.repository';
import type { CreateOrderInput, ListOrdersQuery, PublicOrder, ShippingAddressInput } from './orders.schemas';
import { toPublicOrder, type OrderRow } from './orders.serializer';
import { priceOrder, type CheckoutCoupon, type PricingRules } from './pricing';

export interface OrderServiceOptions {
  currency: string;
  pricing: PricingRules;
  paymentTimeoutMinutes: number;
}

const CANCELLABLE: readonly OrderStatus[] = ['PENDING', 'PAID', 'PROCESSING'];
const EXPIRY_BATCH_SIZE = 100;

export interface StatusChangeInput {
  status: OrderStatus;
  trackingNumber?: string;
  carrier?: string;
  estimatedDelivery?: Date;
  note?: string;
}

export interface OrderServiceDeps {
  transaction: TransactionRunner;
  orders: OrderRepository;
  products: ProductRepository;
  addresses: AddressRepository;
  users: Pick<UserRepository, 'findContact'>;
  notifications: EmailOutbox;
  outbox: OutboxRepository;
  audit: AuditService;
  logger: Logger;
  cart?: CheckoutCart;
  coupons?: CheckoutCoupons;
  lowStock?: LowStockAlerts;
}

const orderNotFound = () => new NotFoundError('Order');
const ORDER_NUMBER_ATTEMPTS = 5;
const cursorSchema = z.object({ c: z.iso.datetime(), i: z.uuid() });

/** Thrown inside the order transaction when the stock statement refused lines: it rolls everything back. */
class StockShortage extends Error {
  constructor(readonly productIds: number[]) {
    super('stock shortage');
  }
}

/** Duplicate product ids merged, sorted by product id (the order the stock rows are locked in). */
function normalizeLines(lines: CheckoutLine[]): CheckoutLine[] {
  const merged = new Map<number, number>();
  for (const line of lines) merged.set(line.productId, (merged.get(line.productId) ?? 0) + line.quantity);
  return [...merged]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .sort((a, b) => a.productId - b.productId);
}

export class OrderService {
  private pendingPayments?: PendingPaymentCheck;

  constructor(
    private readonly deps: OrderServiceDeps,
    private readonly options: OrderServiceOptions,
  ) {}

  /**
   * Payments is built on top of orders (it calls markPaid), so it hands its provider check in after construction.
   */
  setPendingPaymentCheck(check: PendingPaymentCheck | undefined): void {
    this.pendingPayments = check;
  }

  /**
   * Places an order in one transaction: the order, its snapshots, the first history row, the confirmation mail's
   * outbox row, the coupon's usage and, last before COMMIT, one conditional stock statement for all lines. Product
   * reads and pricing happen before any row is locked; a short line rolls everything back and is reported with the
   * others (409 INSUFFICIENT_STOCK). Lines taken from the cart leave it after the commit.
   */
  async placeOrder(context: ActorContext, input: CreateOrderInput): Promise<PublicOrder> {
    const userId = context.actor.id;
    const fromCart = input.items === undefined;
    const requested = fromCart ? await this.cartLines(userId) : input.items!;
    const lines = normalizeLines(requested);
    if (lines.length === 0)
      throw new AppError(400, 'CART_EMPTY', 'Your cart is empty: there is nothing to order');

    const [user, shippingAddress, products] = await Promise.all([
      this.deps.users.findContact(userId),
      this.resolveAddress(userId, input),
      this.deps.products.findForCheckout(lines.map((line) => line.productId)),
    ]);
    if (!user) throw new NotFoundError('User');
    const byId = new Map(products.map((product) => [product.id, product]));
    const unavailable = lines.filter((line) => !byId.has(line.productId)).map((line) => line.productId);
    if (unavailable.length > 0) {
      throw new UnprocessableError(
        'PRODUCT_UNAVAILABLE',
        'Some products are no longer available',
        unavailable.map((productId) => ({ productId })),
      );
    }
    // A fast refusal from what was just read; the conditional decrement below is what decides.
    const short = lines.filter((line) => byId.get(line.productId)!.stock < line.quantity);
    if (short.length > 0) throw insufficientStock(short, (id) => byId.get(id)!.stock);

    const pricingLines = lines.map((line) => {
      const product = byId.get(line.productId)!;
      return {
        ...line,
        unitPriceCents: toMinor(product.price),
        discountPercentage: Number(product.discountPercentage),
      };
    });
    const untaxed = priceOrder(pricingLines, this.options.pricing);
    const coupon = input.couponCode
      ? await this.resolveCoupon(input.couponCode, userId, untaxed.subtotalCents)
      : null;
    const totals = coupon ? priceOrder(pricingLines, this.options.pricing, coupon) : untaxed;

    let created: OrderRow | undefined;
    for (let attempt = 1; !created; attempt += 1) {
      if (attempt > ORDER_NUMBER_ATTEMPTS) throw new Error('no free order number after several draws');
      const orderNumber = newOrderNumber();
      try {
        created = await this.deps.transaction(async (tx) => {
          const order = await this.deps.orders.insertPlaced(
            {
              orderNumber,
              userId,
              currency: this.options.currency,
              subtotal: toDecimalString(totals.subtotalCents),
              discount: toDecimalString(totals.discountCents),
              tax: toDecimalString(totals.taxCents),
              shipping: toDecimalString(totals.shippingCents),
              total: toDecimalString(totals.totalCents),
              couponId: coupon?.couponId ?? null,
              couponCode: coupon?.code ?? null,
              customerNote: input.customerNote ?? null,
              items: totals.lines.map((line) => {
                const product = byId.get(line.productId)!;
                return {
                  productId: line.productId,
                  title: product.title,
                  sku: product.sku,
                  thumbnail: product.thumbnail,
                  quantity: line.quantity,
                  unitPrice: toDecimalString(line.effectiveUnitCents),
                  discountPercentage: product.discountPercentage.toString(),
                  lineTotal: toDecimalString(line.lineTotalCents),
                };
              }),
              shippingAddress,
            },
            userId,
            tx,
          );
          // A taken order number wrote nothing: the loop draws another.
          if (!order) return undefined;
          await this.deps.notifications.queueEmail(
            {
              template: 'order-confirmation',
              to: user.email,
              data: {
                firstName: user.firstName,
                orderId: order.id,
                orderNumber: order.orderNumber,
                currency: order.currency,
                items: totals.lines.map((line) => ({
                  title: byId.get(line.productId)!.title,
                  quantity: line.quantity,
                  unitPrice: line.effectiveUnitCents,
                  lineTotal: line.lineTotalCents,
                })),
                subtotal: totals.subtotalCents,
                discount: totals.discountCents,
                tax: totals.taxCents,
                shipping: totals.shippingCents,
                total: totals.totalCents,
              },
            },
            tx,
          );
          // The hot rows come last: the coupon's usage counter, then the stock, then COMMIT.
          if (coupon) await this.redeemCoupon(tx, coupon, userId, order.id);
          const { refused, stockAfter } = await this.deps.products.decrementStockIfAvailable(lines, tx);
          if (refused.length > 0) throw new StockShortage(refused);
          // Only an order that takes a product below the threshold writes alert rows (rarely: after the hot rows).
          await this.deps.lowStock?.afterStockChange(
            tx,
            lines.map(({ productId, quantity }) => {
              const product = byId.get(productId)!;
              const stock = stockAfter.get(productId)!;
              return { productId, title: product.title, sku: product.sku, previous: stock + quantity, stock };
            }),
          );
          return order;
        });
      } catch (error) {
        if (error instanceof StockShortage) {
          const available = await this.deps.products.availableStock(error.productIds);
          const shortLines = lines.filter((line) => error.productIds.includes(line.productId));
          throw insufficientStock(shortLines, (id) => available.get(id) ?? 0);
        }
        throw error;
      }
    }

    if (fromCart && this.deps.cart) {
      // The order stands whatever happens here; a line left in the cart is the lesser harm than a failed reply.
      await this.deps.cart.removeOrderedLines(userId, lines).catch((error: unknown) => {
        this.deps.logger.warn('Ordered lines could not be removed from the cart', {
          userId,
          orderId: created!.id,
          error: error instanceof Error ? error.message : String(error),
        });
      });
    }
    return toPublicOrder(created);
  }

  /** The caller's own order, or any order for an admin; another user's order does not exist (404). */
  async get(context: ActorContext, orderId: string): Promise<PublicOrder> {
    return toPublicOrder(await this.findVisible(context, orderId));
  }

  async listOwn(context: ActorContext, query: ListOrdersQuery) {
    return this.list({ userId: context.actor.id, status: query.status }, query);
  }

  async listAll(query: ListOrdersQuery & { userId?: number; from?: Date; to?: Date }) {
    return this.list({ userId: query.userId, status: query.status, from: query.from, to: query.to }, query);
  }

  private async list(
    filter: { userId?: number; status?: ListOrdersQuery['status']; from?: Date; to?: Date },
    query: ListOrdersQuery,
  ) {
    const position = query.cursor ? decodeCursor(query.cursor, cursorSchema) : undefined;
    if (query.cursor && !position) {
      throw new AppError(400, 'VALIDATION_ERROR', 'Request validation failed', {
        cursor: ['Invalid cursor'],
      });
    }
    const [rows, total] = await this.deps.orders.list(
      { ...filter, after: position && { createdAt: new Date(position.c), id: position.i } },
      query,
    );
    const last = rows.at(-1);
    const nextCursor =
      rows.length === query.limit && last
        ? encodeCursor({ c: last.createdAt.toISOString(), i: last.id })
        : null;
    return {
      orders: rows.map(toPublicOrder),
      total,
      skip: position ? 0 : query.skip,
      limit: query.limit,
      nextCursor,
    };
  }

  /** Customer (or admin) cancel: from PENDING, PAID or PROCESSING; restock, coupon use back, refund requested. */
  async cancel(context: ActorContext, orderId: string, reason: string | undefined): Promise<PublicOrder> {
    await this.findVisible(context, orderId);
    await this.deps.transaction(async (tx) => {
      const [order] = await this.deps.orders.lock([orderId], tx);
      if (!order) throw orderNotFound();
      if (!CANCELLABLE.includes(order.status)) {
        throw new UnprocessableError('ORDER_CANNOT_CANCEL', `A ${order.status} order cannot be cancelled`, {
          status: order.status,
        });
      }
      await this.cancelLocked(context, tx, [order], reason ?? null);
    });
    return this.getAny(orderId);
  }

  /** Admin: any allowed transition (422 otherwise), with tracking data; a cancel has the cancel's effects. */
  async changeStatus(context: ActorContext, orderId: string, input: StatusChangeInput): Promise<PublicOrder> {
    await this.deps.transaction(async (tx) => {
      const [order] = await this.deps.orders.lock([orderId], tx);
      if (!order) throw orderNotFound();
      assertTransition(order.status, input.status);
      const note = input.note ?? null;
      if (input.status === 'CANCELLED') {
        await this.cancelLocked(context, tx, [order], note);
      } else {
        await this.applyStatus(context, tx, order, input.status, note, {
          carrier: input.carrier,
          trackingNumber: input.trackingNumber,
          estimatedDelivery: input.estimatedDelivery,
          paidAt: input.status === 'PAID' ? new Date() : undefined,
        });
      }
      await this.deps.audit.record(
        context,
        {
          action: 'order.status-changed',
          entityType: 'order',
          entityId: orderId,
          metadata: {
            from: order.status,
            to: input.status,
            note,
            carrier: input.carrier ?? null,
            trackingNumber: input.trackingNumber ?? null,
          },
        },
        tx,
      );
    });
    return this.getAny(orderId);
  }

  /** Payments: PENDING → PAID in the caller's transaction; `applied: false` for a late or duplicate event. */
  async markPaid(
    context: RequestContext,
    tx: DbClient,
    orderId: string,
    { note }: { note?: string } = {},
  ): Promise<{ applied: boolean }> {
    const [order] = await this.deps.orders.lock([orderId], tx);
    if (!order || order.status !== 'PENDING') return { applied: false };
    await this.applyStatus(context, tx, order, 'PAID', note ?? null, { paidAt: new Date() });
    return { applied: true };
  }

  /** Payments: PAID/PROCESSING/DELIVERED → REFUNDED in the caller's transaction, restocking when asked. */
  async markRefunded(
    context: RequestContext,
    tx: DbClient,
    orderId: string,
    { restock, note }: { restock: boolean; note?: string },
  ): Promise<{ applied: boolean }> {
    const [order] = await this.deps.orders.lock([orderId], tx);
    if (!order || !canTransition(order.status, 'REFUNDED')) return { applied: false };
    // Payments mails the customer each refunded amount itself, in this transaction.
    await this.applyStatus(context, tx, order, 'REFUNDED', note ?? null, {}, { notify: false });
    if (restock) await this.restockLines(tx, orderId);
    return { applied: true };
  }

  /** Every line of the order back into stock (a refund with restock). */
  async restockLines(tx: DbClient, orderId: string): Promise<void> {
    await this.deps.products.restock(await this.deps.orders.lines([orderId], tx), tx);
  }

  /**
   * Cancels and restocks PENDING orders older than PAYMENT_TIMEOUT_MINUTES, a batch per transaction. Orders are
   * locked with SKIP LOCKED and re-checked under the lock, so sweeps running at once never cancel one twice.
   * Orders the payment provider reports as paid (PendingPaymentCheck, asked outside any transaction) are skipped.
   */
  async expireUnpaidOrders(
    context: RequestContext,
    { now = new Date(), batchSize = EXPIRY_BATCH_SIZE }: { now?: Date; batchSize?: number } = {},
  ): Promise<{ cancelled: number }> {
    const cutoff = new Date(now.getTime() - this.options.paymentTimeoutMinutes * 60_000);
    const skipped = new Set<string>();
    let cancelled = 0;
    for (;;) {
      const candidates = (await this.deps.orders.pendingBefore(cutoff, batchSize + skipped.size)).filter(
        (id) => !skipped.has(id),
      );
      if (candidates.length === 0) break;
      const paid = this.pendingPayments
        ? await this.pendingPayments.settleBeforeExpiry(candidates)
        : new Set<string>();
      for (const id of paid) skipped.add(id);
      const due = candidates.filter((id) => !paid.has(id));
      const done = due.length
        ? await this.deps.transaction(async (tx) => {
            const locked = await this.deps.orders.lock(due, tx, { skipLocked: true, pendingBefore: cutoff });
            if (locked.length > 0) {
              await this.cancelLocked(context, tx, locked, 'Payment not received in time');
            }
            return locked.length;
          })
        : 0;
      cancelled += done;
      // Rows another sweep holds are its work; stop when this batch found nothing left to do.
      if (done === 0 && paid.size === 0) break;
      if (candidates.length < batchSize) break;
    }
    return { cancelled };
  }

  async tracking(context: ActorContext, orderId: string) {
    const order = await this.findVisible(context, orderId);
    const history = await this.deps.orders.history(orderId);
    return {
      orderId: order.id,
      orderNumber: order.orderNumber,
      status: order.status,
      carrier: order.carrier,
      trackingNumber: order.trackingNumber,
      estimatedDelivery: order.estimatedDelivery?.toISOString() ?? null,
      events: history.map((row) => ({
        status: row.toStatus,
        at: row.createdAt.toISOString(),
        note: row.note,
      })),
    };
  }

  /** Cancel effects for locked orders: status, history, mail, restock, coupon use back, refund request if paid. */
  private async cancelLocked(
    context: RequestContext,
    tx: DbClient,
    orders: LockedOrder[],
    reason: string | null,
  ): Promise<void> {
    const now = new Date();
    for (const order of orders) {
      await this.applyStatus(context, tx, order, 'CANCELLED', reason, {
        cancelledAt: now,
        cancelReason: reason,
      });
      if (this.deps.coupons) await this.deps.coupons.releaseForOrder(tx, order.id);
      if (order.status === 'PAID' || order.status === 'PROCESSING') {
        await this.deps.outbox.insert(
          {
            type: REFUND_REQUESTED_EVENT,
            aggregateType: 'order',
            aggregateId: order.id,
            payload: { orderId: order.id, reason },
          },
          tx,
        );
      }
    }
    // Stock rows last, all orders' lines in one statement.
    await this.deps.products.restock(
      await this.deps.orders.lines(
        orders.map((order) => order.id),
        tx,
      ),
      tx,
    );
  }

  /**
   * The one place a status is written: the transition table, the row, its history row and the customer's mail
   * (order-emails.ts decides which; `notify: false` when the caller mails the customer itself).
   */
  private async applyStatus(
    context: RequestContext,
    tx: DbClient,
    order: LockedOrder,
    to: OrderStatus,
    note: string | null,
    data: Prisma.OrderUncheckedUpdateInput,
    { notify = true }: { notify?: boolean } = {},
  ): Promise<void> {
    assertTransition(order.status, to);
    await this.deps.orders.update(order.id, { ...data, status: to }, tx);
    await this.deps.orders.addHistory(
      [
        {
          orderId: order.id,
          fromStatus: order.status,
          toStatus: to,
          note,
          changedById: context.actor?.id ?? null,
        },
      ],
      tx,
    );
    if (!notify) return;
    const email = statusChangeEmail(order, to, {
      note,
      carrier: typeof data.carrier === 'string' ? data.carrier : null,
      trackingNumber: typeof data.trackingNumber === 'string' ? data.trackingNumber : null,
      estimatedDelivery: data.estimatedDelivery instanceof Date ? data.estimatedDelivery : null,
    });
    if (email) await this.deps.notifications.queueEmail(email, tx);
  }

  private async getAny(orderId: string): Promise<PublicOrder> {
    const order = await this.deps.orders.findById(orderId);
    if (!order) throw orderNotFound();
    return toPublicOrder(order);
  }

  private async findVisible(context: ActorContext, orderId: string): Promise<OrderRow> {
    const order = await this.deps.orders.findById(orderId);
    if (!order || (order.userId !== context.actor.id && context.actor.role !== 'ADMIN'))
      throw orderNotFound();
    return order;
  }

  private async cartLines(userId: number): Promise<CheckoutLine[]> {
    return this.deps.cart ? this.deps.cart.linesForCheckout(userId) : [];
  }

  private async resolveAddress(userId: number, input: CreateOrderInput): Promise<ShippingAddressInput> {
    if (input.shippingAddress) return input.shippingAddress;
    const saved = await this.deps.addresses.findOwned(input.shippingAddressId!, userId);
    if (!saved) throw new NotFoundError('Address');
    const { firstName, lastName, address, city, state, zipCode, country, phone } = saved;
    return { firstName, lastName, address, city, state, zipCode, country, phone };
  }

  private async resolveCoupon(code: string, userId: number, subtotalCents: Minor): Promise<CheckoutCoupon> {
    if (!this.deps.coupons) throw new UnprocessableError('COUPON_INVALID', 'This coupon code is not valid');
    return this.deps.coupons.resolveForCheckout(code, { userId, subtotalCents, now: new Date() });
  }

  private async redeemCoupon(
    tx: Parameters<CheckoutCoupons['redeemIfAvailable']>[0],
    coupon: CheckoutCoupon,
    userId: number,
    orderId: string,
  ): Promise<void> {
    const redeemed = await this.deps.coupons!.redeemIfAvailable(tx, {
      couponId: coupon.couponId,
      userId,
      orderId,
    });
    if (!redeemed) throw new UnprocessableError('COUPON_EXHAUSTED', 'This coupon has been used up');
  }
}

function insufficientStock(lines: CheckoutLine[], available: (productId: number) => number): ConflictError {
  return new ConflictError(
    'Not enough stock for some lines',
    'INSUFFICIENT_STOCK',
    lines.map((line) => ({
      productId: line.productId,
      requested: line.quantity,
      available: available(line.productId),
    })),
  );
}
