import { randomUUID } from 'node:crypto';
import type { OrderStatus } from '../../generated/prisma/client';
import { Prisma, type Db, type DbClient } from '../../lib/prisma';
import { orderInclude, type OrderRow } from './orders.serializer';

export interface NewOrderItem {
  productId: number;
  title: string;
  sku: string;
  thumbnail: string | null;
  quantity: number;
  /** Decimal strings in major units ("19.99"). */
  unitPrice: string;
  discountPercentage: string;
  lineTotal: string;
}

export interface NewOrder {
  orderNumber: string;
  userId: number;
  currency: string;
  subtotal: string;
  discount: string;
  tax: string;
  shipping: string;
  total: string;
  couponId: number | null;
  couponCode: string | null;
  customerNote: string | null;
  /** One line per product. */
  items: NewOrderItem[];
  shippingAddress: Omit<Prisma.OrderShippingAddressCreateWithoutOrderInput, 'order'>;
}

/** An order row locked for a status change, with what its status e-mail needs. */
export interface LockedOrder {
  id: string;
  orderNumber: string;
  userId: number;
  status: OrderStatus;
  email: string;
  firstName: string;
  currency: string;
  /** Decimal text, e.g. "58.03". */
  total: string;
}

export interface OrderListFilter {
  userId?: number;
  status?: OrderStatus;
  from?: Date;
  to?: Date;
  /** Keyset position: rows strictly after (createdAt desc, id desc). */
  after?: { createdAt: Date; id: string };
}

/** Every query on orders, their items, shipping address snapshots and status history. */
export class OrderRepository {
  constructor(private readonly db: Db) {}

  /**
   * The order with its lines, address snapshot and first history row in ONE statement (the placement transaction
   * is on the checkout's hot path: one round trip instead of eight through Prisma's nested create and read-back).
   * Returns null, writing nothing, when the order number is already taken (the caller draws another).
   */
  async insertPlaced(order: NewOrder, changedById: number, tx: DbClient): Promise<OrderRow | null> {
    const id = randomUUID();
    const now = new Date();
    const { items, shippingAddress: address } = order;
    const rows = await tx.$queryRaw<Array<{ itemIds: number[]; productIds: number[] }>>`
      WITH placed AS (
        INSERT INTO orders (id, order_number, user_id, status, subtotal, discount, tax, shipping, total, currency,
                            coupon_id, coupon_code, customer_note, created_at, updated_at)
        VALUES (${id}::uuid, ${order.orderNumber}, ${order.userId}, 'PENDING', ${order.subtotal}::numeric,
                ${order.discount}::numeric, ${order.tax}::numeric, ${order.shipping}::numeric,
                ${order.total}::numeric, ${order.currency}, ${order.couponId}::int, ${order.couponCode},
                ${order.customerNote}, ${now}, ${now})
        ON CONFLICT (order_number) DO NOTHING
        RETURNING id
      ), lines AS (
        INSERT INTO order_items (order_id, product_id, title, sku, thumbnail, quantity, unit_price,
                                 discount_percentage, line_total)
        SELECT placed.id, l.product_id, l.title, l.sku, l.thumbnail, l.quantity, l.unit_price, l.discount_percentage,
               l.line_total
          FROM placed,
               unnest(${items.map((i) => i.productId)}::int[], ${items.map((i) => i.title)}::text[],
                      ${items.map((i) => i.sku)}::text[], ${items.map((i) => i.thumbnail)}::text[],
                      ${items.map((i) => i.quantity)}::int[], ${items.map((i) => i.unitPrice)}::numeric[],
                      ${items.map((i) => i.discountPercentage)}::numeric[], ${items.map((i) => i.lineTotal)}::numeric[])
                 WITH ORDINALITY AS l(product_id, title, sku, thumbnail, quantity, unit_price, discount_percentage,
                                      line_total, ordinal)
         ORDER BY l.ordinal
        RETURNING id, product_id
      ), snapshot AS (
        INSERT INTO order_shipping_addresses (order_id, first_name, last_name, address, city, state, zip_code,
                                              country, phone)
        SELECT placed.id, ${address.firstName}, ${address.lastName}, ${address.address}, ${address.city},
               ${address.state}, ${address.zipCode}, ${address.country}, ${address.phone}
          FROM placed
      ), history AS (
        INSERT INTO order_status_history (order_id, from_status, to_status, note, changed_by_id, created_at)
        SELECT placed.id, NULL, 'PENDING', 'Order placed', ${changedById}, ${now} FROM placed
      )
      SELECT coalesce(array_agg(lines.id), '{}') AS "itemIds", coalesce(array_agg(lines.product_id), '{}') AS "productIds"
        FROM placed LEFT JOIN lines ON true
      HAVING count(placed.id) > 0`;
    if (rows.length === 0) return null;
    const itemIdByProduct = new Map(
      rows[0].productIds.map((productId, i) => [productId, rows[0].itemIds[i]]),
    );
    return {
      id,
      orderNumber: order.orderNumber,
      userId: order.userId,
      status: 'PENDING',
      subtotal: new Prisma.Decimal(order.subtotal),
      discount: new Prisma.Decimal(order.discount),
      tax: new Prisma.Decimal(order.tax),
      shipping: new Prisma.Decimal(order.shipping),
      total: new Prisma.Decimal(order.total),
      currency: order.currency,
      couponId: order.couponId,
      couponCode: order.couponCode,
      customerNote: order.customerNote,
      carrier: null,
      trackingNumber: null,
      estimatedDelivery: null,
      cancelReason: null,
      paidAt: null,
      cancelledAt: null,
      createdAt: now,
      updatedAt: now,
      items: items
        .map((item) => ({
          ...item,
          id: itemIdByProduct.get(item.productId)!,
          orderId: id,
          unitPrice: new Prisma.Decimal(item.unitPrice),
          discountPercentage: new Prisma.Decimal(item.discountPercentage),
          lineTotal: new Prisma.Decimal(item.lineTotal),
        }))
        .sort((a, b) => a.id - b.id),
      shippingAddress: { orderId: id, ...address },
      payments: [],
    };
  }

  async findById(id: string, tx: DbClient = this.db): Promise<OrderRow | null> {
    if (tx === this.db) return this.db.order.findUnique({ where: { id }, include: orderInclude });
    // Inside a transaction Prisma would load the three relations at once on its one connection (pg warns
    // "client is already executing a query", pg@9 refuses): read them one after another instead.
    const order = await tx.order.findUnique({ where: { id } });
    if (!order) return null;
    const items = await tx.orderItem.findMany({ where: { orderId: id }, ...orderInclude.items });
    const shippingAddress = await tx.orderShippingAddress.findUnique({ where: { orderId: id } });
    const payments = await tx.payment.findMany({ where: { orderId: id }, ...orderInclude.payments });
    return { ...order, items, shippingAddress, payments };
  }

  async list(filter: OrderListFilter, page: { skip: number; limit: number }): Promise<[OrderRow[], number]> {
    const where: Prisma.OrderWhereInput = {
      userId: filter.userId,
      status: filter.status,
      createdAt: filter.from || filter.to ? { gte: filter.from, lte: filter.to } : undefined,
    };
    const keyset: Prisma.OrderWhereInput | undefined = filter.after && {
      OR: [
        { createdAt: { lt: filter.after.createdAt } },
        { createdAt: filter.after.createdAt, id: { lt: filter.after.id } },
      ],
    };
    return Promise.all([
      this.db.order.findMany({
        where: keyset ? { AND: [where, keyset] } : where,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: filter.after ? 0 : page.skip,
        take: page.limit,
        include: orderInclude,
      }),
      this.db.order.count({ where }),
    ]);
  }
  /**
   * Locks orders for a status change (SELECT … FOR UPDATE, in id order). With `skipLocked`, rows another
   * transaction holds are left out (the expiry sweep: parallel sweeps take disjoint orders); `pendingBefore` keeps
   * only orders that are still PENDING and older than that moment once the lock is held.
   */
  lock(
    ids: string[],
    tx: DbClient,
    options: { skipLocked?: boolean; pendingBefore?: Date } = {},
  ): Promise<LockedOrder[]> {
    const pending = options.pendingBefore
      ? Prisma.sql`AND o.status = 'PENDING' AND o.created_at < ${options.pendingBefore}`
      : Prisma.empty;
    const skip = options.skipLocked ? Prisma.sql`SKIP LOCKED` : Prisma.empty;
    return tx.$queryRaw<LockedOrder[]>`
      SELECT o.id, o.order_number AS "orderNumber", o.user_id AS "userId", o.status::text AS status,
             u.email, u.first_name AS "firstName", o.currency, o.total::text AS total
        FROM orders o JOIN users u ON u.id = o.user_id
       WHERE o.id = ANY(${ids}::uuid[]) ${pending}
       ORDER BY o.id
         FOR UPDATE OF o ${skip}`;
  }

  async update(id: string, data: Prisma.OrderUncheckedUpdateInput, tx: DbClient): Promise<void> {
    await tx.order.update({ where: { id }, data });
  }

  async addHistory(
    rows: Array<{
      orderId: string;
      fromStatus: OrderStatus;
      toStatus: OrderStatus;
      note: string | null;
      changedById: number | null;
    }>,
    tx: DbClient,
  ): Promise<void> {
    await tx.orderStatusHistory.createMany({ data: rows });
  }

  /** The ordered quantities of these orders (to put back into stock). */
  lines(orderIds: string[], tx: DbClient): Promise<Array<{ productId: number; quantity: number }>> {
    return tx.orderItem.findMany({
      where: { orderId: { in: orderIds } },
      select: { productId: true, quantity: true },
    });
  }

  history(orderId: string) {
    return this.db.orderStatusHistory.findMany({
      where: { orderId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  /** Ids of unpaid orders placed before `cutoff`, oldest first (read without locks; the lock re-checks). */
  async pendingBefore(cutoff: Date, limit: number): Promise<string[]> {
    const rows = await this.db.order.findMany({
      where: { status: 'PENDING', createdAt: { lt: cutoff } },
      orderBy: { createdAt: 'asc' },
      take: limit,
      select: { id: true },
    });
    return rows.map((row) => row.id);
  }
}
