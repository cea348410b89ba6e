import { Redis, type RedisOptions } from 'ioredis';

export { Redis };

/**
 * ioredis' `disconnect()` ends the socket and arms a `disconnectTimeout` (2 s by default, missing from its typings)
 * timer that only a later 'close' clears — on a socket that had already closed (Redis down, reconnecting) it never
 * comes, and the timer holds the process open for 2 s after shutdown. Nothing is expected on a socket being
 * dropped, so destroy it at once.
 */
export const IMMEDIATE_DISCONNECT = { disconnectTimeout: 0 } as RedisOptions;

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

/** What a Redis call waits at most before failing, unless the caller says otherwise (REDIS_COMMAND_TIMEOUT_MS). */
export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 500;

export function createRedis(
  url: string,
  options: { lazyConnect?: boolean; commandTimeoutMs?: number } = {},
): Redis {
  const commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS;
  const redis = new Redis(url, {
    lazyConnect: options.lazyConnect ?? false,
    // Fail commands fast while Redis is down instead of queueing them forever: callers degrade (cache miss).
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    // A Redis that accepts the connection but stops answering (frozen, overloaded, a dead peer behind a proxy) fails
    // each command after this long, with the same outcome as a refused connection.
    commandTimeout: commandTimeoutMs,
    connectTimeout: Math.max(commandTimeoutMs, 1_000),
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    ...IMMEDIATE_DISCONNECT,
  });
  // Connection errors are reported through health checks and failing commands, not as unhandled events.
  redis.on('error', () => undefined);
  return redis;
}

/** True while the connection is known to be down: callers skip Redis at once instead of waiting on a reconnect. */
export function isRedisUnavailable(redis: Redis): boolean {
  return ['reconnecting', 'close', 'end'].includes(redis.status);
}

/** QUIT politely when connected; otherwise drop the connection so no reconnect timer outlives the process. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit().catch(() => redis.disconnect());
  } else {
    redis.disconnect();
    // Commands queued while reconnecting are otherwise never settled (no 'close' event comes for a socket already
    // gone), and each holds its commandTimeout timer: fail them now, as ioredis does on a normal close.
    (redis as unknown as { flushQueue(error: Error): void }).flushQueue(new Error('Connection is closed.'));
  }
}
