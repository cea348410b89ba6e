import request from 'supertest';
import { API } from '../helpers/auth';
import { createTestContext, type TestContext } from '../helpers/test-app';

describe('health endpoints and the global rate limit', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ RATE_LIMIT_MAX: '3' });
  });
  afterAll(async () => {
    await ctx.close();
  });

  test('/health, /ready and /live keep answering after the per-IP limit is spent', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(ctx.app).get(`${API}/products`)).status);
    expect(statuses).toContain(429);
    for (const path of ['/health', '/ready', '/live', '/health/detailed']) {
      for (let i = 0; i < 5; i++) expect((await request(ctx.app).get(`${API}${path}`)).status).toBe(200);
    }
  });
});

describe('with Redis unreachable', () => {
  let down: TestContext;
  beforeAll(async () => {
    down = await createTestContext({}, {}, { redisUrl: 'redis://127.0.0.1:1' });
  });
  afterAll(async () => {
    await down.close();
  });

  test('/ready and /health/detailed give status and latency per dependency, no driver message', async () => {
    const ready = await request(down.app).get(`${API}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body.details).toEqual({
      ready: false,
      shuttingDown: false,
      database: { status: 'up', latencyMs: expect.any(Number) },
      redis: { status: 'down', latencyMs: expect.any(Number) },
    });
    const detailed = await request(down.app).get(`${API}/health/detailed`);
    expect(detailed.body.data.status).toBe('degraded');
    for (const dependency of ['redis', 'queue']) {
      expect(detailed.body.data.dependencies[dependency]).toEqual({
        status: 'down',
        latencyMs: expect.any(Number),
      });
    }
    expect(JSON.stringify([ready.body, detailed.body])).not.toMatch(
      /ECONNREFUSED|retries|127\.0\.0\.1|timed out/i,
    );
  });
});
