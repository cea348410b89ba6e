import type { RequestHandler } from 'express';
import { MemoryStore, rateLimit, type AugmentedRequest, type Store } from 'express-rate-limit';
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
 * A limiter whose counters live in Redis, so every API instance shares them. While Redis is unreachable (down, or a
 * command failed or timed out) it counts in this process's memory instead, so the limits keep holding per instance,
 * and goes back to the Redis counters once Redis answers again.
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
  const build = (store: Store) =>
    rateLimit({
      windowMs: options.windowMs,
      limit: options.limit,
      standardHeaders: 'draft-6',
      legacyHeaders: false,
      // Store errors come to the wrapper below, which counts the request in memory instead.
      passOnStoreError: false,
      logger: {
        error: (error, message) =>
          logger?.warn(message ?? 'rate limiter error', { limiter: options.name, error }),
        warn: (error, message) =>
          logger?.warn(message ?? 'rate limiter warning', { limiter: options.name, error }),
      },
      store,
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
  const limiter = build(
    batchedStore ??
      new RedisStore({
        prefix,
        sendCommand: (command: string, ...args: string[]) =>
          redis.call(command, ...args) as Promise<RedisReply>,
      }),
  );
  const memoryStore = new MemoryStore();
  const memoryLimiter = build(memoryStore);
  const middleware: RequestHandler = (req, res, next) => {
    // While Redis is known to be down, skip the store round trip (and its retry delay) entirely.
    if (isRedisUnavailable(redis)) return memoryLimiter(req, res, next);
    limiter(req, res, (error?: unknown) => {
      if (error === undefined || error instanceof AppError) return next(error);
      logger?.warn('rate limiter store failed; counting in memory', { limiter: options.name, error });
      memoryLimiter(req, res, next);
    });
  };
  return Object.assign(middleware, {
    close: async () => {
      memoryStore.shutdown();
      await batchedStore?.close();
    },
  });
}
