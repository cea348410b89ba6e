import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/**
 * A small Stripe-compatible HTTP server for tests: the endpoints the shop calls (payment intents create / retrieve /
 * cancel, refunds create), form-encoded bodies as the SDK sends them, Stripe's error shape and `Request-Id` header,
 * and `Idempotency-Key` honoured like Stripe (same key + same body → the first response again, also while the first
 * is still running; same key + another body → 400 idempotency_error). Point the SDK at it with STRIPE_API_HOST /
 * STRIPE_API_PORT / STRIPE_API_PROTOCOL (see `env`).
 */

export type IntentStatus = Stripe.PaymentIntent.Status;

export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey?: string;
  stripeVersion?: string;
  body: Record<string, unknown>;
  /** Answered from the idempotency cache instead of being executed again. */
  replayed: boolean;
}

export interface FakeIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: IntentStatus;
  client_secret: string;
  metadata: Record<string, string>;
  latest_charge: string | null;
  description: string | null;
  created: number;
  livemode: false;
  automatic_payment_methods: { enabled: boolean } | null;
  last_payment_error: { code: string; message: string } | null;
  cancellation_reason: string | null;
}

export interface FakeRefund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  charge: string | null;
  status: 'succeeded';
  reason: string | null;
  metadata: Record<string, string>;
  created: number;
}

export interface FakeFailure {
  status?: number;
  type?: string;
  code?: string;
  message?: string;
}

export interface FakeStripe {
  host: string;
  port: number;
  /** The secret key the fake accepts (any `sk_test_…` works; this one is handy). */
  secretKey: string;
  /** STRIPE_* variables pointing the SDK at this server. */
  env: Record<string, string>;
  readonly requests: RecordedRequest[];
  intents: Map<string, FakeIntent>;
  refunds: Map<string, FakeRefund>;
  /** Requests that reached the endpoint (not replays), optionally of one `METHOD /path` pattern prefix. */
  calls(prefix?: string): RecordedRequest[];
  /** Moves an intent to a status; `succeeded` also charges it (latest_charge, amount_received). */
  setIntentStatus(id: string, status: IntentStatus, options?: { amountReceived?: number }): FakeIntent;
  /** The next `times` API calls answer with a Stripe error (500 api_error unless told). */
  failNext(times: number, failure?: FakeFailure): void;
  /** Every following API call waits this long before answering (0 = off). */
  setDelay(ms: number): void;
  /** The charge object Stripe would send in `charge.refunded` for this intent's refunds so far. */
  chargeFor(intentId: string): Record<string, unknown>;
  reset(): void;
  close(): Promise<void>;
}

function randomId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

/** `metadata[orderId]=1&automatic_payment_methods[enabled]=true` → nested object, as Stripe reads its bodies. */
export function parseStripeForm(body: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split(/\[|\]\[|\]/).filter((part) => part !== '');
    let node = result;
    path.forEach((part, index) => {
      if (index === path.length - 1) {
        node[part] = value;
      } else {
        node[part] ??= {};
        node = node[part] as Record<string, unknown>;
      }
    });
  }
  return result;
}

class StripeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

interface Reply {
  status: number;
  body: unknown;
}

export async function startFakeStripe(): Promise<FakeStripe> {
  const requests: RecordedRequest[] = [];
  const intents = new Map<string, FakeIntent>();
  const refunds = new Map<string, FakeRefund>();
  const idempotency = new Map<string, { fingerprint: string; reply: Promise<Reply> }>();
  const failures: FakeFailure[] = [];
  let delayMs = 0;
  const now = () => Math.floor(Date.now() / 1000);

  const refundedAmount = (intentId: string) =>
    [...refunds.values()].filter((r) => r.payment_intent === intentId).reduce((sum, r) => sum + r.amount, 0);

  function intentOf(id: string): FakeIntent {
    const intent = intents.get(id);
    if (!intent) {
      throw new StripeHttpError(
        404,
        'invalid_request_error',
        `No such payment_intent: '${id}'`,
        'resource_missing',
      );
    }
    return intent;
  }

  function setIntentStatus(id: string, status: IntentStatus, options: { amountReceived?: number } = {}) {
    const intent = intentOf(id);
    intent.status = status;
    if (status === 'succeeded') {
      intent.latest_charge ??= randomId('ch');
      intent.amount_received = options.amountReceived ?? intent.amount;
    }
    if (status === 'requires_payment_method') {
      intent.last_payment_error = { code: 'card_declined', message: 'Your card was declined.' };
    }
    return intent;
  }

  function route(method: string, path: string, body: Record<string, unknown>): Reply {
    if (method === 'POST' && path === '/v1/payment_intents') {
      const amount = Number(body.amount);
      if (!Number.isInteger(amount) || amount < 50) {
        throw new StripeHttpError(
          400,
          'invalid_request_error',
          'Amount must be at least 50 cents',
          'amount_too_small',
        );
      }
      if (typeof body.currency !== 'string' || !/^[a-z]{3}$/.test(body.currency)) {
        throw new StripeHttpError(
          400,
          'invalid_request_error',
          'Invalid currency',
          'parameter_invalid_empty',
        );
      }
      const id = randomId('pi');
      const automatic = body.automatic_payment_methods as { enabled?: string } | undefined;
      const intent: FakeIntent = {
        id,
        object: 'payment_intent',
        amount,
        amount_received: 0,
        currency: body.currency,
        status: 'requires_payment_method',
        client_secret: `${id}_secret_${randomBytes(8).toString('hex')}`,
        metadata: (body.metadata as Record<string, string> | undefined) ?? {},
        latest_charge: null,
        description: (body.description as string | undefined) ?? null,
        created: now(),
        livemode: false,
        automatic_payment_methods: automatic ? { enabled: automatic.enabled === 'true' } : null,
        last_payment_error: null,
        cancellation_reason: null,
      };
      intents.set(id, intent);
      return { status: 200, body: intent };
    }
    let match = /^\/v1\/payment_intents\/([^/]+)$/.exec(path);
    if (method === 'GET' && match) return { status: 200, body: intentOf(decodeURIComponent(match[1])) };
    match = /^\/v1\/payment_intents\/([^/]+)\/cancel$/.exec(path);
    if (method === 'POST' && match) {
      const intent = intentOf(decodeURIComponent(match[1]));
      if (intent.status === 'succeeded' || intent.status === 'canceled') {
        throw new StripeHttpError(
          400,
          'invalid_request_error',
          `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`,
          'payment_intent_unexpected_state',
        );
      }
      intent.status = 'canceled';
      intent.cancellation_reason = (body.cancellation_reason as string | undefined) ?? null;
      return { status: 200, body: intent };
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intent = intentOf(String(body.payment_intent));
      if (intent.status !== 'succeeded') {
        throw new StripeHttpError(
          400,
          'invalid_request_error',
          'This PaymentIntent does not have a successful charge to refund.',
          'charge_not_refundable',
        );
      }
      const left = intent.amount_received - refundedAmount(intent.id);
      const amount = body.amount === undefined ? left : Number(body.amount);
      if (!Number.isInteger(amount) || amount <= 0 || amount > left) {
        throw new StripeHttpError(
          400,
          'invalid_request_error',
          `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`,
          left === 0 ? 'charge_already_refunded' : 'amount_too_large',
        );
      }
      const refund: FakeRefund = {
        id: randomId('re'),
        object: 'refund',
        amount,
        currency: intent.currency,
        payment_intent: intent.id,
        charge: intent.latest_charge,
        status: 'succeeded',
        reason: (body.reason as string | undefined) ?? null,
        metadata: (body.metadata as Record<string, string> | undefined) ?? {},
        created: now(),
      };
      refunds.set(refund.id, refund);
      return { status: 200, body: refund };
    }
    throw new StripeHttpError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path})`);
  }

  async function execute(method: string, path: string, body: Record<string, unknown>): Promise<Reply> {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const failure = failures.shift();
    if (failure) {
      throw new StripeHttpError(
        failure.status ?? 500,
        failure.type ?? 'api_error',
        failure.message ?? 'Something went wrong on Stripe (fake failure)',
        failure.code,
      );
    }
    return route(method, path, body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, rawBody: string): Promise<Reply> {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0];
    const body = method === 'GET' ? {} : parseStripeForm(rawBody);
    const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
    const recorded: RecordedRequest = {
      method,
      path,
      idempotencyKey,
      stripeVersion: req.headers['stripe-version'] as string | undefined,
      body,
      replayed: false,
    };
    requests.push(recorded);
    if (!/^Bearer sk_(test|live)_\w+$/.test(req.headers.authorization ?? '')) {
      return {
        status: 401,
        body: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } },
      };
    }
    // A snapshot, as Stripe stores the first response of an idempotent request: a replay shows it unchanged.
    const run = () =>
      execute(method, path, body)
        .then((reply): Reply => ({ status: reply.status, body: structuredClone(reply.body) }))
        .catch((error: unknown): Reply => {
          if (!(error instanceof StripeHttpError)) throw error;
          return {
            status: error.status,
            body: { error: { type: error.type, code: error.code, message: error.message } },
          };
        });
    if (!idempotencyKey || method === 'GET') return run();
    const fingerprint = `${method} ${path} ${rawBody}`;
    const previous = idempotency.get(idempotencyKey);
    if (previous) {
      recorded.replayed = true;
      if (previous.fingerprint !== fingerprint) {
        return {
          status: 400,
          body: {
            error: {
              type: 'idempotency_error',
              message:
                'Keys for idempotent requests can only be used with the same parameters they were first used with.',
            },
          },
        };
      }
      res.setHeader('Idempotent-Replayed', 'true');
      return previous.reply;
    }
    const reply = run();
    idempotency.set(idempotencyKey, { fingerprint, reply });
    // Like Stripe, a 5xx is not saved: the same key may be tried again.
    void reply.then((r) => {
      if (r.status >= 500) idempotency.delete(idempotencyKey);
    });
    return reply;
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8'))
        .then((reply) => {
          res.statusCode = reply.status;
          res.setHeader('Content-Type', 'application/json');
          res.setHeader('Request-Id', randomId('req'));
          // Failures are final: the SDK must not hide an injected failure behind its own retry.
          if (reply.status >= 400) res.setHeader('Stripe-Should-Retry', 'false');
          res.end(JSON.stringify(reply.body));
        })
        .catch((error: unknown) => {
          res.statusCode = 500;
          res.end(JSON.stringify({ error: { type: 'api_error', message: String(error) } }));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const secretKey = `sk_test_fake${randomBytes(8).toString('hex')}`;

  return {
    host: '127.0.0.1',
    port,
    secretKey,
    env: {
      STRIPE_SECRET_KEY: secretKey,
      STRIPE_API_HOST: '127.0.0.1',
      STRIPE_API_PORT: String(port),
      STRIPE_API_PROTOCOL: 'http',
    },
    requests,
    intents,
    refunds,
    calls(prefix) {
      return requests.filter((r) => !r.replayed && (!prefix || `${r.method} ${r.path}`.startsWith(prefix)));
    },
    setIntentStatus,
    failNext(times, failure = {}) {
      for (let i = 0; i < times; i += 1) failures.push(failure);
    },
    setDelay(ms) {
      delayMs = ms;
    },
    chargeFor(intentId) {
      const intent = intentOf(intentId);
      const amountRefunded = refundedAmount(intentId);
      return {
        id: intent.latest_charge,
        object: 'charge',
        amount: intent.amount_received,
        amount_captured: intent.amount_received,
        amount_refunded: amountRefunded,
        refunded: amountRefunded >= intent.amount_received,
        currency: intent.currency,
        payment_intent: intent.id,
        status: 'succeeded',
        metadata: intent.metadata,
        created: intent.created,
      };
    },
    reset() {
      requests.length = 0;
      intents.clear();
      refunds.clear();
      idempotency.clear();
      failures.length = 0;
      delayMs = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export interface SignedWebhook {
  /** The exact bytes to POST (the signature covers them). */
  payload: string;
  /** The `Stripe-Signature` header. */
  signature: string;
  event: Record<string, unknown>;
}

/**
 * A Stripe event around `object`, signed with the SDK's own test helper (`timestamp` in seconds, default now;
 * an old one makes a signature outside the tolerance).
 */
export function signedEvent(
  secret: string,
  type: string,
  object: unknown,
  options: { id?: string; timestamp?: number; created?: number } = {},
): SignedWebhook {
  const event = {
    id: options.id ?? randomId('evt'),
    object: 'event',
    api_version: '2026-10-28.endive',
    created: options.created ?? Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
  const payload = JSON.stringify(event);
  return { payload, event, signature: sign(secret, payload, options.timestamp) };
}

export function sign(secret: string, payload: string, timestamp?: number): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

export function webhookSecret(): string {
  return `whsec_${randomBytes(16).toString('hex')}`;
}
