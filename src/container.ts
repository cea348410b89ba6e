import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { toMinor } from './common/money';
import type { Config } from './config/env';
import { Cache } from './lib/cache';
import { createConfiguredLogger, type Logger } from './lib/logger';
import { createMailer, type Mailer } from './lib/mailer';
import { createDatabase, type Database, type TransactionRunner } from './lib/prisma';
import { createQueueConnection } from './lib/queue';
import { StripeGateway } from './lib/stripe';
import { closeRedis, createRedis, RedisKeys, type Redis } from './lib/redis';
import { createAuthGuards, type AuthGuards } from './middleware/auth';
import { createRateLimiter } from './middleware/rate-limit';
import { AuditRepository } from './modules/audit/audit.repository';
import { AuditService } from './modules/audit/audit.service';
import { RefreshTokenRepository, UserTokenRepository } from './modules/auth/auth.repository';
import { AuthService } from './modules/auth/auth.service';
import { AccessTokenCodec } from './modules/auth/auth.tokens';
import { LoginLockout } from './modules/auth/login-lockout';
import { PasswordHasher } from './modules/auth/password-hasher';
import { LiveSessionStore } from './modules/auth/live-session.store';
import { SessionService } from './modules/auth/session.service';
import { CartService } from './modules/cart/cart.service';
import { CartStore } from './modules/cart/cart.store';
import { CategoryRepository } from './modules/categories/categories.repository';
import { CategoryService } from './modules/categories/categories.service';
import { CouponRepository } from './modules/coupons/coupons.repository';
import { CouponService } from './modules/coupons/coupons.service';
import { HealthService } from './modules/health/health.service';
import { IdempotencyRepository } from './modules/idempotency/idempotency.repository';
import { IdempotencyService } from './modules/idempotency/idempotency.service';
import type { BackgroundJobDeps } from './modules/notifications/background-jobs';
import { NotificationService } from './modules/notifications/notifications.service';
import { OutboxAdminService } from './modules/notifications/outbox-admin.service';
import { OutboxRepository } from './modules/notifications/outbox.repository';
import { OrderInvoiceService } from './modules/orders/order-invoice.service';
import { OrderStatsRepository } from './modules/orders/order-stats.repository';
import { OrderStatsService } from './modules/orders/order-stats.service';
import { OrderRepository } from './modules/orders/orders.repository';
import { OrderService } from './modules/orders/orders.service';
import { PaymentRepository } from './modules/payments/payments.repository';
import { PaymentService } from './modules/payments/payments.service';
import { LowStockAlerts } from './modules/products/low-stock-alerts';
import { ProductRepository } from './modules/products/products.repository';
import { ProductService } from './modules/products/products.service';
import { ReviewRepository } from './modules/reviews/reviews.repository';
import { ReviewService } from './modules/reviews/reviews.service';
import { AddressRepository } from './modules/users/addresses.repository';
import { AddressService } from './modules/users/addresses.service';
import { UserRepository } from './modules/users/users.repository';
import { UsersService } from './modules/users/users.service';
import { WishlistRepository } from './modules/wishlist/wishlist.repository';
import { WishlistService } from './modules/wishlist/wishlist.service';

/** Resolved endpoints of the backing services (possibly embedded ones started by the bootstrap). */
export interface Endpoints {
  databaseUrl: string;
  redisUrl: string;
}

export interface ContainerOverrides {
  logger?: Logger;
  mailer?: Mailer;
}

/**
 * The composition root: every client, repository and service is created here, once, and handed down through
 * constructors. Nothing below imports a singleton.
 */
export function createContainer(config: Config, endpoints: Endpoints, overrides: ContainerOverrides = {}) {
  const logger = overrides.logger ?? createConfiguredLogger(config);
  const database: Database = createDatabase({
    url: endpoints.databaseUrl,
    poolSize: config.DATABASE_POOL_SIZE,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    poolTimeoutMs: config.DATABASE_POOL_TIMEOUT_MS,
  });
  const { prisma } = database;
  const redis: Redis = createRedis(endpoints.redisUrl, { commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS });
  const queueConnection = createQueueConnection(endpoints.redisUrl);
  const keys = new RedisKeys(config.REDIS_KEY_PREFIX);
  const cache = new Cache(
    redis,
    keys,
    {
      ttlSeconds: config.CACHE_TTL_SECONDS,
      localMaxBytes: config.CACHE_LOCAL_MAX_MB * 1024 * 1024,
      runIdCheckIntervalMs: config.REDIS_RUN_ID_CHECK_INTERVAL_MS,
    },
    logger,
  );
  const mailer = overrides.mailer ?? createMailer(config, logger);
  const docs = new OpenAPIRegistry();
  docs.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });

  // ── Repositories ──
  const auditRepository = new AuditRepository(prisma);
  const outboxRepository = new OutboxRepository(prisma);
  const userRepository = new UserRepository(prisma);
  const addressRepository = new AddressRepository(prisma);
  const refreshTokenRepository = new RefreshTokenRepository(prisma);
  const userTokenRepository = new UserTokenRepository(prisma);
  const transaction: TransactionRunner = (work) => prisma.$transaction(work);

  // ── Services ──
  const health = new HealthService(
    config.version,
    database.pool,
    redis,
    () => queueConnection.ping(),
    logger,
    config.REDIS_COMMAND_TIMEOUT_MS,
  );
  const audit = new AuditService(auditRepository);
  const notifications = new NotificationService(outboxRepository);
  const outbox = new OutboxAdminService(transaction, outboxRepository, audit);

  // Auth and users (sessions are refresh-token families; see modules/auth/session.service.ts).
  const passwords = new PasswordHasher(config.BCRYPT_COST);
  const sessions = new SessionService(
    refreshTokenRepository,
    new AccessTokenCodec({
      secret: config.JWT_SECRET,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    }),
    new LiveSessionStore(redis, keys, logger, config.ACCESS_TOKEN_TTL_SECONDS),
    {
      accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
    },
  );
  const auth = new AuthService(
    transaction,
    userRepository,
    refreshTokenRepository,
    userTokenRepository,
    sessions,
    passwords,
    new LoginLockout(prisma, {
      threshold: config.LOGIN_LOCKOUT_THRESHOLD,
      windowSeconds: config.LOGIN_LOCKOUT_WINDOW_SECONDS,
    }),
    audit,
    notifications,
    {
      emailVerificationTtlSeconds: config.EMAIL_VERIFICATION_TTL_SECONDS,
      passwordResetTtlSeconds: config.PASSWORD_RESET_TTL_SECONDS,
    },
  );
  // Aggregates over orders: the admin statistics and each customer's totals (GET /users/stats).
  const orderStatsRepository = new OrderStatsRepository(prisma);
  const users = new UsersService(
    transaction,
    userRepository,
    addressRepository,
    userTokenRepository,
    sessions,
    passwords,
    audit,
    notifications,
    { defaultCurrency: config.CURRENCY },
    orderStatsRepository,
  );
  const addresses = new AddressService(transaction, userRepository, addressRepository);

  // Reviews and wishlist (a review changes the product's rating: it invalidates the `products` cache namespace).
  const reviews = new ReviewService(transaction, new ReviewRepository(prisma), audit, cache);
  const wishlist = new WishlistService(new WishlistRepository(prisma));

  // Catalogue (cache-aside reads; every write invalidates the `products` and `categories` namespaces).
  const categoryRepository = new CategoryRepository(prisma);
  const categories = new CategoryService(transaction, categoryRepository, audit, cache);
  const productRepository = new ProductRepository(prisma, database.pool);
  // Every active admin is mailed when an order or an admin change takes a product below LOW_STOCK_THRESHOLD.
  const lowStock = new LowStockAlerts(userRepository, notifications, config.LOW_STOCK_THRESHOLD);
  const products = new ProductService(
    transaction,
    productRepository,
    categoryRepository,
    audit,
    cache,
    lowStock,
  );

  // Carts (Redis hashes of product id → quantity; priced from the catalogue on every read).
  const cart = new CartService(new CartStore(redis, keys, logger, config.CART_TTL_DAYS), productRepository, {
    currency: config.CURRENCY,
  });

  // Coupons (admin CRUD; checkout resolves and redeems them inside the order's transaction).
  const coupons = new CouponService(transaction, new CouponRepository(prisma), audit);

  // Orders. Their transactions may queue for a pooled connection during a flash sale: wait for one instead of
  // failing after Prisma's default 2 s.
  const orderRepository = new OrderRepository(prisma);
  const idempotency = new IdempotencyService(new IdempotencyRepository(prisma), { ttlSeconds: 24 * 60 * 60 });
  const orders = new OrderService(
    {
      transaction: (work) => prisma.$transaction(work, { maxWait: 30_000, timeout: 30_000 }),
      orders: orderRepository,
      products: productRepository,
      addresses: addressRepository,
      users: userRepository,
      cart,
      coupons,
      notifications,
      outbox: outboxRepository,
      audit,
      logger,
      lowStock,
    },
    {
      currency: config.CURRENCY,
      paymentTimeoutMinutes: config.PAYMENT_TIMEOUT_MINUTES,
      pricing: {
        taxRate: config.TAX_RATE,
        freeShippingThresholdCents: toMinor(config.FREE_SHIPPING_THRESHOLD),
        shippingFlatRateCents: toMinor(config.SHIPPING_FLAT_RATE),
      },
    },
  );

  const orderStats = new OrderStatsService(orderStatsRepository, productRepository, {
    currency: config.CURRENCY,
    lowStockThreshold: config.LOW_STOCK_THRESHOLD,
  });
  const orderInvoices = new OrderInvoiceService(orders, { shopName: config.SHOP_NAME });

  // Payments (Stripe; without STRIPE_SECRET_KEY the payment routes answer 503 and the rest of the shop works).
  const payments = new PaymentService(
    {
      transaction: (work) => prisma.$transaction(work, { maxWait: 30_000, timeout: 30_000 }),
      payments: new PaymentRepository(prisma),
      orders,
      orderReader: orderRepository,
      gateway: new StripeGateway(config, logger),
      audit,
      outbox: outboxRepository,
      notifications,
      customers: userRepository,
      logger,
    },
    { reconcileAfterMinutes: config.PAYMENT_RECONCILE_MINUTES },
  );
  // The expiry sweep asks Stripe about an order's open intent before cancelling it.
  orders.setPendingPaymentCheck(payments);

  const guards: AuthGuards = createAuthGuards(sessions);
  // The per-IP limit every API request passes. Counted locally and synced to Redis in batches: no Redis round trip
  // per request far from the limit (the stricter auth limiters in app.ts count every hit in Redis).
  const globalRateLimit = createRateLimiter(
    redis,
    keys,
    {
      name: 'global',
      windowMs: config.RATE_LIMIT_WINDOW_MS,
      limit: config.RATE_LIMIT_MAX,
      batched: { syncIntervalMs: config.RATE_LIMIT_SYNC_INTERVAL_MS },
    },
    logger,
  );

  // What the background jobs (src/worker.ts, or the API process with RUN_JOBS_IN_API) run on.
  const jobDeps: BackgroundJobDeps = {
    config,
    logger,
    prisma,
    mailer,
    outbox: outboxRepository,
    services: { orders, payments, idempotency, auth },
    redisUrl: endpoints.redisUrl,
  };

  return {
    config,
    endpoints,
    jobDeps,
    logger,
    database,
    prisma,
    redis,
    keys,
    cache,
    mailer,
    docs,
    guards,
    globalRateLimit,
    services: {
      health,
      audit,
      notifications,
      outbox,
      sessions,
      auth,
      users,
      addresses,
      reviews,
      wishlist,
      categories,
      products,
      cart,
      coupons,
      idempotency,
      orders,
      orderStats,
      orderInvoices,
      payments,
    },
    async close(): Promise<void> {
      mailer.close();
      // Hits counted locally reach Redis before its connection closes.
      await globalRateLimit.close();
      await Promise.allSettled([
        database.close(),
        cache.close(),
        closeRedis(redis),
        closeRedis(queueConnection),
      ]);
    },
  };
}

export type Container = ReturnType<typeof createContainer>;
