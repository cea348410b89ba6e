import { createLogger } from '../../src/lib/logger';
import {
  paymentIntentIdempotencyKey,
  STRIPE_API_VERSION,
  StripeGateway,
  type StripeGatewayConfig,
} from '../../src/lib/stripe';
import { signedEvent, sign, startFakeStripe, webhookSecret, type FakeStripe } from '../helpers/fake-stripe';

const orderId = '5b0c9d0e-1f2a-4b3c-8d4e-5f6a7b8c9d0e';

describe('StripeGateway against a local Stripe-compatible server', () => {
  let fake: FakeStripe;
  const secret = webhookSecret();
  const logged: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'silent', pretty: false, service: 'test' });
  logger.error = ((message: string, meta: Record<string, unknown>) => {
    logged.push({ message, ...meta });
    return logger;
  }) as typeof logger.error;

  const config = (overrides: Partial<StripeGatewayConfig> = {}): StripeGatewayConfig => ({
    STRIPE_SECRET_KEY: fake.secretKey,
    STRIPE_WEBHOOK_SECRET: secret,
    STRIPE_API_HOST: fake.host,
    STRIPE_API_PORT: fake.port,
    STRIPE_API_PROTOCOL: 'http',
    STRIPE_TIMEOUT_MS: 5000,
    STRIPE_MAX_NETWORK_RETRIES: 0,
    STRIPE_WEBHOOK_TOLERANCE_SECONDS: 300,
    ...overrides,
  });

  beforeAll(async () => {
    fake = await startFakeStripe();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    logged.length = 0;
  });

  it('creates an intent with the pinned API version, the order id in metadata and a key derived from the order', async () => {
    const gateway = new StripeGateway(config(), logger);
    const intent = await gateway.createPaymentIntent({ orderId, amount: 2599, currency: 'USD', attempt: 1 });

    expect(intent).toMatchObject({ amount: 2599, currency: 'usd', status: 'requires_payment_method' });
    expect(intent.client_secret).toMatch(/^pi_\w+_secret_/);
    expect(intent.metadata.orderId).toBe(orderId);
    const [request] = fake.calls('POST /v1/payment_intents');
    expect(request.stripeVersion).toBe(STRIPE_API_VERSION);
    expect(request.idempotencyKey).toBe(paymentIntentIdempotencyKey(orderId, 1));
    expect(request.body).toMatchObject({
      amount: '2599',
      currency: 'usd',
      automatic_payment_methods: { enabled: 'true' },
      metadata: { orderId },
    });
  });

  it('returns the same intent for repeated and parallel creates of one order', async () => {
    const gateway = new StripeGateway(config(), logger);
    fake.setDelay(50);
    const intents = await Promise.all(
      Array.from({ length: 5 }, () =>
        gateway.createPaymentIntent({ orderId, amount: 1000, currency: 'usd', attempt: 1 }),
      ),
    );
    expect(new Set(intents.map((i) => i.id)).size).toBe(1);
    expect(fake.intents.size).toBe(1);
  });

  it('retrieves, cancels and refunds (the refund with the caller’s idempotency key, once)', async () => {
    const gateway = new StripeGateway(config(), logger);
    const intent = await gateway.createPaymentIntent({ orderId, amount: 5000, currency: 'eur', attempt: 1 });
    fake.setIntentStatus(intent.id, 'succeeded');
    expect((await gateway.retrievePaymentIntent(intent.id)).status).toBe('succeeded');

    const refund = { paymentIntentId: intent.id, amount: 2000, idempotencyKey: 'refund-r1' };
    const first = await gateway.createRefund(refund);
    const again = await gateway.createRefund(refund);
    expect(again.id).toBe(first.id);
    expect(fake.refunds.size).toBe(1);
    expect(fake.calls('POST /v1/refunds')[0].body).toMatchObject({
      payment_intent: intent.id,
      amount: '2000',
    });

    const other = await gateway.createPaymentIntent({ orderId, amount: 5000, currency: 'eur', attempt: 2 });
    expect(other.id).not.toBe(intent.id);
    expect((await gateway.cancelPaymentIntent(other.id)).status).toBe('canceled');
  });

  it('turns a Stripe failure into 502 PAYMENT_PROVIDER_ERROR without Stripe’s message, logging its request id', async () => {
    const gateway = new StripeGateway(config(), logger);
    fake.failNext(1, {
      status: 402,
      type: 'card_error',
      code: 'card_declined',
      message: 'SECRET stripe detail',
    });
    const failure = gateway.createPaymentIntent({ orderId, amount: 1000, currency: 'usd', attempt: 1 });
    await expect(failure).rejects.toMatchObject({ status: 502, code: 'PAYMENT_PROVIDER_ERROR' });
    await expect(failure).rejects.not.toThrow(/SECRET/);
    expect(logged).toEqual([
      expect.objectContaining({
        message: 'stripe request failed',
        operation: 'paymentIntents.create',
        stripeRequestId: expect.stringMatching(/^req_/),
        stripeCode: 'card_declined',
      }),
    ]);
  });

  it('maps an unreachable Stripe to 502 too', async () => {
    const gateway = new StripeGateway(config({ STRIPE_API_PORT: 1 }), logger);
    await expect(gateway.retrievePaymentIntent('pi_x')).rejects.toMatchObject({ status: 502 });
  });

  it('without STRIPE_SECRET_KEY refuses calls with 503 naming the variable', async () => {
    const gateway = new StripeGateway(config({ STRIPE_SECRET_KEY: undefined }), logger);
    expect(gateway.configured).toBe(false);
    await expect(gateway.retrievePaymentIntent('pi_x')).rejects.toMatchObject({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: expect.stringContaining('STRIPE_SECRET_KEY'),
    });
    expect(fake.requests).toHaveLength(0);
  });

  describe('webhook signatures', () => {
    const gateway = () => new StripeGateway(config(), logger);

    it('accepts an event signed with the endpoint secret', () => {
      const webhook = signedEvent(secret, 'payment_intent.succeeded', {
        id: 'pi_1',
        object: 'payment_intent',
      });
      const event = gateway().constructWebhookEvent(Buffer.from(webhook.payload), webhook.signature);
      expect(event).toMatchObject({ id: webhook.event.id, type: 'payment_intent.succeeded' });
    });

    it.each([
      ['missing', () => undefined],
      ['of another secret', (payload: string) => sign(webhookSecret(), payload)],
      [
        'older than the tolerance',
        (payload: string) => sign(secret, payload, Math.floor(Date.now() / 1000) - 301),
      ],
      ['garbage', () => 't=1,v1=nothex'],
    ])('refuses a signature %s with 400 INVALID_SIGNATURE', (_name, signatureOf) => {
      const webhook = signedEvent(secret, 'payment_intent.succeeded', { id: 'pi_1' });
      expect(() =>
        gateway().constructWebhookEvent(Buffer.from(webhook.payload), signatureOf(webhook.payload)),
      ).toThrow(expect.objectContaining({ status: 400, code: 'INVALID_SIGNATURE' }));
    });

    it('refuses a body changed after signing', () => {
      const webhook = signedEvent(secret, 'payment_intent.succeeded', { id: 'pi_1', amount: 100 });
      const tampered = webhook.payload.replace('"amount":100', '"amount":1');
      expect(() => gateway().constructWebhookEvent(Buffer.from(tampered), webhook.signature)).toThrow(
        expect.objectContaining({ code: 'INVALID_SIGNATURE' }),
      );
    });

    it('answers 503 without STRIPE_WEBHOOK_SECRET', () => {
      const webhook = signedEvent(secret, 'payment_intent.succeeded', { id: 'pi_1' });
      const unconfigured = new StripeGateway(config({ STRIPE_WEBHOOK_SECRET: undefined }), logger);
      expect(() =>
        unconfigured.constructWebhookEvent(Buffer.from(webhook.payload), webhook.signature),
      ).toThrow(
        expect.objectContaining({ status: 503, message: expect.stringContaining('STRIPE_WEBHOOK_SECRET') }),
      );
    });
  });
});
