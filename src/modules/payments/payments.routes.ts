import express from 'express';
import { z } from 'zod';
import { ApiRouter } from '../../middleware/api-router';
import type { RouterDeps } from '../../middleware/router-deps';
import { PaymentController } from './payments.controller';
import {
  createIntentBody,
  orderPaymentParams,
  paymentIdParams,
  paymentIntentSchema,
  paymentSchema,
  refundBody,
  refundResultSchema,
  webhookResultSchema,
} from './payments.schemas';
import type { PaymentService } from './payments.service';

/** Where Stripe posts events (under /api/v1): the one path whose body is kept raw for the signature check. */
export const PAYMENT_WEBHOOK_PATH = '/payments/webhook';

/** The webhook's body parser, mounted on PAYMENT_WEBHOOK_PATH before the app's JSON parser: any content type. */
export function webhookBodyParser(limit: string): express.RequestHandler {
  return express.raw({ type: () => true, limit });
}

/** The Stripe webhook: not behind the per-IP rate limit (Stripe delivers bursts), authenticated by its signature. */
export function paymentWebhookRoutes({ docs, guards }: RouterDeps, payments: PaymentService): ApiRouter {
  const api = new ApiRouter(docs, guards, '/payments', 'Payments');
  const controller = new PaymentController(payments);
  api.post(
    '/webhook',
    {
      summary: 'Stripe webhook',
      description:
        'Raw body signed by Stripe (`Stripe-Signature`, verified with STRIPE_WEBHOOK_SECRET and a timestamp ' +
        'tolerance; otherwise 400 INVALID_SIGNATURE; 503 when no secret is configured). Handles ' +
        'payment_intent.succeeded (order → PAID, mail), payment_intent.payment_failed, payment_intent.processing, ' +
        'payment_intent.canceled and charge.refunded; other types are acknowledged and ignored. Each event id is ' +
        'applied once: a replay answers `{ received: true, duplicate: true }`.',
      headers: z.object({ 'stripe-signature': z.string() }),
      response: webhookResultSchema,
      errors: [503],
    },
    controller.webhook,
  );
  return api;
}

export function paymentRoutes({ docs, guards }: RouterDeps, payments: PaymentService): ApiRouter {
  const api = new ApiRouter(docs, guards, '/payments', 'Payments');
  const controller = new PaymentController(payments);
  const unconfigured = 'Without STRIPE_SECRET_KEY: 503 SERVICE_UNAVAILABLE.';

  api.post(
    '/create-intent',
    {
      summary: 'Create (or get again) the Stripe payment intent of your order',
      description:
        'Amount and currency come from the order. One intent per order: repeated and parallel calls return the ' +
        `same one. 404 ORDER_NOT_FOUND (not yours), 422 ORDER_NOT_PAYABLE (not PENDING), 502 PAYMENT_PROVIDER_ERROR. ${unconfigured}`,
      auth: 'user',
      body: createIntentBody,
      response: paymentIntentSchema,
      errors: [404, 422, 502, 503],
    },
    controller.createIntent,
  );

  api.get(
    '/order/:orderId',
    {
      summary: 'The payment of one of your orders (an admin: any order)',
      description:
        '404 ORDER_NOT_FOUND for an order that is not yours, PAYMENT_NOT_FOUND when none was started.',
      auth: 'user',
      params: orderPaymentParams,
      response: paymentSchema,
      errors: [404],
    },
    controller.getForOrder,
  );

  api.post(
    '/:paymentId/refund',
    {
      summary: 'Refund a payment, fully or partly (admin)',
      description:
        '`amount` (default: all that is left), `restock` puts the items back (once). The refunds of a payment ' +
        'never add up to more than was paid: 422 REFUND_EXCEEDS_REMAINING; 422 PAYMENT_NOT_REFUNDABLE when ' +
        `nothing was captured. Fully refunded → order REFUNDED. Audited. ${unconfigured}`,
      auth: 'admin',
      params: paymentIdParams,
      body: refundBody,
      response: refundResultSchema,
      errors: [404, 422, 502, 503],
    },
    controller.refund,
  );

  return api;
}
