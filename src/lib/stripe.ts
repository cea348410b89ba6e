import Stripe from 'stripe';
import { AppError, PaymentProviderError, ServiceUnavailableError } from '../common/errors';
import type { Logger } from './logger';

/**
 * The Stripe API version this code is written against: the one place it is set. The SDK's types describe exactly
 * this version (`Stripe.LatestApiVersion`); upgrading the `stripe` package means reading Stripe's changelog and
 * moving this constant with it.
 */
export const STRIPE_API_VERSION: Stripe.LatestApiVersion = '2026-10-28.endive';

export interface StripeGatewayConfig {
  STRIPE_SECRET_KEY?: string;
  STRIPE_WEBHOOK_SECRET?: string;
  STRIPE_API_HOST?: string;
  STRIPE_API_PORT?: number;
  STRIPE_API_PROTOCOL?: 'http' | 'https';
  STRIPE_TIMEOUT_MS: number;
  STRIPE_MAX_NETWORK_RETRIES: number;
  STRIPE_WEBHOOK_TOLERANCE_SECONDS: number;
}

export type PaymentIntent = Stripe.PaymentIntent;
export type StripeRefund = Stripe.Refund;
export type StripeEvent = Stripe.Event;

export interface CreatePaymentIntentInput {
  orderId: string;
  /** Minor units (cents), from the order. */
  amount: number;
  /** ISO 4217, any case (Stripe wants lower case). */
  currency: string;
  /** Changes when a new intent is needed for the same order (the previous one was canceled). */
  attempt: number;
  description?: string;
  metadata?: Record<string, string>;
}

export interface CreateRefundInput {
  paymentIntentId: string;
  /** Minor units. */
  amount: number;
  /** Required: a retried refund must never refund twice. Derive it from the refund row's id. */
  idempotencyKey: string;
  reason?: Stripe.RefundCreateParams.Reason;
  metadata?: Record<string, string>;
}

/** The Stripe idempotency key of an order's n-th payment intent: a repeat or parallel create returns the same one. */
export function paymentIntentIdempotencyKey(orderId: string, attempt: number): string {
  return `order-${orderId}-payment-intent-${attempt}`;
}

export class InvalidSignatureError extends AppError {
  constructor(
    message = 'The Stripe-Signature header is missing, malformed, too old or does not match the body',
  ) {
    super(400, 'INVALID_SIGNATURE', message);
  }
}

/**
 * Every call the shop makes to Stripe. Created from config once (container.ts); without STRIPE_SECRET_KEY it exists
 * but refuses every call with 503, so the rest of the shop runs without payments configured.
 *
 * Stripe's error messages are for the developer, not the shopper: a failed call is logged with Stripe's request id
 * and answered 502 PAYMENT_PROVIDER_ERROR with a message of our own.
 */
export class StripeGateway {
  private readonly client: Stripe | undefined;

  constructor(
    private readonly config: StripeGatewayConfig,
    private readonly logger: Logger,
  ) {
    this.client = config.STRIPE_SECRET_KEY
      ? new Stripe(config.STRIPE_SECRET_KEY, {
          apiVersion: STRIPE_API_VERSION,
          typescript: true,
          host: config.STRIPE_API_HOST,
          port: config.STRIPE_API_PORT,
          protocol: config.STRIPE_API_PROTOCOL,
          timeout: config.STRIPE_TIMEOUT_MS,
          // Network failures are retried by the SDK with the same idempotency key, so never twice in effect.
          maxNetworkRetries: config.STRIPE_MAX_NETWORK_RETRIES,
          telemetry: false,
          appInfo: { name: 'ecommerce-api' },
        })
      : undefined;
  }

  get configured(): boolean {
    return this.client !== undefined;
  }

  /** 503 SERVICE_UNAVAILABLE naming the variable to set, before anything else happens. */
  assertConfigured(): Stripe {
    if (!this.client) {
      throw new ServiceUnavailableError(
        'Payments are not configured: set STRIPE_SECRET_KEY to take card payments',
      );
    }
    return this.client;
  }

  async createPaymentIntent(input: CreatePaymentIntentInput): Promise<PaymentIntent> {
    const stripe = this.assertConfigured();
    return this.call('paymentIntents.create', () =>
      stripe.paymentIntents.create(
        {
          amount: input.amount,
          currency: input.currency.toLowerCase(),
          automatic_payment_methods: { enabled: true },
          description: input.description,
          metadata: { ...input.metadata, orderId: input.orderId },
        },
        { idempotencyKey: paymentIntentIdempotencyKey(input.orderId, input.attempt) },
      ),
    );
  }

  async retrievePaymentIntent(paymentIntentId: string): Promise<PaymentIntent> {
    const stripe = this.assertConfigured();
    return this.call('paymentIntents.retrieve', () => stripe.paymentIntents.retrieve(paymentIntentId));
  }

  async cancelPaymentIntent(paymentIntentId: string): Promise<PaymentIntent> {
    const stripe = this.assertConfigured();
    return this.call('paymentIntents.cancel', () =>
      stripe.paymentIntents.cancel(paymentIntentId, {}, { idempotencyKey: `cancel-${paymentIntentId}` }),
    );
  }

  async createRefund(input: CreateRefundInput): Promise<StripeRefund> {
    const stripe = this.assertConfigured();
    return this.call('refunds.create', () =>
      stripe.refunds.create(
        {
          payment_intent: input.paymentIntentId,
          amount: input.amount,
          reason: input.reason,
          metadata: input.metadata,
        },
        { idempotencyKey: input.idempotencyKey },
      ),
    );
  }

  /**
   * Verifies a webhook with the SDK (HMAC over the exact bytes received, timestamp within the tolerance) and parses
   * it. 503 without STRIPE_WEBHOOK_SECRET: Stripe retries until the endpoint is configured.
   */
  constructWebhookEvent(rawBody: Buffer | string, signature: string | string[] | undefined): StripeEvent {
    const secret = this.config.STRIPE_WEBHOOK_SECRET;
    if (!secret) {
      throw new ServiceUnavailableError('Stripe webhooks are not configured: set STRIPE_WEBHOOK_SECRET');
    }
    if (typeof signature !== 'string' || signature.length === 0) {
      throw new InvalidSignatureError('The Stripe-Signature header is missing');
    }
    try {
      return Stripe.webhooks.constructEvent(
        rawBody,
        signature,
        secret,
        this.config.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
      );
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) throw new InvalidSignatureError();
      // A body that verifies but is not JSON: still not an event we accept.
      if (error instanceof SyntaxError)
        throw new InvalidSignatureError('The webhook body is not a Stripe event');
      throw error;
    }
  }

  private async call<T>(operation: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof Stripe.errors.StripeError) {
        this.logger.error('stripe request failed', {
          operation,
          stripeRequestId: error.requestId,
          stripeType: error.type,
          stripeCode: error.code,
          statusCode: error.statusCode,
          stripeMessage: error.message,
        });
        throw new PaymentProviderError();
      }
      throw error;
    }
  }
}
