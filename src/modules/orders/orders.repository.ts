import type { OrderStatus } from '../../generated/prisma/client';
import type { Db, DbClient, Prisma } from '../../lib/prisma';
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

  /**
   * Moves the order from `from` to `to` only if it is still in `from` (a guard against concurrent changes) and
   * writes the history row; false when another change came first.
   */
  async transitionStatus(
    tx: DbClient,
    orderId: string,
    change: { from: OrderStatus; to: OrderStatus; changedById: number | null; note?: string },
    columns: Prisma.OrderUpdateManyMutationInput = {},
  ): Promise<boolean> {
    const { count } = await tx.order.updateMany({
      where: { id: orderId, status: change.from },
      data: { ...columns, status: change.to },
    });
    if (count === 0) return false;
    await tx.orderStatusHistory.create({
      data: {
        orderId,
        fromStatus: change.from,
        toStatus: change.to,
        changedById: change.changedById,
        note: change.note,
      },
    });
    return true;
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
}
