import type { RequestHandler } from 'express';
import { rateLimit, type AugmentedRequest } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { AppError } from '../common/errors';
import type { Logger } from '../lib/logger';
import { isRedisUnavailable, type Redis, type RedisKeys } from '../lib/redis';
import { BatchedRateLimitStore, type BatchedRateLimitStoreOptions } from './batched-rate-limit-store';

export interface RateLimitOptions {
  name: string;
  windowMs: number;
  limit: number;
  /**
   * Count locally and sync to Redis in batches (see BatchedRateLimitStore): no Redis round trip per request far
   * from the limit, at the cost of a small bounded overshoot across instances. Without it every hit is counted in
   * Redis before answering — keep that for low, security-relevant limits.
   */
  batched?: Pick<BatchedRateLimitStoreOptions, 'syncIntervalMs' | 'headroomFraction' | 'maxKeys'>;
}

export type RateLimiter = RequestHandler & {
  /** Stops the batched store's timer and sends its pending hits (best effort); nothing to do otherwise. */
  close(): Promise<void>;
};

/**
 * A limiter whose counters live in Redis, so every API instance shares them. When Redis is unreachable the
 * limiter lets requests through (availability over strictness) instead of failing them.
 */
export function createRateLimiter(
  redis: Redis,
  keys: RedisKeys,
  options: RateLimitOptions,
  logger?: Logger,
): RateLimiter {
  const prefix = `${keys.key('rl', options.name)}:`;
  const batchedStore = options.batched
    ? new BatchedRateLimitStore({ redis, prefix, logger, ...options.batched })
    : undefined;
  const limiter = rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-6',
    legacyHeaders: false,
    // Store errors come to the wrapper below, which lets the request through and logs it our way.
    passOnStoreError: false,
    logger: {
      error: (error, message) =>
        logger?.warn(message ?? 'rate limiter error', { limiter: options.name, error }),
      warn: (error, message) =>
        logger?.warn(message ?? 'rate limiter warning', { limiter: options.name, error }),
    },
    store:
      batchedStore ??
      new RedisStore({
        prefix,
        sendCommand: (command: string, ...args: string[]) =>
          redis.call(command, ...args) as Promise<RedisReply>,
      }),
    handler: (req, res, next) => {
      const resetTime = (req as AugmentedRequest).rateLimit?.resetTime;
      const retryAfter = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : 60;
      next(
        new AppError(429, 'RATE_LIMITED', 'Too many requests, please try again later', undefined, {
          'Retry-After': String(retryAfter),
        }),
      );
    },
  });
  const middleware: RequestHandler = (req, res, next) => {
    // While Redis is known to be down, skip the store round trip (and its retry delay) entirely.
    if (isRedisUnavailable(redis)) return next();
    limiter(req, res, (error?: unknown) => {
      if (error === undefined || error instanceof AppError) return next(error);
      logger?.warn('rate limiter store failed; request allowed', { limiter: options.name, error });
      next();
    });
  };
  return Object.assign(middleware, { close: async () => batchedStore?.close() });
}
