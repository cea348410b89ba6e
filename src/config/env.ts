import { z } from 'zod';
import { version as packageVersion } from '../../package.json';
import { localJwtSecret, MIN_JWT_SECRET_BYTES, weakJwtSecretReason } from './jwt-secret';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.join(' or ')}//`,
  );

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: int(0, 65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    TRUST_PROXY: z.string().default('loopback'),
    LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'debug', 'silent']).default('info'),
    APP_NAME: z.string().default('ecommerce-api'),
    PUBLIC_URL: url(['http:', 'https:']).default('http://localhost:3000'),
    STOREFRONT_URL: url(['http:', 'https:']).default('http://localhost:5173'),

    DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
    DATABASE_POOL_SIZE: int(1, 200).default(10),
    // No request waits on a hung database longer than these: a statement is cancelled (server-side
    // statement_timeout, and client-side for a server that stopped answering), a pool checkout gives up.
    DATABASE_STATEMENT_TIMEOUT_MS: int(100, 600_000).default(10_000),
    DATABASE_POOL_TIMEOUT_MS: int(100, 600_000).default(5_000),
    REDIS_URL: url(['redis:', 'rediss:']).optional(),
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[a-zA-Z0-9_:.-]+$/, 'letters, digits and _ : . - only')
      .default('ecom'),
    // A Redis command unanswered after this long fails as if Redis were down (callers degrade: cache miss …).
    REDIS_COMMAND_TIMEOUT_MS: int(10, 60_000).default(500),
    // How often the cache checks that Redis was not restarted or failed over (its run_id) behind a live connection.
    REDIS_RUN_ID_CHECK_INTERVAL_MS: int(100, 3_600_000).default(5_000),
    DATA_DIR: z.string().default('.data'),
    EMBEDDED_PG_PORT: int(1024, 65535).default(54329),
    SEED_ON_START: bool.default(true),

    ALLOWED_ORIGINS: csv.default(['http://localhost:3000', 'http://localhost:5173']),
    BODY_LIMIT: z.string().default('100kb'),

    JWT_SECRET: z
      .string()
      .refine(
        (secret) => Buffer.byteLength(secret, 'utf8') >= MIN_JWT_SECRET_BYTES,
        `must be at least ${MIN_JWT_SECRET_BYTES} bytes`,
      )
      .optional(),
    JWT_ISSUER: z.string().default('ecommerce-api'),
    JWT_AUDIENCE: z.string().default('ecommerce-api'),
    ACCESS_TOKEN_TTL_SECONDS: int(60, 86_400).default(900),
    REFRESH_TOKEN_TTL_DAYS: int(1, 365).default(7),
    BCRYPT_COST: int(4, 15).default(12),
    LOGIN_LOCKOUT_THRESHOLD: int(1, 1000).default(5),
    LOGIN_LOCKOUT_WINDOW_SECONDS: int(1, 86_400).default(900),
    PASSWORD_RESET_TTL_SECONDS: int(60, 86_400).default(3600),
    EMAIL_VERIFICATION_TTL_SECONDS: int(60, 30 * 86_400).default(86_400 * 3),

    RATE_LIMIT_WINDOW_MS: int(1000, 86_400_000).default(60_000),
    RATE_LIMIT_MAX: int(1, 10_000_000).default(300),
    RATE_LIMIT_SYNC_INTERVAL_MS: int(10, 60_000).default(200),
    AUTH_RATE_LIMIT_WINDOW_MS: int(1000, 86_400_000).default(15 * 60_000),
    AUTH_RATE_LIMIT_MAX: int(1, 10_000_000).default(20),

    SMTP_HOST: z.string().optional(),
    SMTP_PORT: int(1, 65535).default(587),
    SMTP_SECURE: bool.default(false),
    SMTP_USER: z.string().optional(),
    SMTP_PASSWORD: z.string().optional(),
    MAIL_FROM: z.string().default('Ecommerce API <no-reply@ecommerce.local>'),
    // The shop as its e-mails present it: the name in subjects and signatures, the address in every footer.
    // The shop's name in e-mails and on invoices.
    SHOP_NAME: z.string().trim().min(1).max(100).default('Ecommerce Shop'),
    SUPPORT_EMAIL: z.email().default('support@ecommerce.local'),

    // Background jobs: outbox relay → BullMQ queues → workers (in the API process or in src/worker.ts).
    RUN_JOBS_IN_API: bool.default(true),
    OUTBOX_POLL_INTERVAL_MS: int(10, 3_600_000).default(1000),
    OUTBOX_BATCH_SIZE: int(1, 1000).default(100),
    EMAIL_JOB_ATTEMPTS: int(1, 100).default(8),
    EMAIL_JOB_BACKOFF_MS: int(1, 3_600_000).default(5000),
    EMAIL_WORKER_CONCURRENCY: int(1, 100).default(5),
    // The `payments` queue (refunds owed after a cancel): Stripe calls, retried with exponential backoff.
    PAYMENT_JOB_ATTEMPTS: int(1, 100).default(10),
    PAYMENT_JOB_BACKOFF_MS: int(1, 3_600_000).default(10_000),
    // The `maintenance` queue's job schedulers: how often each sweep runs (one run per interval across all workers).
    ORDER_EXPIRY_INTERVAL_MS: int(1000, 86_400_000).default(60_000),
    PAYMENT_RECONCILE_INTERVAL_MS: int(1000, 86_400_000).default(300_000),
    IDEMPOTENCY_CLEANUP_INTERVAL_MS: int(1000, 86_400_000).default(3_600_000),
    TOKEN_CLEANUP_INTERVAL_MS: int(1000, 86_400_000).default(3_600_000),
    OUTBOX_RECOVERY_INTERVAL_MS: int(1000, 86_400_000).default(300_000),

    CACHE_TTL_SECONDS: int(1, 86_400).default(300),
    CACHE_LOCAL_MAX_MB: int(0, 16_384).default(64),
    CART_TTL_DAYS: int(1, 365).default(30),
    CURRENCY: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .default('USD'),
    TAX_RATE: z.coerce.number().min(0).max(1).default(0.08),
    FREE_SHIPPING_THRESHOLD: z.coerce.number().min(0).default(100),
    SHIPPING_FLAT_RATE: z.coerce.number().min(0).default(9.99),
    PAYMENT_TIMEOUT_MINUTES: int(1, 10_080).default(30),
    // Admins are e-mailed when an order or a stock change takes a product's stock from at least this to below it;
    // active products below it are the admin statistics' lowStock list. 0 turns both off.
    LOW_STOCK_THRESHOLD: int(0, 1_000_000).default(5),

    STRIPE_SECRET_KEY: z.string().optional(),
    STRIPE_WEBHOOK_SECRET: z.string().optional(),
    // Where the SDK sends API calls: Stripe's own API unless set (tests, CI and staging point it at a local
    // Stripe-compatible server).
    STRIPE_API_HOST: z.string().optional(),
    STRIPE_API_PORT: int(1, 65535).optional(),
    STRIPE_API_PROTOCOL: z.enum(['http', 'https']).optional(),
    STRIPE_TIMEOUT_MS: int(100, 120_000).default(20_000),
    STRIPE_MAX_NETWORK_RETRIES: int(0, 10).default(2),
    // A webhook signed longer ago than this is refused (replay protection; Stripe's default is 300 s).
    STRIPE_WEBHOOK_TOLERANCE_SECONDS: int(1, 86_400).default(300),
    // An intent with no webhook after this long is asked for its status by the reconciliation job.
    PAYMENT_RECONCILE_MINUTES: int(1, 10_080).default(15),

    SHUTDOWN_TIMEOUT_MS: int(100, 120_000).default(10_000),
  })
  .superRefine((env, ctx) => {
    const weakSecret = env.NODE_ENV === 'production' ? weakJwtSecretReason(env.JWT_SECRET) : undefined;
    if (weakSecret) ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: weakSecret });
    if (env.NODE_ENV === 'production' && !env.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required in production' });
    }
    if (env.NODE_ENV === 'production' && !env.REDIS_URL) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'is required in production' });
    }
  });

export type Env = z.infer<typeof envSchema>;

export type Config = Omit<Env, 'JWT_SECRET'> & {
  JWT_SECRET: string;
  isProduction: boolean;
  isTest: boolean;
  version: string;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once at startup; every problem is reported together, not one at a time. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings (e.g. `SMTP_HOST=` in a copied .env) mean "not set".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
    );
  }
  const env = parsed.data;
  return {
    ...env,
    // Production has one (checked above); elsewhere a random one generated once and kept in DATA_DIR.
    JWT_SECRET: env.JWT_SECRET ?? localJwtSecret(env.DATA_DIR),
    isProduction: env.NODE_ENV === 'production',
    isTest: env.NODE_ENV === 'test',
    version: packageVersion,
  };
}
