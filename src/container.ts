import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Config } from './config/env';
import type { AuthUser } from './common/auth-user';
import { UnauthorizedError } from './common/errors';
import { createLogger, type Logger } from './lib/logger';
import { createMailer, type Mailer } from './lib/mailer';
import { createDatabase, type Database } from './lib/prisma';
import { createQueueConnection } from './lib/queue';
import { createRedis, RedisKeys, type Redis } from './lib/redis';
import { createAuthGuards, type AuthGuards } from './middleware/auth';
import { AuditRepository } from './modules/audit/audit.repository';
import { AuditService } from './modules/audit/audit.service';
import { HealthService } from './modules/health/health.service';
import { NotificationService } from './modules/notifications/notifications.service';
import { OutboxRepository } from './modules/notifications/outbox.repository';

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
  const logger =
    overrides.logger ??
    createLogger({
      level: config.LOG_LEVEL,
      pretty: config.NODE_ENV === 'development',
      service: config.APP_NAME,
    });
  const database: Database = createDatabase({
    url: endpoints.databaseUrl,
    poolSize: config.DATABASE_POOL_SIZE,
  });
  const { prisma } = database;
  const redis: Redis = createRedis(endpoints.redisUrl);
  const queueConnection = createQueueConnection(endpoints.redisUrl);
  const keys = new RedisKeys(config.REDIS_KEY_PREFIX);
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

  // ── Services ──
  const health = new HealthService(config.version, database.pool, redis, () => queueConnection.ping());
  const audit = new AuditService(auditRepository);
  const notifications = new NotificationService(outboxRepository);

  // Until the auth module provides the verifier every protected route answers 401.
  const tokenVerifier = {
    async verifyAccessToken(): Promise<AuthUser> {
      throw new UnauthorizedError('Invalid token');
    },
  };
  const guards: AuthGuards = createAuthGuards(tokenVerifier);

  return {
    config,
    logger,
    database,
    prisma,
    redis,
    keys,
    mailer,
    docs,
    guards,
    services: { health, audit, notifications },
    async close(): Promise<void> {
      mailer.close();
      await Promise.allSettled([database.close(), redis.quit(), queueConnection.quit()]);
    },
  };
}

export type Container = ReturnType<typeof createContainer>;
