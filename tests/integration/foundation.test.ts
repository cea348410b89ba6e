import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

function expectEnvelopeMeta(body: { meta: { requestId: string; timestamp: string } }, requestId: string) {
  expect(body.meta.requestId).toBe(requestId);
  expect(new Date(body.meta.timestamp).toISOString()).toBe(body.meta.timestamp);
}

describe('conventions', () => {
  it('serves the API index in the success envelope with a generated request id', async () => {
    const res = await request(ctx.app).get('/api/v1');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 200,
      message: expect.any(String),
      data: { docs: '/api/v1/docs' },
    });
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expectEnvelopeMeta(res.body, id);
  });

  it("echoes the caller's X-Request-ID in the header and meta", async () => {
    const res = await request(ctx.app).get('/api/v1/health').set('X-Request-ID', 'trace-123');
    expect(res.headers['x-request-id']).toBe('trace-123');
    expectEnvelopeMeta(res.body, 'trace-123');
  });

  it('answers unknown routes with 404 ROUTE_NOT_FOUND in the error envelope', async () => {
    const res = await request(ctx.app).get('/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND', message: expect.any(String) });
    expectEnvelopeMeta(res.body, res.headers['x-request-id']);
  });

  it('rejects malformed JSON with 400 INVALID_JSON and no internals', async () => {
    const res = await request(ctx.app)
      .post('/api/v1/nope')
      .set('Content-Type', 'application/json')
      .send('{"a": ');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_JSON');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js|SyntaxError|stack/);
  });

  it('rejects bodies over 100 kB with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await request(ctx.app)
      .post('/api/v1/nope')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ blob: 'x'.repeat(101 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('sets security headers and no X-Powered-By', async () => {
    const res = await request(ctx.app).get('/api/v1/live');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('allows CORS only for configured origins', async () => {
    const allowed = await request(ctx.app).get('/api/v1/live').set('Origin', 'http://localhost:5173');
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const denied = await request(ctx.app).get('/api/v1/live').set('Origin', 'https://evil.example');
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('operations', () => {
  it('reports health with uptime and version', async () => {
    const res = await request(ctx.app).get('/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ status: 'ok', uptime: expect.any(Number), version: expect.any(String) });
  });

  it('reports each dependency with its latency', async () => {
    const res = await request(ctx.app).get('/api/v1/health/detailed');
    expect(res.status).toBe(200);
    for (const name of ['database', 'redis', 'queue']) {
      expect(res.body.data.dependencies[name]).toEqual({ status: 'up', latencyMs: expect.any(Number) });
    }
  });

  it('is ready and live while Postgres and Redis answer', async () => {
    expect((await request(ctx.app).get('/api/v1/ready')).status).toBe(200);
    expect((await request(ctx.app).get('/api/v1/live')).body.data).toEqual({ status: 'ok' });
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await request(ctx.app).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/v1/health', '/api/v1/ready']));
    const docs = await request(ctx.app).get('/api/v1/docs/');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger');
  });
});

describe('when Redis is unreachable', () => {
  let down: TestContext;
  beforeAll(async () => {
    down = await createTestContext({}, {}, { redisUrl: 'redis://127.0.0.1:1' });
  });
  afterAll(async () => {
    await down.close();
  });

  it('is not ready (503 SERVICE_UNAVAILABLE) but still live', async () => {
    const ready = await request(down.app).get('/api/v1/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(ready.body.details.redis.status).toBe('down');
    expect((await request(down.app).get('/api/v1/live')).status).toBe(200);
  });
});
