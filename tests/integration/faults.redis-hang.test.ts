import request from 'supertest';
import { spawnRedis, type SpawnedRedis } from '../../src/lib/embedded/spawned-redis';
import { API, bearer, registerAdmin, type TestUser } from '../helpers/auth';
import { createProduct } from '../helpers/catalogue-fixtures';
import { createTestContext, type TestContext } from '../helpers/test-app';

jest.setTimeout(60_000);

/**
 * A Redis of this test's own, frozen with SIGSTOP: it keeps the TCP connection open and never answers, unlike a
 * stopped one. Without a command timeout every request touching Redis waits for the whole hang (jest's timeout).
 */
let redis: SpawnedRedis;
let ctx: TestContext;
let admin: TestUser;

beforeAll(async () => {
  redis = await spawnRedis();
  ctx = await createTestContext({ REDIS_COMMAND_TIMEOUT_MS: '200' }, {}, { redisUrl: redis.url });
  admin = await registerAdmin(ctx);
});

afterAll(async () => {
  process.kill(redis.pid, 'SIGCONT');
  await ctx.close();
  await redis.stop();
});

test('with Redis frozen, catalogue reads come from PostgreSQL, admin writes succeed and health answers', async () => {
  const product = await createProduct(ctx, { price: '298.00' });
  const warm = await request(ctx.app).get(`${API}/products/${product.id}`);
  expect(warm.status).toBe(200);
  expect((await request(ctx.app).get(`${API}/products/${product.id}`)).headers['x-cache']).toBe('HIT');
  ctx.container.cache.clearLocal();

  process.kill(redis.pid, 'SIGSTOP');
  try {
    const read = await request(ctx.app).get(`${API}/products/${product.id}`);
    expect(read.status).toBe(200);
    expect(read.headers['x-cache']).toBe('MISS');
    expect(read.body.data.price).toBe(298);

    const list = await request(ctx.app).get(`${API}/products?limit=3`);
    expect(list.status).toBe(200);

    const write = await request(ctx.app)
      .put(`${API}/products/${product.id}`)
      .set(bearer(admin.token))
      .send({ price: 398 });
    expect(write.status).toBe(200);
    expect(write.body.data.price).toBe(398);

    const after = await request(ctx.app).get(`${API}/products/${product.id}`);
    expect(after.status).toBe(200);
    expect(after.body.data.price).toBe(398);

    expect((await request(ctx.app).get(`${API}/health`)).status).toBe(200);
    const ready = await request(ctx.app).get(`${API}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body.details.redis).toEqual({ status: 'down', latencyMs: expect.any(Number) });
    const detailed = await request(ctx.app).get(`${API}/health/detailed`);
    expect(detailed.status).toBe(200);
    expect(detailed.body.data.dependencies.queue.status).toBe('down');
  } finally {
    process.kill(redis.pid, 'SIGCONT');
  }
  // Thawed: the write's pending invalidation went through before anything is served from the cache again.
  const thawed = await request(ctx.app).get(`${API}/products/${product.id}`);
  expect(thawed.status).toBe(200);
  expect(thawed.body.data.price).toBe(398);
});
