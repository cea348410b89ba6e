import request from 'supertest';
import { createRedis, type Redis } from '../../src/lib/redis';
import { spawnRedis, type SpawnedRedis } from '../../src/lib/embedded/spawned-redis';
import { API, bearer, registerAdmin, type TestUser } from '../helpers/auth';
import { seedCatalogue, type Catalogue } from '../helpers/catalogue';
import { createTestContext, type TestContext } from '../helpers/test-app';
import { watchRedisCommands } from '../helpers/redis-commands';
import { readTestEnv } from '../helpers/test-env';
import { waitFor } from '../helpers/wait';

jest.setTimeout(60_000);

/** Two API instances (same database, same Redis and key prefix), as two processes behind a load balancer. */
let a: TestContext;
let b: TestContext;
/** The in-process tier turned off: every hit is a Redis round trip. */
let redisOnly: TestContext;
/** A Redis of its own, flushed and restarted by tests. */
let ownRedis: SpawnedRedis;
let own: TestContext;
/** Another Redis client, as another process would have. */
let foreign: Redis;
let catalogue: Catalogue;
let admin: TestUser;

beforeAll(async () => {
  a = await createTestContext();
  b = await createTestContext({ REDIS_KEY_PREFIX: a.config.REDIS_KEY_PREFIX });
  redisOnly = await createTestContext({ CACHE_LOCAL_MAX_MB: '0' });
  ownRedis = await spawnRedis();
  own = await createTestContext({}, {}, { redisUrl: ownRedis.url });
  catalogue = await seedCatalogue(a);
  admin = await registerAdmin(a);
  foreign = createRedis(readTestEnv('redisUrl'));
});
afterAll(async () => {
  foreign?.disconnect();
  await Promise.all([b?.close(), redisOnly?.close(), own?.close()]);
  await ownRedis?.stop();
  await a?.close();
});

const get = (context: TestContext, path: string) => request(context.app).get(`${API}${path}`);

/** Runs `reads` and returns the Redis commands the context's client sent meanwhile on cache keys. */
async function cacheCommandsDuring(context: TestContext, reads: () => Promise<void>) {
  const commands = watchRedisCommands(context.container.redis);
  try {
    await reads();
    return commands.takeNames((command) => command.args.some((arg) => String(arg).includes(':cache:')));
  } finally {
    commands.restore();
  }
}

/** Reads `path` until it is a hit (filled in Redis, then copied into the local tier if that is active). */
async function warmed(context: TestContext, path: string): Promise<void> {
  await get(context, path);
  expect((await get(context, path)).headers['x-cache']).toBe('HIT');
}

describe('in-process tier in front of Redis', () => {
  test('repeated hits make no Redis round trip at all; with the tier off, every hit is one', async () => {
    const path = `/products/${catalogue.products.iphone.id}`;
    await get(a, path);
    await waitFor(() => a.container.cache.localTierActive);
    await warmed(a, path);
    const commands = await cacheCommandsDuring(a, async () => {
      for (let i = 0; i < 10; i++) {
        const res = await get(a, path);
        expect([res.status, res.headers['x-cache']]).toEqual([200, 'HIT']);
      }
    });
    expect(commands).toEqual([]);

    await warmed(redisOnly, path);
    const withoutTier = await cacheCommandsDuring(redisOnly, async () => {
      for (let i = 0; i < 10; i++) expect((await get(redisOnly, path)).headers['x-cache']).toBe('HIT');
    });
    // Only the cache's reads: the rate limiter's batched sync (also an EVALSHA) may fall into the window.
    expect(withoutTier).toEqual(Array.from({ length: 10 }, () => 'evalsha'));
  });

  test('a write on one instance is seen by the very next read on the other, every time', async () => {
    const id = catalogue.products.macbook.id;
    const path = `/products/${id}`;
    await get(b, path);
    await waitFor(() => b.container.cache.localTierActive);
    for (let round = 1; round <= 15; round++) {
      await warmed(b, path);
      const price = 1000 + round;
      const write = await request(a.app)
        .put(`${API}/products/${id}`)
        .set(bearer(admin.token))
        .send({ price });
      expect(write.status).toBe(200);
      const read = await get(b, path);
      expect([round, read.body.data.price]).toEqual([round, price]);
    }
  });

  test('a version bump by any Redis client (another process) invalidates the local copy', async () => {
    const path = '/products/brands';
    await get(a, path);
    await waitFor(() => a.container.cache.localTierActive);
    for (let round = 0; round < 10; round++) {
      await warmed(a, path);
      await foreign.incr(`${a.config.REDIS_KEY_PREFIX}:cache:ver:products`);
      expect((await get(a, path)).headers['x-cache']).toBe('MISS');
    }
  });

  test('Redis flushed: nothing is served from the local tier afterwards', async () => {
    const path = `/products/${catalogue.products.galaxy.id}`;
    await get(own, path);
    await waitFor(() => own.container.cache.localTierActive);
    await warmed(own, path);
    await own.container.redis.flushdb();
    expect((await get(own, path)).headers['x-cache']).toBe('MISS');
  });

  test('the tracking connection dropped: the tier is off until tracking is set up again, then works', async () => {
    const path = '/categories';
    await get(own, path);
    await waitFor(() => own.container.cache.localTierActive);
    await warmed(own, path);
    await own.container.redis.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await waitFor(() => !own.container.cache.localTierActive, 5_000).catch(() => undefined);
    await waitFor(() => own.container.cache.localTierActive);
    // Tracking was set up again on the new connection: a bump is still pushed.
    await warmed(own, path);
    await own.container.redis.incr(`${own.config.REDIS_KEY_PREFIX}:cache:ver:categories`);
    expect((await get(own, path)).headers['x-cache']).toBe('MISS');
  });

  test('Redis restarted empty (no persistence): old local entries are never served', async () => {
    const path = `/products/${catalogue.products.pixel.id}`;
    await get(own, path);
    await waitFor(() => own.container.cache.localTierActive);
    await warmed(own, path);
    const before = (await get(own, path)).body.data.price;
    await ownRedis.stop();
    await waitFor(() => !own.container.cache.localTierActive);
    // The product changes while Redis is gone: the write cannot bump the version.
    await own.container.prisma.product.update({
      where: { id: catalogue.products.pixel.id },
      data: { price: before + 5 },
    });
    ownRedis = await spawnRedis({ port: ownRedis.port });
    await waitFor(() => own.container.cache.localTierActive);
    const res = await get(own, path);
    expect(res.headers['x-cache']).toBe('MISS');
    expect(res.body.data.price).toBe(before + 5);
  });
});
