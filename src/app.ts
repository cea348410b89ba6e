import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import cookieParser from 'cookie-parser';
import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import type { Container } from './container';
import { AppError } from './common/errors';
import { sendData } from './common/http';
import { errorHandler, notFound } from './middleware/error-handler';
import { createRateLimiter } from './middleware/rate-limit';
import { requestId } from './middleware/request-id';
import { requestLogger } from './middleware/request-logger';
import { authRoutes } from './modules/auth/auth.routes';
import { cartRoutes } from './modules/cart/cart.routes';
import { categoryRoutes } from './modules/categories/categories.routes';
import { couponRoutes } from './modules/coupons/coupons.routes';
import { healthRoutes } from './modules/health/health.routes';
import { outboxRoutes } from './modules/notifications/outbox.routes';
import { orderRoutes } from './modules/orders/orders.routes';
import {
  PAYMENT_WEBHOOK_PATH,
  paymentRoutes,
  paymentWebhookRoutes,
  webhookBodyParser,
} from './modules/payments/payments.routes';
import { productRoutes } from './modules/products/products.routes';
import { reviewRoutes } from './modules/reviews/reviews.routes';
import { usersRoutes } from './modules/users/users.routes';
import { wishlistRoutes } from './modules/wishlist/wishlist.routes';

/**
 * Security headers for JSON responses (the OWASP REST set): nothing may be framed, run or loaded from a response,
 * no MIME sniffing, HTTPS only, no referrer, same-site resource policy. helmet's browser-page extras (DNS prefetch,
 * download options, XSS auditor, origin-agent-cluster, COOP) only matter for HTML and are left to the docs page.
 */
const API_SECURITY_HEADERS: Parameters<typeof helmet>[0] = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  frameguard: { action: 'deny' },
  crossOriginOpenerPolicy: false,
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

/**
 * The extended query parser (qs) keeps the first 1000 parameters (its `parameterLimit`) and silently drops the
 * rest: a query with more is refused (414) before anything reads `req.query` (parsed lazily in Express 5).
 */
const MAX_QUERY_PARAMETERS = 1000;

const limitQueryParameters: express.RequestHandler = (req, _res, next) => {
  const start = req.url.indexOf('?');
  // Each parameter takes at least two characters ("a&"): a short query cannot have too many.
  if (start !== -1 && req.url.length - start > MAX_QUERY_PARAMETERS * 2) {
    const count = req.url.slice(start + 1).split('&').length;
    if (count > MAX_QUERY_PARAMETERS) {
      throw new AppError(
        414,
        'URI_TOO_LONG',
        `At most ${MAX_QUERY_PARAMETERS} query parameters are accepted`,
      );
    }
  }
  next();
};

export interface AppOptions {
  /**
   * Extra routes on /api/v1, behind every app-wide middleware (request id, security headers, CORS, rate limit).
   * The catalogue benchmark mounts a reference handler there, to tell the cost of those from the route's own.
   */
  extraApiRoutes?: (api: express.Router) => void;
}

/** Builds the Express app from a container. No `listen` here: tests drive it with supertest. */
export function createApp(container: Container, options: AppOptions = {}): Express {
  const { config, logger, docs, guards, redis, keys, services } = container;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  app.set('query parser', 'extended');

  app.use(requestId);
  app.use(limitQueryParameters);
  app.use(requestLogger(logger));
  app.use(helmet(API_SECURITY_HEADERS));
  app.use(
    cors({
      origin: (origin, callback) => callback(null, !origin || config.ALLOWED_ORIGINS.includes(origin)),
      credentials: true,
      exposedHeaders: ['X-Request-ID', 'X-Session-Id', 'X-Cache', 'Idempotent-Replayed', 'Retry-After'],
    }),
  );
  // Stripe signs the exact bytes it sends: the webhook's body stays raw (this path only, before the JSON parser).
  app.use(`/api/v1${PAYMENT_WEBHOOK_PATH}`, webhookBodyParser(config.BODY_LIMIT));
  app.use(express.json({ limit: config.BODY_LIMIT }));

  const routerDeps = { docs, guards };
  const api = express.Router();
  // Probes (load balancer, orchestrator, monitoring) are never rate limited: a busy shop must not look dead.
  api.use(healthRoutes(routerDeps, services.health).router);
  // Stripe's webhook deliveries come in bursts from a few addresses; each is authenticated by its signature.
  api.use('/payments', paymentWebhookRoutes(routerDeps, services.payments).router);
  api.use(container.globalRateLimit);
  options.extraApiRoutes?.(api);
  api.get('/', (_req, res) =>
    sendData(res, {
      name: config.APP_NAME,
      version: config.version,
      docs: '/api/v1/docs',
      openapi: '/api/v1/openapi.json',
    }),
  );
  const authRateLimit = (name: string) =>
    createRateLimiter(redis, keys, {
      name: `auth-${name}`,
      windowMs: config.AUTH_RATE_LIMIT_WINDOW_MS,
      limit: config.AUTH_RATE_LIMIT_MAX,
    });
  // The refresh token cookie, scoped to /api/v1/auth.
  api.use(
    '/auth',
    cookieParser(),
    authRoutes(routerDeps, services.auth, {
      rateLimit: authRateLimit,
      secure: config.isProduction,
      refreshTokenTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
    }).router,
  );
  api.use('/users', usersRoutes(routerDeps, services.users, services.addresses).router);
  api.use(reviewRoutes(routerDeps, services.reviews).router);
  api.use('/products', productRoutes(routerDeps, services.products, services.categories).router);
  api.use('/categories', categoryRoutes(routerDeps, services.categories).router);
  api.use('/wishlist', wishlistRoutes(routerDeps, services.wishlist).router);
  // Guest carts may name their session in the `sessionId` cookie.
  api.use('/cart', cookieParser(), cartRoutes(routerDeps, services.cart).router);
  api.use(
    '/orders',
    orderRoutes(routerDeps, services.orders, services.idempotency, {
      stats: services.orderStats,
      invoices: services.orderInvoices,
    }).router,
  );
  api.use('/coupons', couponRoutes(routerDeps, services.coupons).router);
  api.use('/payments', paymentRoutes(routerDeps, services.payments).router);
  api.use('/admin/outbox', outboxRoutes(routerDeps, services.outbox).router);

  const openApiDocument = () =>
    new OpenApiGeneratorV31(docs.definitions).generateDocument({
      openapi: '3.1.0',
      info: { title: config.APP_NAME, version: config.version, description: 'E-commerce REST API' },
      servers: [{ url: '/' }],
    });
  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  // The interactive docs are an HTML page: they get helmet's browser defaults (a CSP that lets their scripts run).
  api.use(
    '/docs',
    helmet(),
    swaggerUi.serve,
    swaggerUi.setup(undefined, { swaggerUrl: '/api/v1/openapi.json' }),
  );

  app.use('/api/v1', api);
  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
