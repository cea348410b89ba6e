import type { OrderStatus } from '../../generated/prisma/client';
import { Prisma, type Db, type DbClient } from '../../lib/prisma';
import { orderInclude, type OrderRow } from './orders.serializer';

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
  items: Array<Omit<Prisma.OrderItemCreateManyOrderInput, 'id'>>;
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

  /** The order with its lines, address snapshot and first history row, in the caller's transaction. */
  create(order: NewOrder, changedById: number, tx: DbClient): Promise<OrderRow> {
    const { items, shippingAddress, ...columns } = order;
    return tx.order.create({
      data: {
        ...columns,
        status: 'PENDING',
        items: { createMany: { data: items } },
        shippingAddress: { create: shippingAddress },
        statusHistory: {
          create: { fromStatus: null, toStatus: 'PENDING', changedById, note: 'Order placed' },
        },
      },
      include: orderInclude,
    });
  }

  findById(id: string, tx: DbClient = this.db): Promise<OrderRow | null> {
    return tx.order.findUnique({ where: { id }, include: orderInclude });
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
