import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startBackgroundJobs, type BackgroundJobs } from '../../src/modules/notifications/background-jobs';
import { API, bearer, expectError, register, registerAdmin, type TestUser } from '../helpers/auth';
import { addToCart } from '../helpers/cart';
import { createProduct } from '../helpers/catalogue-fixtures';
import { signedEvent, startFakeStripe, webhookSecret, type FakeStripe } from '../helpers/fake-stripe';
import { SHIPPING_ADDRESS } from '../helpers/orders';
import { createIntent, intentEvent, placeOrder, postWebhook } from '../helpers/payments';
import { sentTo, startSmtpCapture, type CapturedMail, type SmtpCapture } from '../helpers/smtp-capture';
import { createTestContext, type TestContext } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

jest.setTimeout(60_000);

const STOREFRONT_URL = 'https://shop.example.test';
const MAIL_ENV = {
  STOREFRONT_URL,
  SHOP_NAME: 'Flow Test Shop',
  SUPPORT_EMAIL: 'care@flow.example.test',
  LOW_STOCK_THRESHOLD: '5',
};
const secret = webhookSecret();

let fake: FakeStripe;
let smtp: SmtpCapture;
/** The shop with Stripe (the fake) and the background jobs delivering to the SMTP capture. */
let ctx: TestContext;
/** The same shop and database without STRIPE_SECRET_KEY: payments are 503, admins mark orders paid by hand. */
let noStripe: TestContext;
let jobs: BackgroundJobs;

beforeAll(async () => {
  [fake, smtp] = await Promise.all([startFakeStripe(), startSmtpCapture()]);
  noStripe = await createTestContext(MAIL_ENV);
  // Created last: creating a context empties the shared test database, which nothing may do after this.
  ctx = await createTestContext({
    ...fake.env,
    ...MAIL_ENV,
    STRIPE_WEBHOOK_SECRET: secret,
    STRIPE_MAX_NETWORK_RETRIES: '0',
    SMTP_HOST: smtp.host,
    SMTP_PORT: String(smtp.port),
    OUTBOX_POLL_INTERVAL_MS: '50',
    EMAIL_JOB_BACKOFF_MS: '100',
  });
  jobs = startBackgroundJobs(ctx.container.jobDeps);
});

afterAll(async () => {
  await jobs?.stop();
  await Promise.all([ctx?.close(), noStripe?.close()]);
  await Promise.all([smtp?.close(), fake?.close()]);
});

const db = () => ctx.container.prisma;

/** Every committed outbox row relayed and every e-mail job finished: nothing more is on its way. */
async function drained(): Promise<void> {
  await waitFor(
    async () => {
      const inFlight = await db().outboxEvent.count({ where: { status: { in: ['PENDING', 'PUBLISHED'] } } });
      if (inFlight > 0) return false;
      for (const queue of Object.values(jobs.queues)) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (!Object.values(counts).every((count) => count === 0)) return false;
      }
      return true;
    },
    30_000,
    50,
  );
}

const mails = (to: string, subject: string): CapturedMail[] =>
  smtp.find((mail) => sentTo(to)(mail) && mail.subject.includes(subject));

const money = (major: number) => `$${major.toFixed(2)}`;

async function orderItems(app: TestContext['app'], user: TestUser, productId: number, quantity: number) {
  return request(app)
    .post(`${API}/orders`)
    .set(bearer(user.token))
    .send({ shippingAddress: SHIPPING_ADDRESS, items: [{ productId, quantity }] });
}

const patchStatus = (app: TestContext['app'], admin: TestUser, orderId: string, body: object) =>
  request(app).patch(`${API}/orders/${orderId}/status`).set(bearer(admin.token)).send(body);

/** An order paid through the real flow: intent over HTTP, then Stripe's signed success webhook. */
async function paidOrder(buyer: TestUser) {
  const { order } = await placeOrder(ctx, buyer, { price: '25.00', quantity: 2 });
  const intent = await createIntent(ctx, buyer, order.id);
  expect(intent.status).toBe(200);
  const { paymentId, paymentIntentId } = intent.body.data as { paymentId: string; paymentIntentId: string };
  const paid = await postWebhook(ctx, intentEvent(fake, secret, 'payment_intent.succeeded', paymentIntentId));
  expect(paid.status).toBe(200);
  return { order, paymentId, paymentIntentId };
}

describe('the pay flow end to end', () => {
  it('cart → order → intent → signed webhook → PAID → exactly one confirmation and one payment mail, whatever Stripe replays', async () => {
    const buyer = await register(ctx.app, { firstName: 'Grace' });
    const product = await createProduct(ctx, { title: 'Walnut Desk Lamp', price: '25.00', stock: 50 });
    expect((await addToCart(ctx.app, { user: buyer }, product.id, 2)).status).toBe(200);

    // The order from the cart; the same Idempotency-Key again returns it and creates nothing (nor a second mail).
    const key = randomUUID();
    const place = () =>
      request(ctx.app)
        .post(`${API}/orders`)
        .set(bearer(buyer.token))
        .set('Idempotency-Key', key)
        .send({ shippingAddress: SHIPPING_ADDRESS });
    const placed = await place();
    expect(placed.status).toBe(201);
    const order = placed.body.data as { id: string; orderNumber: string; total: number; status: string };
    expect(order).toMatchObject({ status: 'PENDING', total: 63.99 }); // 50.00 + 9.99 shipping + 4.00 tax
    const replayed = await place();
    expect(replayed.status).toBe(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body.data.id).toBe(order.id);

    const intent = await createIntent(ctx, buyer, order.id);
    expect(intent.status).toBe(200);
    expect(intent.body.data).toMatchObject({ amount: 63.99, currency: 'USD' });
    const { paymentIntentId } = intent.body.data as { paymentIntentId: string };

    // Stripe delivers the success five times at once: one applies, the others are duplicates.
    const webhook = intentEvent(fake, secret, 'payment_intent.succeeded', paymentIntentId);
    const deliveries = await Promise.all(Array.from({ length: 5 }, () => postWebhook(ctx, webhook)));
    expect(deliveries.map((res) => res.status)).toEqual(Array(5).fill(200));
    expect(deliveries.filter((res) => res.body.data.duplicate !== true)).toHaveLength(1);

    const shown = await request(ctx.app).get(`${API}/orders/${order.id}`).set(bearer(buyer.token));
    expect(shown.body.data.status).toBe('PAID');

    await drained();
    const confirmations = mails(buyer.email, `we received your order ${order.orderNumber}`);
    const payments = mails(buyer.email, `payment received for order ${order.orderNumber}`);
    expect(confirmations).toHaveLength(1);
    expect(payments).toHaveLength(1);
    expect(mails(buyer.email, order.orderNumber)).toHaveLength(2);

    const [confirmation] = confirmations;
    expect(confirmation.text).toContain('Hi Grace,');
    expect(confirmation.text).toContain('2 × Walnut Desk Lamp — $50.00');
    expect(confirmation.text).toContain('Shipping: $9.99');
    expect(confirmation.text).toContain('Tax: $4.00');
    expect(confirmation.text).toContain('Total: $63.99');
    expect(confirmation.text).toContain(`${STOREFRONT_URL}/orders/${order.id}`);
    expect(confirmation.text).toContain('— Flow Test Shop');
    expect(confirmation.html).toContain('href="mailto:care@flow.example.test"');
    expect(payments[0].text).toContain(`We received your payment of $63.99 for order ${order.orderNumber}.`);
    expect(payments[0].html).toContain('$63.99');

    // Later: a replay of the same event, and another event id for the same success (Stripe may send both).
    const replay = await postWebhook(ctx, webhook);
    expect(replay.body.data).toEqual({ received: true, duplicate: true });
    const again = await postWebhook(
      ctx,
      intentEvent(fake, secret, 'payment_intent.succeeded', paymentIntentId),
    );
    expect(again.body.data).toEqual({ received: true });

    await drained();
    expect(mails(buyer.email, `we received your order ${order.orderNumber}`)).toHaveLength(1);
    expect(mails(buyer.email, `payment received for order ${order.orderNumber}`)).toHaveLength(1);
    const history = await db().orderStatusHistory.findMany({ where: { orderId: order.id } });
    expect(history.map((row) => row.toStatus).sort()).toEqual(['PAID', 'PENDING']);
  });
});

describe('the manual payment path', () => {
  it('without a Stripe key payments answer 503; an admin marks the order PAID; fulfilment mails follow, one each', async () => {
    const buyer = await register(noStripe.app);
    const admin = await registerAdmin(noStripe);
    const { order } = await placeOrder(noStripe, buyer, { price: '12.50', quantity: 2 });

    const refused = expectError(await createIntent(noStripe, buyer, order.id), 503, 'SERVICE_UNAVAILABLE');
    expect(refused.message).toContain('STRIPE_SECRET_KEY');

    const paid = await patchStatus(noStripe.app, admin, order.id, { status: 'PAID', note: 'Bank transfer' });
    expect(paid.status).toBe(200);
    expect(paid.body.data).toMatchObject({ status: 'PAID', paidAt: expect.any(String) });
    expectError(
      await patchStatus(noStripe.app, admin, order.id, { status: 'PAID' }),
      422,
      'INVALID_STATUS_TRANSITION',
    );

    expect((await patchStatus(noStripe.app, admin, order.id, { status: 'PROCESSING' })).status).toBe(200);
    const shipped = await patchStatus(noStripe.app, admin, order.id, {
      status: 'SHIPPED',
      carrier: 'UPS',
      trackingNumber: '1Z999AA10123456784',
    });
    expect(shipped.status).toBe(200);
    expect((await patchStatus(noStripe.app, admin, order.id, { status: 'DELIVERED' })).status).toBe(200);

    await drained();
    const n = order.orderNumber;
    const payment = mails(buyer.email, `payment received for order ${n}`);
    expect(payment).toHaveLength(1);
    expect(payment[0].text).toContain(`payment of ${money(order.total)}`);
    expect(mails(buyer.email, `order ${n} is being prepared`)).toHaveLength(1);
    const shippedMails = mails(buyer.email, `order ${n} is on its way`);
    expect(shippedMails).toHaveLength(1);
    expect(shippedMails[0].text).toContain('Carrier: UPS');
    expect(shippedMails[0].text).toContain('Tracking number: 1Z999AA10123456784');
    expect(shippedMails[0].html).toContain(`href="${STOREFRONT_URL}/orders/${order.id}/tracking"`);
    expect(mails(buyer.email, `order ${n} is delivered`)).toHaveLength(1);
    // The order's mails: the confirmation at placement and the four above, nothing twice.
    expect(mails(buyer.email, n)).toHaveLength(5);
  });
});

describe('cancellation and refund mails', () => {
  it('a cancelled order’s mail carries the reason; a paid one’s says the refund is on its way', async () => {
    const buyer = await register(ctx.app);
    const { order: unpaid } = await placeOrder(ctx, buyer);
    const { order: paid } = await paidOrder(buyer);
    const cancel = (orderId: string, reason: string) =>
      request(ctx.app).post(`${API}/orders/${orderId}/cancel`).set(bearer(buyer.token)).send({ reason });
    expect((await cancel(unpaid.id, 'Ordered the wrong size')).status).toBe(200);
    expect((await cancel(paid.id, 'Found it cheaper <elsewhere>')).status).toBe(200);

    await drained();
    const [unpaidMail, ...moreUnpaid] = mails(buyer.email, `order ${unpaid.orderNumber} was cancelled`);
    expect(moreUnpaid).toHaveLength(0);
    expect(unpaidMail.text).toContain('Reason: Ordered the wrong size');
    expect(unpaidMail.text).toContain('You have not been charged');
    const [paidMail, ...morePaid] = mails(buyer.email, `order ${paid.orderNumber} was cancelled`);
    expect(morePaid).toHaveLength(0);
    expect(paidMail.text).toContain('Reason: Found it cheaper <elsewhere>');
    expect(paidMail.html).toContain('Reason: Found it cheaper &lt;elsewhere&gt;');
    expect(paidMail.text).toContain(`Your refund of ${money(paid.total)} is on its way`);
  });

  it('refunds mail each refunded amount once: partial, then full, with Stripe’s charge.refunded in between', async () => {
    const buyer = await register(ctx.app);
    const admin = await registerAdmin(ctx);
    const { order, paymentId, paymentIntentId } = await paidOrder(buyer);
    const refund = (body: object) =>
      request(ctx.app).post(`${API}/payments/${paymentId}/refund`).set(bearer(admin.token)).send(body);
    const chargeRefunded = () =>
      postWebhook(ctx, signedEvent(secret, 'charge.refunded', fake.chargeFor(paymentIntentId)));

    expect((await refund({ amount: 10, reason: 'Scratched' })).status).toBe(200);
    expect((await chargeRefunded()).status).toBe(200);
    expect((await refund({})).status).toBe(200);
    expect((await chargeRefunded()).status).toBe(200);
    expect((await db().order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('REFUNDED');

    await drained();
    const partial = mails(buyer.email, `partial refund for order ${order.orderNumber}`);
    expect(partial).toHaveLength(1);
    expect(partial[0].text).toContain('We refunded $10.00 of order');
    expect(partial[0].text).toContain('Reason: Scratched');
    const full = mails(buyer.email, `order ${order.orderNumber} refunded`);
    expect(full).toHaveLength(1);
    expect(full[0].text).toContain(`We refunded ${money(order.total - 10)} for order ${order.orderNumber}`);
    expect(full[0].text).toContain('refunded in full');
  });
});

describe('low-stock alerts', () => {
  it('parallel orders that take a product below LOW_STOCK_THRESHOLD alert every active admin exactly once', async () => {
    const [first, second, retired] = await Promise.all([
      registerAdmin(ctx),
      registerAdmin(ctx),
      registerAdmin(ctx),
    ]);
    await db().user.update({ where: { id: retired.id }, data: { isActive: false } });
    const buyers = await Promise.all(Array.from({ length: 6 }, () => register(ctx.app)));
    const product = await createProduct(ctx, { title: 'Copper Kettle', price: '10.00', stock: 8 });

    // 8 → 2, one unit per order, all at once: exactly one of them takes the stock from 5 to 4.
    const placed = await Promise.all(buyers.map((buyer) => orderItems(ctx.app, buyer, product.id, 1)));
    expect(placed.map((res) => res.status)).toEqual(Array(6).fill(201));
    expect((await db().product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(2);

    await drained();
    const alerts = (to: string) => mails(to, 'low stock for Copper Kettle');
    for (const admin of [first, second]) {
      const received = alerts(admin.email);
      expect(received).toHaveLength(1);
      expect(received[0].text).toContain('below the alert threshold of 5');
      expect(received[0].text).toContain(`${STOREFRONT_URL}/admin/products/${product.id}`);
    }
    expect(alerts(retired.email)).toHaveLength(0);
    const activeAdmins = await db().user.count({ where: { role: 'ADMIN', isActive: true, deletedAt: null } });
    const rows = (await db().outboxEvent.findMany({ where: { type: 'email.send' } })).filter((row) => {
      const payload = row.payload as { template: string; data: { productId?: number } };
      return payload.template === 'low-stock' && payload.data.productId === product.id;
    });
    expect(rows).toHaveLength(activeAdmins);
    expect(alerts(first.email)[0].subject).toBe('Flow Test Shop: low stock for Copper Kettle (4 left)');
  });

  it('an admin stock change that crosses the threshold alerts; changes that do not cross stay quiet', async () => {
    const admin = await registerAdmin(ctx);
    const product = await createProduct(ctx, { title: 'Oak Stool', stock: 20 });
    const adjust = (body: object) =>
      request(ctx.app).patch(`${API}/products/${product.id}/stock`).set(bearer(admin.token)).send(body);

    expect((await adjust({ delta: -15 })).body.data.stock).toBe(5); // 20 → 5: not below 5
    expect((await adjust({ stock: 3 })).body.data.stock).toBe(3); // 5 → 3: crosses
    expect((await adjust({ delta: -1 })).body.data.stock).toBe(2); // already below
    expect((await adjust({ stock: 12 })).body.data.stock).toBe(12); // back above: re-armed
    expect((await adjust({ delta: -12 })).body.data.stock).toBe(0); // crosses again

    await drained();
    const received = mails(admin.email, 'low stock for Oak Stool');
    expect(received.map((mail) => mail.subject)).toEqual([
      'Flow Test Shop: low stock for Oak Stool (3 left)',
      'Flow Test Shop: low stock for Oak Stool (0 left)',
    ]);
  });
});
