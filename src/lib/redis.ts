import { Redis } from 'ioredis';

export { Redis };

/**
 * Every key this application writes lives under one prefix (`<prefix>:cache:…`, `<prefix>:cart:…`), so several
 * deployments or test workers can share a Redis without touching each other's data.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  key(...parts: Array<string | number>): string {
    return [this.prefix, ...parts].join(':');
  }
}

export function createRedis(url: string, options: { lazyConnect?: boolean } = {}): Redis {
  const redis = new Redis(url, {
    lazyConnect: options.lazyConnect ?? false,
    // Fail commands fast while Redis is down instead of queueing them forever: callers degrade (cache miss).
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    connectTimeout: 5_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Connection errors are reported through health checks and failing commands, not as unhandled events.
  redis.on('error', () => undefined);
  return redis;
}
