import request from 'supertest';
import { API, bearer, expectError, register, registerAdmin, type TestUser } from '../helpers/auth';
import { signedEvent, sign, startFakeStripe, webhookSecret, type FakeStripe } from '../helpers/fake-stripe';
import { createIntent, intentEvent, placeOrder, postWebhook } from '../helpers/payments';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;
let fake: FakeStripe;
let buyer: TestUser;
let admin: TestUser;
const secret = webhookSecret();

beforeAll(async () => {
  fake = await startFakeStripe();
  ctx = await createTestContext({
    ...fake.env,
    STRIPE_WEBHOOK_SECRET: secret,
    STRIPE_MAX_NETWORK_RETRIES: '0',
    PAYMENT_RECONCILE_MINUTES: '10',
  });
});

beforeEach(async () => {
  await ctx.reset();
  fake.reset();
  [buyer, admin] = await Promise.all([register(ctx.app), registerAdmin(ctx)]);
});

afterAll(async () => {
  await ctx?.close();
  await fake?.close();
});

const db = () => ctx.container.prisma;
const orderOf = (id: string) => db().order.findUniqueOrThrow({ where: { id } });
const paymentOf = (orderId: string) =>
  db().payment.findFirstOrThrow({ where: { orderId }, include: { refunds: true } });
const historyOf = (orderId: string) =>
  db().orderStatusHistory.findMany({ where: { orderId }, orderBy: { id: 'asc' } });
const paidMails = async (orderId: string) =>
  (await db().outboxEvent.findMany({ where: { type: 'email.send' } })).filter((row) => {
    const payload = row.payload as { template: string; data: { orderId?: string } };
    return payload.template === 'payment-received' && payload.data.orderId === orderId;
  });
const audits = (action: string) => db().auditLog.findMany({ where: { action } });

/** An order with its intent created through HTTP. */
async function orderWithIntent(options?: Parameters<typeof placeOrder>[2]) {
  const { order, product } = await placeOrder(ctx, buyer, options);
  const res = await createIntent(ctx, buyer, order.id);
  expect(res.status).toBe(200);
  return { order, product, intent: res.body.data as { paymentId: string; paymentIntentId: string } };
}

async function paidOrder(options?: Parameters<typeof placeOrder>[2]) {
  const setup = await orderWithIntent(options);
  const res = await postWebhook(
    ctx,
    intentEvent(fake, secret, 'payment_intent.succeeded', setup.intent.paymentIntentId),
  );
  expect(res.status).toBe(200);
  expect((await orderOf(setup.order.id)).status).toBe('PAID');
  return setup;
}

describe('POST /payments/create-intent', () => {
  it('creates the intent from the order’s amount and currency, with the order id in metadata', async () => {
    const { order } = await placeOrder(ctx, buyer, { price: '25.00', quantity: 2 });
    const res = await createIntent(ctx, buyer, order.id);

    expect(res.status).toBe(200);
    const data = res.body.data;
    expect(data).toMatchObject({ amount: order.total, currency: 'USD', status: 'REQUIRES_PAYMENT' });
    const intent = fake.intents.get(data.paymentIntentId)!;
    expect(intent.amount).toBe(Math.round(order.total * 100));
    expect(intent.currency).toBe('usd');
    expect(intent.metadata.orderId).toBe(order.id);
    expect(data.clientSecret).toBe(intent.client_secret);
    expect(fake.calls('POST /v1/payment_intents')[0].idempotencyKey).toContain(order.id);
  });

  it('ignores an amount sent by the client: Stripe is asked for the order’s total', async () => {
    const { order } = await placeOrder(ctx, buyer);
    const res = await request(ctx.app)
      .post(`${API}/payments/create-intent`)
      .set(bearer(buyer.token))
      .send({ orderId: order.id, amount: 1, currency: 'JPY' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ amount: order.total, currency: 'USD' });
    expect(fake.calls('POST /v1/payment_intents')[0].body).toMatchObject({
      amount: String(Math.round(order.total * 100)),
      currency: 'usd',
    });
  });

  it('returns the same intent when asked again', async () => {
    const { order, intent } = await orderWithIntent();
    const again = await createIntent(ctx, buyer, order.id);
    expect(again.body.data.paymentIntentId).toBe(intent.paymentIntentId);
    expect(fake.intents.size).toBe(1);
  });

  it('10 parallel calls for one order make one intent and one payment row', async () => {
    const { order } = await placeOrder(ctx, buyer);
    fake.setDelay(30);
    const responses = await Promise.all(Array.from({ length: 10 }, () => createIntent(ctx, buyer, order.id)));

    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    const intentIds = new Set(responses.map((r) => r.body.data.paymentIntentId));
    const secrets = new Set(responses.map((r) => r.body.data.clientSecret));
    expect(intentIds.size).toBe(1);
    expect(secrets.size).toBe(1);
    expect(fake.intents.size).toBe(1);
    expect(fake.calls('POST /v1/payment_intents')).toHaveLength(1);
    const keys = new Set(fake.requests.filter((r) => r.method === 'POST').map((r) => r.idempotencyKey));
    expect(keys.size).toBe(1);
    const rows = await db().payment.findMany({ where: { orderId: order.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0].providerPaymentId).toBe([...intentIds][0]);
  });

  it('another customer’s order is 404; an order that is not pending is 422', async () => {
    const { order } = await placeOrder(ctx, buyer);
    const stranger = await register(ctx.app);
    expectError(await createIntent(ctx, stranger, order.id), 404, 'ORDER_NOT_FOUND');
    await db().order.update({ where: { id: order.id }, data: { status: 'CANCELLED' } });
    expectError(await createIntent(ctx, buyer, order.id), 422, 'ORDER_NOT_PAYABLE');
    expect(fake.requests).toHaveLength(0);
  });

  it('a Stripe failure is 502 PAYMENT_PROVIDER_ERROR without Stripe’s message; the next call succeeds', async () => {
    const { order } = await placeOrder(ctx, buyer);
    fake.failNext(1, { status: 500, type: 'api_error', message: 'Internal detail sk_live_leak' });
    const failed = await createIntent(ctx, buyer, order.id);
    expectError(failed, 502, 'PAYMENT_PROVIDER_ERROR');
    expect(JSON.stringify(failed.body)).not.toContain('leak');

    const retried = await createIntent(ctx, buyer, order.id);
    expect(retried.status).toBe(200);
    expect(fake.intents.size).toBe(1);
  });

  it('after Stripe canceled the intent, a pending order gets a new one', async () => {
    const { order, intent } = await orderWithIntent();
    await postWebhook(ctx, intentEvent(fake, secret, 'payment_intent.canceled', intent.paymentIntentId));
    expect((await paymentOf(order.id)).status).toBe('CANCELED');

    const again = await createIntent(ctx, buyer, order.id);
    expect(again.status).toBe(200);
    expect(again.body.data.paymentIntentId).not.toBe(intent.paymentIntentId);
    expect(again.body.data.paymentId).toBe(intent.paymentId);
    expect(fake.intents.size).toBe(2);
  });
});

describe('GET /payments/order/:orderId', () => {
  it('shows the owner their payment; others get 404', async () => {
    const { order, intent } = await orderWithIntent();
    const own = await request(ctx.app).get(`${API}/payments/order/${order.id}`).set(bearer(buyer.token));
    expect(own.status).toBe(200);
    expect(own.body.data).toMatchObject({
      id: intent.paymentId,
      orderId: order.id,
      status: 'REQUIRES_PAYMENT',
    });

    const stranger = await register(ctx.app);
    const other = await request(ctx.app).get(`${API}/payments/order/${order.id}`).set(bearer(stranger.token));
    expectError(other, 404, 'ORDER_NOT_FOUND');
    const bad = await request(ctx.app).get(`${API}/payments/order/not-a-uuid`).set(bearer(buyer.token));
    expectError(bad, 400, 'VALIDATION_ERROR');
  });

  it('404 PAYMENT_NOT_FOUND before an intent was created', async () => {
    const { order } = await placeOrder(ctx, buyer);
    const res = await request(ctx.app).get(`${API}/payments/order/${order.id}`).set(bearer(buyer.token));
    expectError(res, 404, 'PAYMENT_NOT_FOUND');
  });
});

describe('POST /payments/webhook', () => {
  it('payment_intent.succeeded marks the order PAID once, with history and one status mail', async () => {
    const { order, intent } = await orderWithIntent();
    const res = await postWebhook(
      ctx,
      intentEvent(fake, secret, 'payment_intent.succeeded', intent.paymentIntentId),
    );

    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ received: true });
    const paid = await orderOf(order.id);
    expect(paid.status).toBe('PAID');
    expect(paid.paidAt).not.toBeNull();
    expect((await paymentOf(order.id)).status).toBe('SUCCEEDED');
    expect((await historyOf(order.id)).map((h) => h.toStatus)).toEqual(['PENDING', 'PAID']);
    expect(await paidMails(order.id)).toHaveLength(1);
  });

  it('a replayed event answers duplicate and changes nothing', async () => {
    const { order, intent } = await orderWithIntent();
    const webhook = intentEvent(fake, secret, 'payment_intent.succeeded', intent.paymentIntentId);
    await postWebhook(ctx, webhook);
    const replay = await postWebhook(ctx, {
      payload: webhook.payload,
      signature: sign(secret, webhook.payload),
    });

    expect(replay.status).toBe(200);
    expect(replay.body.data).toEqual({ received: true, duplicate: true });
    expect(await historyOf(order.id)).toHaveLength(2);
    expect(await paidMails(order.id)).toHaveLength(1);
  });

  it('10 concurrent deliveries of one event apply it once', async () => {
    const { order, intent } = await orderWithIntent();
    const webhook = intentEvent(fake, secret, 'payment_intent.succeeded', intent.paymentIntentId);
    const responses = await Promise.all(Array.from({ length: 10 }, () => postWebhook(ctx, webhook)));

    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(responses.filter((r) => r.body.data.duplicate === true)).toHaveLength(9);
    expect(await historyOf(order.id)).toHaveLength(2);
    expect(await paidMails(order.id)).toHaveLength(1);
  });

  it('two different events of one success (a resend) apply it once', async () => {
    const { order, intent } = await orderWithIntent();
    const first = intentEvent(fake, secret, 'payment_intent.succeeded', intent.paymentIntentId);
    const second = intentEvent(fake, secret, 'payment_intent.succeeded', intent.paymentIntentId);
    const responses = await Promise.all([postWebhook(ctx, first), postWebhook(ctx, second)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    expect(await historyOf(order.id)).toHaveLength(2);
    expect(await paidMails(order.id)).toHaveLength(1);
  });

  it('late or out-of-order events never move a paid order backwards', async () => {
    const { order, intent } = await orderWithIntent();
    const failedSnapshot = structuredClone(
      fake.setIntentStatus(intent.paymentIntentId, 'requires_payment_method'),
    );
    const canceledSnapshot = { ...failedSnapshot, status: 'canceled' };
    await postWebhook(ctx, intentEvent(fake, secret, 'payment_intent.succeeded', intent.paymentIntentId));

    for (const [type, object] of [
      ['payment_intent.payment_failed', failedSnapshot],
      ['payment_intent.canceled', canceledSnapshot],
      ['payment_intent.processing', { ...failedSnapshot, status: 'processing' }],
    ] as const) {
      const res = await postWebhook(ctx, signedEvent(secret, type, object));
      expect(res.status).toBe(200);
    }
    expect((await orderOf(order.id)).status).toBe('PAID');
    expect((await paymentOf(order.id)).status).toBe('SUCCEEDED');
    expect(await historyOf(order.id)).toHaveLength(2);
  });

  it('payment_failed is recorded and the order stays payable with the same intent', async () => {
    const { order, intent } = await orderWithIntent();
    const res = await postWebhook(
      ctx,
      intentEvent(fake, secret, 'payment_intent.payment_failed', intent.paymentIntentId),
    );
    expect(res.status).toBe(200);
    const payment = await paymentOf(order.id);
    expect(payment.status).toBe('FAILED');
    expect(payment.failureReason).toContain('card_declined');
    expect((await orderOf(order.id)).status).toBe('PENDING');

    const again = await createIntent(ctx, buyer, order.id);
    expect(again.body.data.paymentIntentId).toBe(intent.paymentIntentId);
    await postWebhook(ctx, intentEvent(fake, secret, 'payment_intent.succeeded', intent.paymentIntentId));
    expect((await orderOf(order.id)).status).toBe('PAID');
  });

  it('an amount or currency different from the order is not marked paid, is audited, and answered 200', async () => {
    const { order, intent } = await orderWithIntent();
    const short = intentEvent(fake, secret, 'payment_intent.succeeded', intent.paymentIntentId, {
      amountReceived: Math.round(order.total * 100) - 1,
    });
    const res = await postWebhook(ctx, short);
    expect(res.status).toBe(200);

    const euro = signedEvent(secret, 'payment_intent.succeeded', {
      ...structuredClone(fake.intents.get(intent.paymentIntentId)!),
      amount_received: Math.round(order.total * 100),
      currency: 'eur',
    });
    expect((await postWebhook(ctx, euro)).status).toBe(200);

    expect((await orderOf(order.id)).status).toBe('PENDING');
    const payment = await paymentOf(order.id);
    expect(payment.status).not.toBe('SUCCEEDED');
    expect(payment.failureReason).toContain('mismatch');
    expect(await audits('payment.amount_mismatch')).toHaveLength(2);
    expect(await paidMails(order.id)).toHaveLength(0);
  });

  it.each([
    ['missing', () => undefined],
    ['signed with another secret', (payload: string) => sign(webhookSecret(), payload)],
    ['too old', (payload: string) => sign(secret, payload, Math.floor(Date.now() / 1000) - 3600)],
  ])('a signature %s → 400 INVALID_SIGNATURE and nothing changes', async (_name, signatureOf) => {
    const { order, intent } = await orderWithIntent();
    const webhook = intentEvent(fake, secret, 'payment_intent.succeeded', intent.paymentIntentId);
    const res = await postWebhook(ctx, {
      payload: webhook.payload,
      signature: signatureOf(webhook.payload) ?? '',
    });
    expectError(res, 400, 'INVALID_SIGNATURE');
    expect((await orderOf(order.id)).status).toBe('PENDING');
    expect(await db().processedWebhookEvent.count()).toBe(0);
  });

  it('a body that is not JSON with a valid signature is refused, not a 500', async () => {
    const payload = 'not json';
    const res = await postWebhook(ctx, { payload, signature: sign(secret, payload) });
    expectError(res, 400, 'INVALID_SIGNATURE');
  });

  it('an unknown event type is acknowledged and ignored; an unknown intent is acknowledged', async () => {
    const ignored = await postWebhook(ctx, signedEvent(secret, 'customer.created', { id: 'cus_1' }));
    expect(ignored.status).toBe(200);
    expect(ignored.body.data).toEqual({ received: true, ignored: true });

    const unknown = await postWebhook(
      ctx,
      signedEvent(secret, 'payment_intent.succeeded', {
        id: 'pi_unknown',
        object: 'payment_intent',
        status: 'succeeded',
      }),
    );
    expect(unknown.status).toBe(200);
    expect(unknown.body.data).toEqual({ received: true });
  });

  it('a failure inside answers 5xx, records nothing, and Stripe’s retry applies the event once', async () => {
    const { order, intent } = await orderWithIntent();
    const webhook = intentEvent(fake, secret, 'payment_intent.succeeded', intent.paymentIntentId);
    await db().$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION test_refuse_order_update() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'database unavailable (test)'; END $$ LANGUAGE plpgsql`);
    await db().$executeRawUnsafe(
      'CREATE TRIGGER test_refuse_order_update BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION test_refuse_order_update()',
    );
    try {
      const failed = await postWebhook(ctx, webhook);
      expect(failed.status).toBeGreaterThanOrEqual(500);
      expect(await db().processedWebhookEvent.count()).toBe(0);
      expect((await paymentOf(order.id)).status).toBe('REQUIRES_PAYMENT');
    } finally {
      await db().$executeRawUnsafe('DROP TRIGGER test_refuse_order_update ON orders');
      await db().$executeRawUnsafe('DROP FUNCTION test_refuse_order_update()');
    }
    const retried = await postWebhook(ctx, webhook);
    expect(retried.body.data).toEqual({ received: true });
    const replayed = await postWebhook(ctx, webhook);
    expect(replayed.body.data).toEqual({ received: true, duplicate: true });
    expect((await orderOf(order.id)).status).toBe('PAID');
    expect(await paidMails(order.id)).toHaveLength(1);
  });
});

describe('POST /payments/:paymentId/refund', () => {
  const refund = (paymentId: string, body: object, user: TestUser = admin) =>
    request(ctx.app).post(`${API}/payments/${paymentId}/refund`).set(bearer(user.token)).send(body);
  const stockOf = async (productId: number) =>
    (await db().product.findUniqueOrThrow({ where: { id: productId } })).stock;

  it('a partial then a full refund without restock: order REFUNDED, stock unchanged', async () => {
    const { order, product, intent } = await paidOrder({ price: '25.00', quantity: 2, stock: 10 });
    const total = Math.round(order.total * 100);

    const partial = await refund(intent.paymentId, { amount: 10 });
    expect(partial.status).toBe(200);
    expect(partial.body.data.refund).toMatchObject({ amount: 10, status: 'SUCCEEDED', restocked: false });
    expect(partial.body.data.payment).toMatchObject({ status: 'PARTIALLY_REFUNDED', amountRefunded: 10 });
    expect((await orderOf(order.id)).status).toBe('PAID');

    const rest = await refund(intent.paymentId, {});
    expect(rest.status).toBe(200);
    expect(rest.body.data.refund.amount).toBe((total - 1000) / 100);
    expect(rest.body.data.payment).toMatchObject({ status: 'REFUNDED', amountRefunded: order.total });
    expect((await orderOf(order.id)).status).toBe('REFUNDED');
    expect(await stockOf(product.id)).toBe(8);

    expect([...fake.refunds.values()].map((r) => r.amount)).toEqual([1000, total - 1000]);
    const keys = fake.calls('POST /v1/refunds').map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(2);
    expect(await audits('payment.refunded')).toHaveLength(2);
  });

  it('with restock: items go back once, even over a partial and a full refund', async () => {
    const { order, product, intent } = await paidOrder({ price: '25.00', quantity: 2, stock: 10 });
    expect(await stockOf(product.id)).toBe(8);

    const partial = await refund(intent.paymentId, { amount: 5, restock: true });
    expect(partial.body.data.refund.restocked).toBe(true);
    expect(await stockOf(product.id)).toBe(10);

    const rest = await refund(intent.paymentId, { restock: true });
    expect(rest.status).toBe(200);
    expect(rest.body.data.refund.restocked).toBe(false);
    expect((await orderOf(order.id)).status).toBe('REFUNDED');
    expect(await stockOf(product.id)).toBe(10);
  });

  it('a full refund with restock puts the items back and refunds the order', async () => {
    const { order, product, intent } = await paidOrder({ price: '25.00', quantity: 3, stock: 10 });
    const res = await refund(intent.paymentId, { restock: true, reason: 'Damaged in transit' });
    expect(res.status).toBe(200);
    expect((await orderOf(order.id)).status).toBe('REFUNDED');
    expect(await stockOf(product.id)).toBe(10);
    expect((await historyOf(order.id)).at(-1)).toMatchObject({
      toStatus: 'REFUNDED',
      note: 'Damaged in transit',
    });
  });

  it('a refund above what is left → 422, and nothing is sent to Stripe', async () => {
    const { order, intent } = await paidOrder();
    await refund(intent.paymentId, { amount: 20 });
    const calls = fake.calls('POST /v1/refunds').length;
    const over = await refund(intent.paymentId, { amount: order.total - 19.99 });
    const body = expectError(over, 422, 'REFUND_EXCEEDS_REMAINING');
    expect(body.details).toEqual({
      requested: order.total - 19.99,
      remaining: Number((order.total - 20).toFixed(2)),
    });
    expect(fake.calls('POST /v1/refunds')).toHaveLength(calls);

    await refund(intent.paymentId, {});
    expectError(await refund(intent.paymentId, { amount: 0.01 }), 422, 'REFUND_EXCEEDS_REMAINING');
  });

  it('parallel refunds never add up to more than was paid', async () => {
    const { order, intent } = await paidOrder({ price: '50.00', quantity: 2 });
    const part = Math.floor(order.total * 40) / 100; // 40 % of the total each: two fit, the rest do not
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => refund(intent.paymentId, { amount: part })),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(2);
    expect(responses.filter((r) => r.status === 422)).toHaveLength(3);
    const payment = await paymentOf(order.id);
    expect(Number(payment.amountRefunded)).toBeCloseTo(part * 2, 2);
    expect([...fake.refunds.values()].reduce((sum, r) => sum + r.amount, 0)).toBe(Math.round(part * 200));
  });

  it('a Stripe refusal is 502 and releases the reserved amount', async () => {
    const { order, intent } = await paidOrder();
    fake.failNext(1, { status: 400, type: 'invalid_request_error', message: 'charge disputed (secret)' });
    const failed = await refund(intent.paymentId, {});
    expectError(failed, 502, 'PAYMENT_PROVIDER_ERROR');
    expect(JSON.stringify(failed.body)).not.toContain('secret');
    expect((await paymentOf(order.id)).refunds.map((r) => r.status)).toEqual(['FAILED']);

    const retried = await refund(intent.paymentId, {});
    expect(retried.status).toBe(200);
    expect((await orderOf(order.id)).status).toBe('REFUNDED');
  });

  it('is for admins only, and only for captured payments', async () => {
    const { intent } = await orderWithIntent();
    expectError(await refund(intent.paymentId, {}, buyer), 403, 'FORBIDDEN');
    expectError(await refund(intent.paymentId, {}), 422, 'PAYMENT_NOT_REFUNDABLE');
    expectError(await refund('00000000-0000-4000-8000-000000000000', {}), 404, 'PAYMENT_NOT_FOUND');
    for (const amount of [1.005, 0, -1, 1e21, '5']) {
      expectError(await refund(intent.paymentId, { amount }), 400, 'VALIDATION_ERROR');
    }
  });

  it('Stripe’s charge.refunded for our own refund changes nothing more', async () => {
    const { order, intent } = await paidOrder();
    await refund(intent.paymentId, { amount: 10 });
    const webhook = signedEvent(secret, 'charge.refunded', fake.chargeFor(intent.paymentIntentId));
    expect((await postWebhook(ctx, webhook)).status).toBe(200);
    const payment = await paymentOf(order.id);
    expect(Number(payment.amountRefunded)).toBe(10);
    expect(payment.status).toBe('PARTIALLY_REFUNDED');
  });

  it('a full refund made in Stripe’s dashboard (charge.refunded) refunds the order', async () => {
    const { order, intent } = await paidOrder();
    const charge = {
      ...fake.chargeFor(intent.paymentIntentId),
      amount_refunded: Math.round(order.total * 100),
    };
    expect((await postWebhook(ctx, signedEvent(secret, 'charge.refunded', charge))).status).toBe(200);
    expect((await paymentOf(order.id)).status).toBe('REFUNDED');
    expect((await orderOf(order.id)).status).toBe('REFUNDED');
  });
});

describe('never cancel a paid order', () => {
  const payments = () => ctx.container.services.payments;

  it('before expiry: an intent that succeeded without a webhook makes the order PAID, and it is kept', async () => {
    const { order, intent } = await orderWithIntent();
    fake.setIntentStatus(intent.paymentIntentId, 'succeeded');

    const keep = await payments().settleBeforeExpiry([order.id]);
    expect([...keep]).toEqual([order.id]);
    expect((await orderOf(order.id)).status).toBe('PAID');
    expect(await paidMails(order.id)).toHaveLength(1);

    // The late webhook finds it applied.
    await postWebhook(ctx, intentEvent(fake, secret, 'payment_intent.succeeded', intent.paymentIntentId));
    expect(await historyOf(order.id)).toHaveLength(2);
  });

  it('before expiry: an unpaid intent is canceled at Stripe first, so it can no longer be paid', async () => {
    const { order, intent } = await orderWithIntent();
    const keep = await payments().settleBeforeExpiry([order.id]);
    expect(keep.size).toBe(0);
    expect(fake.intents.get(intent.paymentIntentId)!.status).toBe('canceled');
    expect((await paymentOf(order.id)).status).toBe('CANCELED');
  });

  it('before expiry: when Stripe cannot be asked, the order is kept', async () => {
    const { order } = await orderWithIntent();
    fake.failNext(3);
    const keep = await payments().settleBeforeExpiry([order.id]);
    expect([...keep]).toEqual([order.id]);
  });

  it('a success that arrives after the order was cancelled is refunded automatically and audited', async () => {
    const { order, intent } = await orderWithIntent();
    await db().order.update({ where: { id: order.id }, data: { status: 'CANCELLED' } });

    const res = await postWebhook(
      ctx,
      intentEvent(fake, secret, 'payment_intent.succeeded', intent.paymentIntentId),
    );
    expect(res.status).toBe(200);
    expect((await orderOf(order.id)).status).toBe('CANCELLED');
    expect(await audits('payment.succeeded_after_cancel')).toHaveLength(1);
    const [requested] = await db().outboxEvent.findMany({ where: { type: 'payment.refund-requested' } });
    expect(requested.payload).toEqual({ orderId: order.id, reason: expect.any(String) });

    // What the jobs worker runs for that outbox row; twice, as an at-least-once queue may.
    const context = { requestId: 'job:test' };
    expect(await payments().handleRefundRequested(context, requested.payload)).toEqual({ refunded: true });
    expect(await payments().handleRefundRequested(context, requested.payload)).toEqual({ refunded: false });
    expect([...fake.refunds.values()].map((r) => r.amount)).toEqual([Math.round(order.total * 100)]);
    expect((await paymentOf(order.id)).status).toBe('REFUNDED');
    expect((await orderOf(order.id)).status).toBe('CANCELLED');
    expect(await audits('payment.refunded')).toHaveLength(1);
  });

  it('a customer cancel of a card-paid order restocks once and refunds the whole payment at Stripe', async () => {
    const { order, product } = await paidOrder();
    expect((await db().product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(8);
    const res = await request(ctx.app)
      .post(`${API}/orders/${order.id}/cancel`)
      .set(bearer(buyer.token))
      .send({ reason: 'Changed my mind' });
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('CANCELLED');
    const [requested] = await db().outboxEvent.findMany({ where: { type: 'payment.refund-requested' } });
    expect(requested.payload).toEqual({ orderId: order.id, reason: 'Changed my mind' });

    // What the jobs worker runs for that outbox row; twice, as an at-least-once queue may.
    const context = { requestId: 'job:test' };
    expect(await payments().handleRefundRequested(context, requested.payload)).toEqual({ refunded: true });
    expect(await payments().handleRefundRequested(context, requested.payload)).toEqual({ refunded: false });
    expect([...fake.refunds.values()].map((r) => r.amount)).toEqual([Math.round(order.total * 100)]);
    expect((await paymentOf(order.id)).status).toBe('REFUNDED');
    expect((await orderOf(order.id)).status).toBe('CANCELLED');
    // Restocked by the cancel only, not again by the refund.
    expect((await db().product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(10);
  });

  it('a refund request for an order paid by hand (no card payment) does nothing', async () => {
    const { order } = await placeOrder(ctx, buyer);
    const result = await payments().handleRefundRequested(
      {},
      { orderId: order.id, reason: 'Customer cancelled' },
    );
    expect(result).toEqual({ refunded: false });
    expect(fake.requests).toHaveLength(0);
  });

  it('reconciliation applies a success whose webhook never came, after PAYMENT_RECONCILE_MINUTES', async () => {
    const { order, intent } = await orderWithIntent();
    fake.setIntentStatus(intent.paymentIntentId, 'succeeded');

    const early = await payments().reconcile({});
    expect(early.checked).toBe(0);
    const later = await payments().reconcile({}, { now: new Date(Date.now() + 11 * 60_000) });
    expect(later).toMatchObject({ checked: 1, paid: 1 });
    expect((await orderOf(order.id)).status).toBe('PAID');
  });

  it('reconciliation cancels the open intent of an order that is no longer payable', async () => {
    const { order, intent } = await orderWithIntent();
    await db().order.update({ where: { id: order.id }, data: { status: 'CANCELLED' } });
    const result = await payments().reconcile({}, { now: new Date(Date.now() + 11 * 60_000) });
    expect(result).toMatchObject({ checked: 1, canceled: 1 });
    expect(fake.intents.get(intent.paymentIntentId)!.status).toBe('canceled');
  });

  it('reconciliation finishes a refund whose process died after reserving it, once', async () => {
    const { order, intent } = await paidOrder();
    const reserved = await db().refund.create({
      data: {
        paymentId: intent.paymentId,
        amount: order.total.toFixed(2),
        status: 'PENDING',
        createdAt: new Date(Date.now() - 10 * 60_000),
      },
    });
    const result = await payments().reconcile({});
    expect(result.refundsCompleted).toBe(1);
    expect((await db().refund.findUniqueOrThrow({ where: { id: reserved.id } })).status).toBe('SUCCEEDED');
    expect((await orderOf(order.id)).status).toBe('REFUNDED');
    expect(fake.refunds.size).toBe(1);
  });
});
