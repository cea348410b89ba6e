import type { RequestHandler } from 'express';
import { rateLimit, type AugmentedRequest } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { AppError } from '../common/errors';
import type { Redis, RedisKeys } from '../lib/redis';

export interface RateLimitOptions {
  name: string;
  windowMs: number;
  limit: number;
}

/**
 * A limiter whose counters live in Redis, so every API instance shares them. When Redis is unreachable the
 * limiter lets requests through (availability over strictness) instead of failing them.
 */
export function createRateLimiter(redis: Redis, keys: RedisKeys, options: RateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-6',
    legacyHeaders: false,
    passOnStoreError: true,
    store: new RedisStore({
      prefix: `${keys.key('rl', options.name)}:`,
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
}
