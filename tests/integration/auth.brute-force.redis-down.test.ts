import request from 'supertest';
import { spawnRedis, type SpawnedRedis } from '../../src/lib/embedded/spawned-redis';
import { API, expectError, register, uniqueEmail } from '../helpers/auth';
import { createTestContext, type TestContext } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

jest.setTimeout(60_000);

/** Both apps talk to a redis-server of this file's own, which the tests stop and start again empty. */
let redis: SpawnedRedis;
let ctx: TestContext;
/** Low auth rate limit (3 per window). */
let limited: TestContext;

beforeAll(async () => {
  redis = await spawnRedis();
  ctx = await createTestContext({}, {}, { redisUrl: redis.url });
  limited = await createTestContext(
    { AUTH_RATE_LIMIT_MAX: '3', AUTH_RATE_LIMIT_WINDOW_MS: '60000' },
    {},
    { redisUrl: redis.url },
  );
});
afterAll(async () => {
  await limited?.close();
  await ctx?.close();
  await redis?.stop();
});

async function stopRedis(): Promise<void> {
  await redis.stop();
  await waitFor(
    () => ctx.container.redis.status !== 'ready' && limited.container.redis.status !== 'ready',
    5_000,
  );
}

async function startRedisEmpty(): Promise<void> {
  redis = await spawnRedis({ port: redis.port });
  await waitFor(
    () => ctx.container.redis.status === 'ready' && limited.container.redis.status === 'ready',
    10_000,
  );
}

const login = (app: TestContext, email: string, password: string) =>
  request(app.app).post(`${API}/auth/login`).send({ email, password });

describe('login lockout (record in PostgreSQL)', () => {
  test('with Redis stopped: 5 wrong passwords, then the right one → 423 ACCOUNT_LOCKED', async () => {
    const user = await register(ctx.app);
    await stopRedis();
    try {
      for (let i = 0; i < 5; i += 1) {
        expectError(await login(ctx, user.email, `Wr0ng${i}xxx`), 401, 'INVALID_CREDENTIALS');
      }
      const locked = await login(ctx, user.email, user.password);
      expectError(locked, 423, 'ACCOUNT_LOCKED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      // 7 wrong ones (the probe) do not get through either.
      const email = uniqueEmail('nobody');
      for (let i = 0; i < 7; i += 1) await login(ctx, email, 'Wr0ngPassword');
      expectError(await login(ctx, email, 'Wr0ngPassword'), 423, 'ACCOUNT_LOCKED');
    } finally {
      await startRedisEmpty();
    }
  });

  test('a lock engaged while Redis was up holds after Redis restarts empty', async () => {
    const user = await register(ctx.app);
    for (let i = 0; i < 5; i += 1) await login(ctx, user.email, `Wr0ng${i}xxx`);
    await stopRedis();
    await startRedisEmpty();
    expectError(await login(ctx, user.email, user.password), 423, 'ACCOUNT_LOCKED');
  });

  test('concurrent wrong passwords each count (one atomic upsert)', async () => {
    const user = await register(ctx.app);
    await Promise.all(Array.from({ length: 5 }, (_, i) => login(ctx, user.email, `Wr0ng${i}xxx`)));
    expectError(await login(ctx, user.email, user.password), 423, 'ACCOUNT_LOCKED');
    const rows = await ctx.container.prisma.loginFailure.findMany();
    expect(rows.some((row) => row.failures === 5)).toBe(true);
  });
});

describe('rate limits while Redis is unreachable', () => {
  test('count in process memory (4th → 429), and count in Redis again once it is back', async () => {
    await stopRedis();
    try {
      const email = uniqueEmail('rl');
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await login(limited, email, 'Wr0ngPassword')).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      expectError(await login(limited, email, 'Wr0ngPassword'), 429, 'RATE_LIMITED');
    } finally {
      await startRedisEmpty();
    }
    const prefix = `${limited.container.keys.key('rl')}:`;
    const res = await login(limited, uniqueEmail('rl'), 'Wr0ngPassword');
    // Redis is empty again: its counters start over (the memory ones are for outages only).
    expect(res.status).toBe(401);
    expect(res.headers['ratelimit-remaining']).toBe('2');
    const keys = await limited.container.redis.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
  });
});
