import { AppError, ConflictError, NotFoundError, UnprocessableError } from '../../common/errors';
import { toDecimalString, toMinor, type Minor } from '../../common/money';
import { decodeCursor, encodeCursor } from '../../common/pagination';
import type { ActorContext, RequestContext } from '../../common/request-context';
import { isUniqueViolation, type Prisma, type TransactionRunner, type Tx } from '../../lib/prisma';
import type { Logger } from '../../lib/logger';
import type { EmailOutbox } from '../notifications/notifications.types';
import type { ProductRepository } from '../products/products.repository';
import type { AddressRepository } from '../users/addresses.repository';
import type { UserRepository } from '../users/users.repository';
import { z } from 'zod';
import { newOrderNumber } from './order-number';
import { canTransition, type OrderStatus } from './order-status';
import type { CheckoutCart, CheckoutCoupons, CheckoutLine } from './orders.ports';
import type { OrderRepository } from './orders.repository';
import type { CreateOrderInput, ListOrdersQuery, PublicOrder, ShippingAddressInput } from './orders.schemas';
import { toPublicOrder, type OrderRow } from './orders.serializer';
import { priceOrder, type CheckoutCoupon, type PricingRules } from './pricing';

export interface OrderServiceOptions {
  currency: string;
  pricing: PricingRules;
}

export interface OrderServiceDeps {
  transaction: TransactionRunner;
  orders: OrderRepository;
  products: ProductRepository;
  addresses: AddressRepository;
  users: UserRepository;
  notifications: EmailOutbox;
  logger: Logger;
  cart?: CheckoutCart;
  coupons?: CheckoutCoupons;
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
  constructor(
    private readonly deps: OrderServiceDeps,
    private readonly options: OrderServiceOptions,
  ) {}

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
      this.deps.users.findById(userId),
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
      const orderNumber = newOrderNumber();
      try {
        created = await this.deps.transaction(async (tx) => {
          const order = await this.deps.orders.create(
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
                  discountPercentage: product.discountPercentage,
                  lineTotal: toDecimalString(line.lineTotalCents),
                };
              }),
              shippingAddress,
            },
            userId,
            tx,
          );
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
          const refused = await this.deps.products.decrementStockIfAvailable(lines, tx);
          if (refused.length > 0) throw new StockShortage(refused);
          return order;
        });
      } catch (error) {
        if (error instanceof StockShortage) {
          const available = await this.deps.products.availableStock(error.productIds);
          const shortLines = lines.filter((line) => error.productIds.includes(line.productId));
          throw insufficientStock(shortLines, (id) => available.get(id) ?? 0);
        }
        if (isUniqueViolation(error, 'order_number') && attempt < ORDER_NUMBER_ATTEMPTS) continue;
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

  /**
   * PENDING → PAID inside the caller's transaction (payments applies a Stripe success with it): paidAt, history,
   * the status mail. `applied: false` when the order is no longer PENDING (a late or duplicate event never moves
   * an order backwards).
   */
  async markPaid(
    context: RequestContext,
    tx: Tx,
    orderId: string,
    { note }: { note?: string } = {},
  ): Promise<{ applied: boolean }> {
    return this.transition(context, tx, orderId, 'PAID', note, { paidAt: new Date() });
  }

  /** PAID/PROCESSING/DELIVERED → REFUNDED inside the caller's transaction, optionally putting the items back. */
  async markRefunded(
    context: RequestContext,
    tx: Tx,
    orderId: string,
    { restock, note }: { restock: boolean; note?: string },
  ): Promise<{ applied: boolean }> {
    const result = await this.transition(context, tx, orderId, 'REFUNDED', note);
    if (result.applied && restock) await this.restockLines(tx, orderId);
    return result;
  }

  /** The order's items back to stock (a refund with restock). */
  async restockLines(tx: Tx, orderId: string): Promise<void> {
    const order = await this.deps.orders.findById(orderId, tx);
    if (!order) throw orderNotFound();
    await this.deps.products.restock(
      order.items.map((item) => ({ productId: item.productId, quantity: item.quantity })),
      tx,
    );
  }

  private async transition(
    context: RequestContext,
    tx: Tx,
    orderId: string,
    to: OrderStatus,
    note: string | undefined,
    columns: Prisma.OrderUpdateManyMutationInput = {},
  ): Promise<{ applied: boolean }> {
    const order = await this.deps.orders.findById(orderId, tx);
    if (!order) throw orderNotFound();
    if (!canTransition(order.status, to)) return { applied: false };
    const applied = await this.deps.orders.transitionStatus(
      tx,
      orderId,
      { from: order.status, to, changedById: context.actor?.id ?? null, note },
      columns,
    );
    if (!applied) return { applied: false };
    const user = await this.deps.users.findById(order.userId, tx);
    if (user) {
      await this.deps.notifications.queueEmail(
        {
          template: 'order-status-changed',
          to: user.email,
          data: {
            firstName: user.firstName,
            orderId: order.id,
            orderNumber: order.orderNumber,
            status: to,
            previousStatus: order.status,
            note: note ?? null,
          },
        },
        tx,
      );
    }
    return { applied: true };
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
