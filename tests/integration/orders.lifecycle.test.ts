import request from 'supertest';
import {
  API,
  auditActions,
  bearer,
  expectError,
  register,
  registerAdmin,
  type TestUser,
} from '../helpers/auth';
import { createProduct } from '../helpers/catalogue-fixtures';
import { SHIPPING_ADDRESS as address } from '../helpers/orders';
import { createTestContext, type TestContext } from '../helpers/test-app';
import { jobContext } from '../../src/common/request-context';

let ctx: TestContext;
let buyer: TestUser;
let admin: TestUser;

async function placeOrder(user: TestUser, productId: number, quantity = 2) {
  const res = await request(ctx.app)
    .post(`${API}/orders`)
    .set(bearer(user.token))
    .send({ shippingAddress: address, items: [{ productId, quantity }] });
  if (res.status !== 201) throw new Error(`order failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { id: string; orderNumber: string };
}

const patchStatus = (id: string, body: object, user = admin) =>
  request(ctx.app).patch(`${API}/orders/${id}/status`).set(bearer(user.token)).send(body);
const cancel = (id: string, user = buyer, body: object = {}) =>
  request(ctx.app).post(`${API}/orders/${id}/cancel`).set(bearer(user.token)).send(body);
const stockOf = async (id: number) =>
  (await ctx.container.prisma.product.findUniqueOrThrow({ where: { id } })).stock;
const outbox = (type: string) =>
  ctx.container.prisma.outboxEvent.findMany({ where: { type }, orderBy: { id: 'asc' } });

beforeAll(async () => {
  ctx = await createTestContext();
});

beforeEach(async () => {
  await ctx.reset();
  buyer = await register(ctx.app);
  admin = await registerAdmin(ctx);
});

afterAll(async () => {
  await ctx.close();
});

describe('customer cancel', () => {
  it('cancels a PENDING order, restocks in the same transaction and requests no refund', async () => {
    const product = await createProduct(ctx, { stock: 5 });
    const order = await placeOrder(buyer, product.id);
    expect(await stockOf(product.id)).toBe(3);
    const res = await cancel(order.id, buyer, { reason: 'Changed my mind' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'CANCELLED', cancelReason: 'Changed my mind' });
    expect(res.body.data.cancelledAt).toEqual(expect.any(String));
    expect(await stockOf(product.id)).toBe(5);
    expect(await outbox('payment.refund-requested')).toHaveLength(0);
    const history = await ctx.container.prisma.orderStatusHistory.findMany({
      where: { orderId: order.id },
      orderBy: { id: 'asc' },
    });
    expect(history.map((h) => [h.fromStatus, h.toStatus, h.changedById])).toEqual([
      [null, 'PENDING', buyer.id],
      ['PENDING', 'CANCELLED', buyer.id],
    ]);
    const mails = (await outbox('email.send')).map(
      (row) => row.payload as { template: string; data: { status?: string } },
    );
    expect(mails.filter((m) => m.template === 'order-status-changed')).toEqual([]);
    expect(mails.filter((m) => m.template === 'order-cancelled')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ orderId: order.id, reason: 'Changed my mind', refundDue: false }),
      }),
    ]);
  });

  it.each(['PAID', 'PROCESSING'] as const)(
    'cancels a %s order and writes a refund-request outbox row',
    async (status) => {
      const product = await createProduct(ctx, { stock: 5 });
      const order = await placeOrder(buyer, product.id);
      expect((await patchStatus(order.id, { status: 'PAID' })).status).toBe(200);
      if (status === 'PROCESSING')
        expect((await patchStatus(order.id, { status: 'PROCESSING' })).status).toBe(200);
      expect((await cancel(order.id, buyer, { reason: 'Too slow' })).status).toBe(200);
      expect(await stockOf(product.id)).toBe(5);
      const refunds = await outbox('payment.refund-requested');
      expect(refunds).toHaveLength(1);
      expect(refunds[0]).toMatchObject({
        aggregateType: 'order',
        aggregateId: order.id,
        payload: { orderId: order.id, reason: 'Too slow' },
      });
    },
  );

  it('refuses to cancel a SHIPPED or already cancelled order with 422 ORDER_CANNOT_CANCEL', async () => {
    const product = await createProduct(ctx, { stock: 5 });
    const order = await placeOrder(buyer, product.id);
    for (const status of ['PAID', 'PROCESSING', 'SHIPPED'])
      expect((await patchStatus(order.id, { status })).status).toBe(200);
    expectError(await cancel(order.id), 422, 'ORDER_CANNOT_CANCEL');
    const other = await placeOrder(buyer, product.id, 1);
    expect((await cancel(other.id)).status).toBe(200);
    expectError(await cancel(other.id), 422, 'ORDER_CANNOT_CANCEL');
    expect(await stockOf(product.id)).toBe(3);
  });

  it("answers 404 for another user's order on every route", async () => {
    const product = await createProduct(ctx, { stock: 5 });
    const order = await placeOrder(buyer, product.id);
    const stranger = await register(ctx.app);
    expectError(await cancel(order.id, stranger), 404, 'ORDER_NOT_FOUND');
    expectError(
      await request(ctx.app).get(`${API}/orders/${order.id}`).set(bearer(stranger.token)),
      404,
      'ORDER_NOT_FOUND',
    );
    expectError(
      await request(ctx.app).get(`${API}/orders/${order.id}/tracking`).set(bearer(stranger.token)),
      404,
      'ORDER_NOT_FOUND',
    );
    expectError(await cancel('7b7c5a3e-0000-4000-8000-000000000000'), 404, 'ORDER_NOT_FOUND');
    expect(await stockOf(product.id)).toBe(3);
  });
});

describe('admin status changes', () => {
  it('walks the happy path with tracking data, history, mails and audit rows', async () => {
    const product = await createProduct(ctx, { stock: 5 });
    const order = await placeOrder(buyer, product.id);
    expect((await patchStatus(order.id, { status: 'PAID' })).body.data.paidAt).toEqual(expect.any(String));
    expect((await patchStatus(order.id, { status: 'PROCESSING', note: 'Packing' })).status).toBe(200);
    const shipped = await patchStatus(order.id, {
      status: 'SHIPPED',
      carrier: 'DHL',
      trackingNumber: 'JD0123',
      estimatedDelivery: '2026-12-24T12:00:00Z',
    });
    expect(shipped.status).toBe(200);
    expect(shipped.body.data).toMatchObject({
      status: 'SHIPPED',
      carrier: 'DHL',
      trackingNumber: 'JD0123',
      estimatedDelivery: '2026-12-24T12:00:00.000Z',
    });
    expect((await patchStatus(order.id, { status: 'DELIVERED' })).status).toBe(200);

    const tracking = await request(ctx.app)
      .get(`${API}/orders/${order.id}/tracking`)
      .set(bearer(buyer.token));
    expect(tracking.status).toBe(200);
    expect(tracking.body.data).toMatchObject({
      orderId: order.id,
      status: 'DELIVERED',
      carrier: 'DHL',
      trackingNumber: 'JD0123',
    });
    expect(
      tracking.body.data.events.map((e: { status: string; note: string | null }) => [e.status, e.note]),
    ).toEqual([
      ['PENDING', 'Order placed'],
      ['PAID', null],
      ['PROCESSING', 'Packing'],
      ['SHIPPED', null],
      ['DELIVERED', null],
    ]);
    const mails = (await outbox('email.send')).map(
      (row) => row.payload as { template: string; data: { status?: string; trackingNumber?: string } },
    );
    const statusMails = mails.filter((m) => m.template === 'order-status-changed');
    expect(mails.filter((m) => m.template === 'payment-received')).toHaveLength(1);
    expect(statusMails.map((m) => m.data.status)).toEqual(['PROCESSING', 'SHIPPED', 'DELIVERED']);
    expect(statusMails[1].data.trackingNumber).toBe('JD0123');
    expect(
      (await auditActions(ctx, { actorId: admin.id, entityId: order.id })).filter(
        (a) => a === 'order.status-changed',
      ),
    ).toHaveLength(4);
  });

  it('refuses transitions outside the table with 422 INVALID_STATUS_TRANSITION and changes nothing', async () => {
    const product = await createProduct(ctx, { stock: 5 });
    const order = await placeOrder(buyer, product.id);
    for (const status of ['SHIPPED', 'DELIVERED', 'REFUNDED', 'PENDING', 'PROCESSING']) {
      expectError(await patchStatus(order.id, { status }), 422, 'INVALID_STATUS_TRANSITION');
    }
    const row = await ctx.container.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(row.status).toBe('PENDING');
    expect(await ctx.container.prisma.orderStatusHistory.count({ where: { orderId: order.id } })).toBe(1);
  });

  it('cancels with the cancel effects (restock) and is admin-only', async () => {
    const product = await createProduct(ctx, { stock: 5 });
    const order = await placeOrder(buyer, product.id);
    expectError(await patchStatus(order.id, { status: 'PAID' }, buyer), 403, 'FORBIDDEN');
    expect((await patchStatus(order.id, { status: 'CANCELLED', note: 'Fraud check' })).body.data.status).toBe(
      'CANCELLED',
    );
    expect(await stockOf(product.id)).toBe(5);
    expectError(await patchStatus(order.id, { status: 'LOST' }), 400, 'VALIDATION_ERROR');
    expectError(
      await patchStatus(order.id, { status: 'SHIPPED', estimatedDelivery: 'soon' }),
      400,
      'VALIDATION_ERROR',
    );
    expectError(
      await patchStatus('7b7c5a3e-0000-4000-8000-000000000000', { status: 'PAID' }),
      404,
      'ORDER_NOT_FOUND',
    );
  });
});

describe('admin list', () => {
  it('lists every order with status, userId and date filters', async () => {
    const product = await createProduct(ctx, { stock: 50 });
    const other = await register(ctx.app);
    const a = await placeOrder(buyer, product.id, 1);
    const b = await placeOrder(other, product.id, 1);
    await patchStatus(b.id, { status: 'PAID' });
    const list = (query: string, user = admin) =>
      request(ctx.app).get(`${API}/orders/admin/all${query}`).set(bearer(user.token));
    expect((await list('')).body.data.total).toBe(2);
    expect((await list(`?userId=${buyer.id}`)).body.data.orders.map((o: { id: string }) => o.id)).toEqual([
      a.id,
    ]);
    expect((await list('?status=PAID')).body.data.orders.map((o: { id: string }) => o.id)).toEqual([b.id]);
    expect((await list('?from=2000-01-01&to=2000-12-31')).body.data.total).toBe(0);
    expect((await list(`?from=${new Date(Date.now() - 3_600_000).toISOString()}`)).body.data.total).toBe(2);
    expectError(await list('?from=yesterday'), 400, 'VALIDATION_ERROR');
    expectError(await list('', buyer), 403, 'FORBIDDEN');
  });
});

describe('OrderService for payments', () => {
  it('markPaid applies once and never moves an order backwards', async () => {
    const product = await createProduct(ctx, { stock: 5 });
    const order = await placeOrder(buyer, product.id);
    const { orders } = ctx.container.services;
    const context = jobContext('test');
    expect(await ctx.container.prisma.$transaction((tx) => orders.markPaid(context, tx, order.id))).toEqual({
      applied: true,
    });
    expect(await ctx.container.prisma.$transaction((tx) => orders.markPaid(context, tx, order.id))).toEqual({
      applied: false,
    });
    expect((await cancel(order.id)).status).toBe(200);
    expect(await ctx.container.prisma.$transaction((tx) => orders.markPaid(context, tx, order.id))).toEqual({
      applied: false,
    });
    const row = await ctx.container.prisma.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(row.status).toBe('CANCELLED');
  });

  it('markRefunded restocks when asked, only from PAID/PROCESSING/DELIVERED', async () => {
    const product = await createProduct(ctx, { stock: 5 });
    const pending = await placeOrder(buyer, product.id);
    const { orders } = ctx.container.services;
    const context = jobContext('test');
    const refund = (id: string, restock: boolean) =>
      ctx.container.prisma.$transaction((tx) =>
        orders.markRefunded(context, tx, id, { restock, note: 'refund' }),
      );
    expect(await refund(pending.id, true)).toEqual({ applied: false });
    await patchStatus(pending.id, { status: 'PAID' });
    expect(await refund(pending.id, true)).toEqual({ applied: true });
    expect(await stockOf(product.id)).toBe(5);
    expect(await refund(pending.id, true)).toEqual({ applied: false });
    expect(await stockOf(product.id)).toBe(5);
    const kept = await placeOrder(buyer, product.id);
    await patchStatus(kept.id, { status: 'PAID' });
    expect(await refund(kept.id, false)).toEqual({ applied: true });
    expect(await stockOf(product.id)).toBe(3);
  });

  it('expireUnpaidOrders cancels and restocks old PENDING orders, skipping paid ones and fresh ones', async () => {
    const product = await createProduct(ctx, { stock: 10 });
    const old = await placeOrder(buyer, product.id, 1);
    const paidAtProvider = await placeOrder(buyer, product.id, 1);
    const fresh = await placeOrder(buyer, product.id, 1);
    const past = new Date(Date.now() - 31 * 60_000);
    await ctx.container.prisma.order.updateMany({
      where: { id: { in: [old.id, paidAtProvider.id] } },
      data: { createdAt: past },
    });
    const service = ctx.container.services.orders;
    const asked: string[][] = [];
    service.setPendingPaymentCheck({
      settleBeforeExpiry: async (ids: string[]) => {
        asked.push(ids);
        return new Set([paidAtProvider.id]);
      },
    });
    expect(await service.expireUnpaidOrders(jobContext('expiry'))).toEqual({ cancelled: 1 });
    service.setPendingPaymentCheck(undefined);
    expect(asked[0]).toEqual(expect.arrayContaining([old.id, paidAtProvider.id]));
    const rows = await ctx.container.prisma.order.findMany({
      where: { id: { in: [old.id, paidAtProvider.id, fresh.id] } },
    });
    const status = Object.fromEntries(rows.map((r) => [r.id, r.status]));
    expect(status).toEqual({ [old.id]: 'CANCELLED', [paidAtProvider.id]: 'PENDING', [fresh.id]: 'PENDING' });
    expect(await stockOf(product.id)).toBe(8);
  });
});
