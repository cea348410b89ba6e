import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import request from 'supertest';
import winston from 'winston';
import { findFreePort } from '../../src/lib/embedded/free-port';
import { createLogger } from '../../src/lib/logger';
import { createRedis, type Redis } from '../../src/lib/redis';
import { BatchedRateLimitStore } from '../../src/middleware/batched-rate-limit-store';
import { API, expectError, sleep } from '../helpers/auth';
import { createTestContext, type TestContext } from '../helpers/test-app';
import { watchRedisCommands } from '../helpers/redis-commands';
import { readTestEnv } from '../helpers/test-env';
import { waitFor } from '../helpers/wait';

jest.setTimeout(60_000);

const silent = createLogger({ level: 'silent', pretty: false, service: 'test' });
const prefixes: string[] = [];
const connections: Redis[] = [];
const stores: BatchedRateLimitStore[] = [];
let observer: Redis;

/** A connection of its own, as another API process would have. */
function connect(url = readTestEnv('redisUrl')): Redis {
  const redis = createRedis(url);
  connections.push(redis);
  return redis;
}

function uniquePrefix(): string {
  const prefix = `test:${readTestEnv('runId')}:${randomBytes(4).toString('hex')}:rl:global:`;
  prefixes.push(prefix);
  return prefix;
}

function store(
  redis: Redis,
  prefix: string,
  options: {
    limit: number;
    windowMs?: number;
    syncIntervalMs?: number;
    maxKeys?: number;
    logger?: typeof silent;
  },
): BatchedRateLimitStore {
  const created = new BatchedRateLimitStore({
    redis,
    prefix,
    syncIntervalMs: options.syncIntervalMs ?? 20,
    maxKeys: options.maxKeys,
    logger: options.logger ?? silent,
  });
  created.init({ windowMs: options.windowMs ?? 60_000, limit: options.limit });
  stores.push(created);
  return created;
}

const count = async (key: string) => Number((await observer.get(key)) ?? 0);

beforeAll(async () => {
  observer = connect();
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  for (const prefix of prefixes) {
    const keys = await observer.keys(`${prefix}*`);
    if (keys.length > 0) await observer.del(...keys);
  }
  for (const redis of connections) redis.disconnect();
});

describe('the global limiter through the app (RATE_LIMIT_MAX=20)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ RATE_LIMIT_MAX: '20', RATE_LIMIT_WINDOW_MS: '60000' });
  });
  afterAll(async () => {
    await ctx?.close();
  });

  test('request 21 → 429 RATE_LIMITED with Retry-After and RateLimit-*; the first 20 pass, Remaining counts down; the shared counter is exact', async () => {
    await ctx.container.redis.ping();
    const commands = watchRedisCommands(ctx.container.redis);
    const remaining: string[] = [];
    try {
      for (let i = 0; i < 20; i += 1) {
        const res = await request(ctx.app).get(`${API}/`);
        expect(res.status).toBe(200);
        expect(res.headers['ratelimit-limit']).toBe('20');
        expect(res.headers['ratelimit-policy']).toBe('20;w=60');
        remaining.push(res.headers['ratelimit-remaining']);
      }
      expect(remaining).toEqual(Array.from({ length: 20 }, (_, i) => String(19 - i)));

      const limited = await request(ctx.app).get(`${API}/`);
      expectError(limited, 429, 'RATE_LIMITED');
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(limited.headers['ratelimit-limit']).toBe('20');
      expect(limited.headers['ratelimit-remaining']).toBe('0');
      expect(Number(limited.headers['ratelimit-reset'])).toBeGreaterThan(0);
      expect(limited.headers['ratelimit-policy']).toBe('20;w=60');

      // Far from the limit the hits were counted locally: fewer rate-limit commands than requests.
      const sent = commands.take((c) => c.args.some((arg) => String(arg).includes(':rl:global:')));
      expect(sent.direct + sent.pipelined).toBeLessThan(21);
    } finally {
      commands.restore();
    }

    // The shared counter (what other instances see) holds every hit once the local ones are synced.
    const pattern = `${ctx.container.keys.key('rl', 'global')}:*`;
    let keys: string[] = [];
    await waitFor(async () => {
      keys = await ctx.container.redis.keys(pattern);
      return keys.length === 1 && (await count(keys[0])) === 21;
    }, 5_000);
  });
});

describe('BatchedRateLimitStore on a real Redis', () => {
  test('far from the limit an increment makes no round trip; one pipeline syncs every key; two instances sum exactly', async () => {
    const prefix = uniquePrefix();
    const [redisA, redisB] = [connect(), connect()];
    await Promise.all([redisA.ping(), redisB.ping()]);
    const a = store(redisA, prefix, { limit: 1_000, syncIntervalMs: 60_000 });
    const b = store(redisB, prefix, { limit: 1_000, syncIntervalMs: 60_000 });
    const [watchA, watchB] = [watchRedisCommands(redisA), watchRedisCommands(redisB)];
    try {
      // The first hit of a key asks Redis (nothing is known about it yet).
      for (const key of ['k1', 'k2', 'k3']) {
        await a.increment(key);
        await b.increment(key);
      }
      expect(watchA.take()).toEqual({ direct: 3, pipelined: 0, pipelines: 0 });
      expect(watchB.take()).toEqual({ direct: 3, pipelined: 0, pipelines: 0 });

      const totalsA: number[] = [];
      for (let i = 0; i < 30; i += 1) {
        for (const key of ['k1', 'k2', 'k3']) {
          const info = await a.increment(key);
          if (key === 'k1') totalsA.push(info.totalHits);
          expect(info.resetTime!.getTime()).toBeGreaterThan(Date.now());
        }
        await b.increment('k1');
      }
      // 90 + 30 hits, no Redis command at all.
      expect(watchA.take()).toEqual({ direct: 0, pipelined: 0, pipelines: 0 });
      expect(watchB.take()).toEqual({ direct: 0, pipelined: 0, pipelines: 0 });
      // A's view: its own first hit (B's came after A's reply), then its own hits counting up.
      expect(totalsA).toEqual(Array.from({ length: 30 }, (_, i) => 2 + i));

      await a.flush();
      expect(watchA.take()).toEqual({ direct: 0, pipelined: 3, pipelines: 1 });
      await b.flush();
      expect(watchB.take()).toEqual({ direct: 0, pipelined: 1, pipelines: 1 });

      expect(await count(`${prefix}k1`)).toBe(2 + 30 + 30);
      expect(await count(`${prefix}k2`)).toBe(2 + 30);
      expect(await count(`${prefix}k3`)).toBe(2 + 30);
      expect(await observer.pttl(`${prefix}k1`)).toBeGreaterThan(50_000);
      // B learnt the shared total from its flush's reply.
      expect((await b.increment('k1')).totalHits).toBe(63);
    } finally {
      watchA.restore();
      watchB.restore();
    }
  });

  test('the timer syncs pending hits on its own', async () => {
    const prefix = uniquePrefix();
    const s = store(connect(), prefix, { limit: 1_000, syncIntervalMs: 20 });
    for (let i = 0; i < 25; i += 1) await s.increment('ip');
    expect(s.syncScheduled).toBe(true);
    await waitFor(async () => (await count(`${prefix}ip`)) === 25, 5_000);
    await waitFor(async () => !s.syncScheduled, 5_000);
  });

  test('near the limit every hit is counted in Redis, and one instance never exceeds the limit', async () => {
    const prefix = uniquePrefix();
    const redis = connect();
    await redis.ping();
    // limit 50 → strict zone when 5 or fewer hits remain.
    const s = store(redis, prefix, { limit: 50, syncIntervalMs: 60_000 });
    const commands = watchRedisCommands(redis);
    try {
      for (let i = 0; i < 45; i += 1) await s.increment('ip');
      expect(commands.take()).toEqual({ direct: 1, pipelined: 0, pipelines: 0 });
      for (let i = 46; i <= 52; i += 1) {
        const info = await s.increment('ip');
        expect(info.totalHits).toBe(i);
        expect(commands.take()).toEqual({ direct: 1, pipelined: 0, pipelines: 0 });
      }
    } finally {
      commands.restore();
    }

    // Concurrent bursts against a fresh key, with syncs in between: exactly `limit` hits are accepted.
    const burst = store(redis, prefix, { limit: 50, syncIntervalMs: 60_000 });
    let accepted = 0;
    for (let round = 0; round < 6; round += 1) {
      const infos = await Promise.all(Array.from({ length: 20 }, () => burst.increment('burst')));
      accepted += infos.filter((info) => info.totalHits <= 50).length;
      await burst.flush();
    }
    expect(accepted).toBe(50);
    expect(await count(`${prefix}burst`)).toBe(120);
  });

  test('two instances hammering concurrently: exact sum, overshoot within what the other accepts in one sync interval', async () => {
    const prefix = uniquePrefix();
    const limit = 100;
    const perRound = 10;
    const instances = [
      store(connect(), prefix, { limit, syncIntervalMs: 60_000 }),
      store(connect(), prefix, { limit, syncIntervalMs: 60_000 }),
    ];
    let accepted = 0;
    let sent = 0;
    // One round = one sync interval: each instance takes `perRound` hits concurrently, then both sync.
    for (let round = 0; round < 15; round += 1) {
      const infos = await Promise.all(
        instances.flatMap((instance) => Array.from({ length: perRound }, () => instance.increment('ip'))),
      );
      sent += infos.length;
      accepted += infos.filter((info) => info.totalHits <= limit).length;
      await Promise.all(instances.map((instance) => instance.flush()));
    }
    expect(await count(`${prefix}ip`)).toBe(sent);
    expect(accepted).toBeGreaterThanOrEqual(limit);
    expect(accepted).toBeLessThanOrEqual(limit + perRound);
  });

  test('decrement and resetKey reach Redis', async () => {
    const prefix = uniquePrefix();
    const s = store(connect(), prefix, { limit: 1_000, syncIntervalMs: 60_000 });
    for (let i = 0; i < 10; i += 1) await s.increment('ip');
    await s.decrement('ip');
    await s.decrement('ip');
    await s.flush();
    expect(await count(`${prefix}ip`)).toBe(8);

    await s.resetKey('ip');
    expect(await observer.exists(`${prefix}ip`)).toBe(0);
    expect((await s.increment('ip')).totalHits).toBe(1);
    expect(await count(`${prefix}ip`)).toBe(1);
  });

  test('after the window the count starts again from 1, in Redis as well', async () => {
    const prefix = uniquePrefix();
    const s = store(connect(), prefix, { limit: 1_000, windowMs: 300, syncIntervalMs: 60_000 });
    await s.increment('ip');
    await s.increment('ip');
    await sleep(350);
    expect((await s.increment('ip')).totalHits).toBe(1);
    expect(await count(`${prefix}ip`)).toBe(1);
    expect(await observer.pttl(`${prefix}ip`)).toBeGreaterThan(0);
  });

  test('beyond maxKeys new keys are counted in Redis directly and not kept locally', async () => {
    const prefix = uniquePrefix();
    const redis = connect();
    await redis.ping();
    const s = store(redis, prefix, { limit: 1_000, maxKeys: 2, syncIntervalMs: 60_000 });
    await s.increment('a');
    await s.increment('b');
    const commands = watchRedisCommands(redis);
    try {
      for (let i = 0; i < 5; i += 1) expect((await s.increment('c')).totalHits).toBe(i + 1);
      expect(commands.take()).toEqual({ direct: 5, pipelined: 0, pipelines: 0 });
      expect(s.trackedKeys).toBe(2);
    } finally {
      commands.restore();
    }
  });

  test('close() stops the timer (never ref’ed: it cannot hold the process) and sends what is pending', async () => {
    const prefix = uniquePrefix();
    const s = store(connect(), prefix, { limit: 1_000, syncIntervalMs: 60_000 });
    await s.increment('ip');
    const timers = jest.spyOn(global, 'setTimeout');
    try {
      await s.increment('ip');
      await s.increment('ip');
      expect(s.syncScheduled).toBe(true);
      const timer = timers.mock.results.at(-1)?.value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
    } finally {
      timers.mockRestore();
    }
    await s.close();
    expect(s.syncScheduled).toBe(false);
    expect(await count(`${prefix}ip`)).toBe(3);
    // After close every hit goes to Redis directly; no timer again.
    expect((await s.increment('ip')).totalHits).toBe(4);
    expect(s.syncScheduled).toBe(false);
  });
});

describe('with Redis unreachable (counting in process memory)', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => process.on('unhandledRejection', onUnhandled));
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  test('through the app: the limit still holds (counted in memory)', async () => {
    const down = await createTestContext(
      { RATE_LIMIT_MAX: '2' },
      {},
      { redisUrl: `redis://127.0.0.1:${await findFreePort()}` },
    );
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await request(down.app).get(`${API}/`)).status);
      expect(statuses).toEqual([200, 200, 429, 429]);
    } finally {
      await down.close();
    }
    expect(unhandled).toEqual([]);
  });

  test('a failed sync keeps the counts, warns once, and delivers them when Redis accepts again', async () => {
    const prefix = uniquePrefix();
    const warnings: Array<Record<string, unknown>> = [];
    const logger = createLogger({ level: 'warn', pretty: false, service: 'test' });
    logger.clear().add(
      new winston.transports.Stream({
        stream: new Writable({
          write(chunk: Buffer, _encoding, done) {
            warnings.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
            done();
          },
        }),
      }),
    );
    const s = store(connect(), prefix, { limit: 1_000, syncIntervalMs: 60_000, logger });
    await s.increment('ip');
    for (let i = 0; i < 4; i += 1) await s.increment('ip');
    // A real Redis error for this key's command (the key holds another type): the sync fails.
    await observer.del(`${prefix}ip`);
    await observer.hset(`${prefix}ip`, 'x', '1');
    await s.flush();
    await s.flush();
    await sleep(20);
    expect(warnings.filter((w) => String(w.message).includes('rate limit sync'))).toHaveLength(1);
    expect(s.syncScheduled).toBe(true);

    await observer.del(`${prefix}ip`);
    await s.flush();
    expect(await count(`${prefix}ip`)).toBe(4);
    expect(unhandled).toEqual([]);
  });

  test('a lost connection: local hits are kept, no timer spins on a closed client, and they are sent after reconnecting', async () => {
    const prefix = uniquePrefix();
    const redis = connect();
    const s = store(redis, prefix, { limit: 1_000, syncIntervalMs: 20 });
    await s.increment('ip');
    for (let i = 0; i < 4; i += 1) await s.increment('ip');
    redis.disconnect();
    await s.flush();
    // The timer armed before the disconnect runs once and is not re-armed for a closed client.
    await sleep(150);
    expect(s.syncScheduled).toBe(false);
    expect(await count(`${prefix}ip`)).toBe(1);

    await redis.connect();
    await s.increment('ip');
    await waitFor(async () => (await count(`${prefix}ip`)) === 6, 5_000);
    expect(unhandled).toEqual([]);
  });

  test('a store on a port nobody listens on rejects (the limiter then allows the request) without unhandled rejections', async () => {
    const s = store(connect(`redis://127.0.0.1:${await findFreePort()}`), uniquePrefix(), {
      limit: 10,
    });
    await expect(s.increment('ip')).rejects.toThrow();
    // Nothing is kept for a key Redis never answered for.
    expect(s.trackedKeys).toBe(0);
    await s.close();
    expect(unhandled).toEqual([]);
  });
});
