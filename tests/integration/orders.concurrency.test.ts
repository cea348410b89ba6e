import type request from 'supertest';
import { registerAdmin, type TestUser } from '../helpers/auth';
import { createProduct } from '../helpers/catalogue-fixtures';
import {
  cancelOrder,
  moveOrderTo,
  orderItems,
  patchOrderStatus,
  postOrder,
  registerMany,
  stockOf,
} from '../helpers/order-flows';
import { SHIPPING_ADDRESS as shippingAddress } from '../helpers/orders';
import { createTestContext, type TestContext } from '../helpers/test-app';
import { jobContext } from '../../src/common/request-context';
import type { OrderStatus } from '../../src/modules/orders/order-status';

/**
 * Real parallel HTTP requests (and parallel sweeps) against the order paths that take locks; every invariant is
 * checked in PostgreSQL afterwards, never only in the replies.
 */
jest.setTimeout(120_000);

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});

beforeEach(async () => {
  await ctx.reset();
});

afterAll(async () => {
  await ctx.close();
});

/** Units of a product on all order lines, read with SQL. */
async function orderedUnits(productId: number): Promise<number> {
  const [row] = await ctx.container.prisma.$queryRaw<Array<{ units: bigint | null }>>`
    SELECT sum(quantity)::bigint AS units FROM order_items WHERE product_id = ${productId}`;
  return Number(row.units ?? 0);
}

const failureText = (res: request.Response) => `${res.status} ${JSON.stringify(res.body)}`;

describe('two products ordered in opposite line order at once', () => {
  test('40 buyers, half [A,B] half [B,A]: no deadlock, every reply 201 or 409, stock = initial − ordered', async () => {
    const a = await createProduct(ctx, { stock: 30 });
    const b = await createProduct(ctx, { stock: 35 });
    const buyers = await registerMany(ctx, 40);

    const replies = await Promise.all(
      buyers.map((buyer, i) => {
        const lines = [
          { productId: a.id, quantity: 1 + (i % 2) },
          { productId: b.id, quantity: 2 - (i % 2) },
        ];
        return postOrder(ctx, buyer, {
          shippingAddress,
          items: i < 20 ? lines : [...lines].reverse(),
        });
      }),
    );

    const unexpected = replies.filter(
      (res) => res.status !== 201 && !(res.status === 409 && res.body.code === 'INSUFFICIENT_STOCK'),
    );
    expect(unexpected.map(failureText)).toEqual([]);
    const placed = replies.filter((res) => res.status === 201);
    // Demand (60 A, 60 B) is well over the stock: some win, some lose.
    expect(placed.length).toBeGreaterThan(0);
    expect(placed.length).toBeLessThan(40);
    for (const res of replies.filter((r) => r.status === 409)) {
      expect(res.body.details.length).toBeGreaterThan(0);
      for (const line of res.body.details) expect(line.requested).toBeGreaterThan(line.available);
    }

    expect(await ctx.container.prisma.order.count()).toBe(placed.length);
    const stockA = await stockOf(ctx, a.id);
    const stockB = await stockOf(ctx, b.id);
    expect(stockA).toBe(30 - (await orderedUnits(a.id)));
    expect(stockB).toBe(35 - (await orderedUnits(b.id)));
    expect(stockA).toBeGreaterThanOrEqual(0);
    expect(stockB).toBeGreaterThanOrEqual(0);
    const lines = await ctx.container.prisma.orderItem.count();
    expect(lines).toBe(placed.length * 2);
  });
});

describe('one Idempotency-Key sent 20 times at once', () => {
  test('exactly one order; every other reply is its replay or 409 IDEMPOTENCY_IN_PROGRESS; stock once', async () => {
    const product = await createProduct(ctx, { stock: 50 });
    const [buyer] = await registerMany(ctx, 1);
    const body = { shippingAddress, items: [{ productId: product.id, quantity: 3 }] };

    const replies = await Promise.all(
      Array.from({ length: 20 }, () => postOrder(ctx, buyer, body, 'one-checkout-click')),
    );

    const orders = await ctx.container.prisma.order.findMany();
    expect(orders).toHaveLength(1);
    const orderId = orders[0].id;
    const fresh = replies.filter(
      (res) => res.status === 201 && res.headers['idempotent-replayed'] !== 'true',
    );
    expect(fresh.map((res) => res.body.data.id)).toEqual([orderId]);
    const others = replies.filter((res) => !fresh.includes(res));
    for (const res of others) {
      if (res.status === 201) {
        expect(res.headers['idempotent-replayed']).toBe('true');
        expect(res.body.data.id).toBe(orderId);
      } else {
        expect(failureText(res)).toMatch(/^409 .*"code":"IDEMPOTENCY_IN_PROGRESS"/);
      }
    }
    expect(await stockOf(ctx, product.id)).toBe(47);
    expect(await ctx.container.prisma.orderStatusHistory.count()).toBe(1);
    const keys = await ctx.container.prisma.idempotencyKey.findMany();
    expect(keys).toEqual([expect.objectContaining({ status: 'COMPLETED', responseStatus: 201 })]);
  });
});

describe('a customer cancel racing an admin status change', () => {
  let admin: TestUser;
  let buyer: TestUser;

  beforeEach(async () => {
    admin = await registerAdmin(ctx);
    [buyer] = await registerMany(ctx, 1);
  });

  /**
   * Orders `rounds` orders of one product (2 units each), brings each to `from`, then fires the customer's cancel
   * and the admin's change to `to` at once for every order. Neither side ever gets a 5xx; a loser gets its 422.
   */
  async function race(from: OrderStatus, to: OrderStatus, rounds: number) {
    const product = await createProduct(ctx, { stock: 2 * rounds });
    const orders = [];
    for (let i = 0; i < rounds; i++) {
      const order = await orderItems(ctx, buyer, [{ productId: product.id, quantity: 2 }]);
      await moveOrderTo(ctx, admin, order.id, from);
      orders.push(order);
    }
    const outcomes = await Promise.all(
      orders.map(async (order) => {
        const [cancelled, changed] = await Promise.all([
          cancelOrder(ctx, buyer, order.id, { reason: 'changed my mind' }),
          patchOrderStatus(ctx, admin, order.id, { status: to, note: 'admin' }),
        ]);
        return { orderId: order.id, cancelled: failureText(cancelled), changed: failureText(changed) };
      }),
    );
    for (const outcome of outcomes) {
      expect(outcome.cancelled).toMatch(/^(200 |422 .*"code":"ORDER_CANNOT_CANCEL")/);
      expect(outcome.changed).toMatch(/^(200 |422 .*"code":"INVALID_STATUS_TRANSITION")/);
    }
    return { product, outcomes };
  }

  /**
   * The order's history is one unbroken chain from placement to its current status, with at most one CANCELLED
   * row; returns that chain's statuses.
   */
  async function consistentHistory(orderId: string): Promise<string[]> {
    const order = await ctx.container.prisma.order.findUniqueOrThrow({ where: { id: orderId } });
    const history = await ctx.container.prisma.orderStatusHistory.findMany({
      where: { orderId },
      orderBy: { id: 'asc' },
    });
    history.forEach((row, i) => expect(row.fromStatus).toBe(i === 0 ? null : history[i - 1].toStatus));
    expect(history.at(-1)!.toStatus).toBe(order.status);
    expect(history.filter((row) => row.toStatus === 'CANCELLED').length).toBeLessThanOrEqual(1);
    expect(order.cancelledAt !== null).toBe(order.status === 'CANCELLED');
    return history.map((row) => row.toStatus);
  }

  test('from PAID, cancel vs → PROCESSING (10 orders): cancel after PROCESSING is still allowed, never lost', async () => {
    const { product, outcomes } = await race('PAID', 'PROCESSING', 10);
    let cancelled = 0;
    for (const { orderId, cancelled: cancelReply, changed } of outcomes) {
      const chain = await consistentHistory(orderId);
      // PROCESSING is cancellable, so the customer's cancel always wins, before or after the admin's change.
      expect(cancelReply).toMatch(/^200 /);
      if (changed.startsWith('200')) expect(chain).toEqual(['PENDING', 'PAID', 'PROCESSING', 'CANCELLED']);
      else expect(chain).toEqual(['PENDING', 'PAID', 'CANCELLED']);
      cancelled += 1;
    }
    expect(await stockOf(ctx, product.id)).toBe(2 * cancelled);
    expect(
      await ctx.container.prisma.outboxEvent.count({ where: { type: 'payment.refund-requested' } }),
    ).toBe(cancelled);
  });

  test('from PROCESSING, cancel vs → SHIPPED (10 orders): exactly one wins; stock restored once per cancel', async () => {
    const { product, outcomes } = await race('PROCESSING', 'SHIPPED', 10);
    let cancelled = 0;
    for (const { orderId, cancelled: cancelReply, changed } of outcomes) {
      expect([cancelReply.slice(0, 3), changed.slice(0, 3)].sort()).toEqual(['200', '422']);
      const chain = await consistentHistory(orderId);
      if (cancelReply.startsWith('200')) {
        cancelled += 1;
        expect(chain).toEqual(['PENDING', 'PAID', 'PROCESSING', 'CANCELLED']);
      } else {
        expect(chain).toEqual(['PENDING', 'PAID', 'PROCESSING', 'SHIPPED']);
      }
    }
    expect(await stockOf(ctx, product.id)).toBe(2 * cancelled);
    expect(
      await ctx.container.prisma.outboxEvent.count({ where: { type: 'payment.refund-requested' } }),
    ).toBe(cancelled);
  });

  test('from PENDING, cancel vs admin → CANCELLED (10 orders): one wins, cancelled and restocked once', async () => {
    const { product, outcomes } = await race('PENDING', 'CANCELLED', 10);
    for (const { orderId, cancelled, changed } of outcomes) {
      expect([cancelled.slice(0, 3), changed.slice(0, 3)].sort()).toEqual(['200', '422']);
      expect(await consistentHistory(orderId)).toEqual(['PENDING', 'CANCELLED']);
    }
    expect(await stockOf(ctx, product.id)).toBe(20);
  });
});

describe('the expiry sweep run twice at once', () => {
  test('each old unpaid order is cancelled and restocked exactly once', async () => {
    const product = await createProduct(ctx, { stock: 30 });
    const buyers = await registerMany(ctx, 3);
    const old: string[] = [];
    for (let i = 0; i < 12; i++) {
      old.push((await orderItems(ctx, buyers[i % 3], [{ productId: product.id, quantity: 2 }])).id);
    }
    const fresh = await orderItems(ctx, buyers[0], [{ productId: product.id, quantity: 1 }]);
    expect(await stockOf(ctx, product.id)).toBe(5);
    await ctx.container.prisma.$executeRaw`
      UPDATE orders SET created_at = created_at - interval '2 hours' WHERE id = ANY(${old}::uuid[])`;

    const { orders } = ctx.container.services;
    // Small batches, so the two sweeps interleave over several transactions.
    const results = await Promise.all([
      orders.expireUnpaidOrders(jobContext('expiry-1'), { batchSize: 3 }),
      orders.expireUnpaidOrders(jobContext('expiry-2'), { batchSize: 3 }),
    ]);

    expect(results[0].cancelled + results[1].cancelled).toBe(12);
    const rows = await ctx.container.prisma.$queryRaw<
      Array<{ id: string; status: string; cancelled: bigint }>
    >`
      SELECT o.id, o.status::text AS status,
             (SELECT count(*) FROM order_status_history h
               WHERE h.order_id = o.id AND h.to_status = 'CANCELLED')::bigint AS cancelled
        FROM orders o`;
    for (const row of rows) {
      if (row.id === fresh.id) expect(row).toEqual({ id: fresh.id, status: 'PENDING', cancelled: 0n });
      else expect(row).toEqual({ id: row.id, status: 'CANCELLED', cancelled: 1n });
    }
    expect(rows).toHaveLength(13);
    expect(await stockOf(ctx, product.id)).toBe(29);
  });
});
