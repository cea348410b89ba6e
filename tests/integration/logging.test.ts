import { Writable } from 'node:stream';
import request from 'supertest';
import winston from 'winston';
import { createLogger } from '../../src/lib/logger';
import { createTestContext, type TestContext } from '../helpers/test-app';

const lines: Array<Record<string, unknown>> = [];
let ctx: TestContext;

beforeAll(async () => {
  const logger = createLogger({ level: 'info', pretty: false, service: 'test' });
  logger.clear().add(
    new winston.transports.Stream({
      stream: new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
          done();
        },
      }),
    }),
  );
  ctx = await createTestContext({}, { logger });
});
afterAll(async () => {
  await ctx.close();
});

const waitForLine = async (predicate: (line: Record<string, unknown>) => boolean) => {
  for (let i = 0; i < 50 && !lines.some(predicate); i += 1) await new Promise((r) => setTimeout(r, 20));
  return lines.find(predicate);
};

it('writes one JSON access line per request with request id, method, route, status and duration', async () => {
  await request(ctx.app).get('/api/v1/health').set('X-Request-ID', 'log-test-1');
  const line = await waitForLine((l) => l.requestId === 'log-test-1');
  expect(line).toMatchObject({
    level: 'info',
    message: 'request',
    method: 'GET',
    route: '/api/v1/health',
    status: 200,
    durationMs: expect.any(Number),
  });
});

it('logs the user id and never the password or tokens of a request', async () => {
  const register = await request(ctx.app)
    .post('/api/v1/auth/register')
    .set('X-Request-ID', 'log-test-2')
    .send({ email: 'logs@example.com', password: 'Secret123A', firstName: 'Log', lastName: 'Test' });
  expect(register.status).toBe(201);
  await request(ctx.app)
    .get('/api/v1/auth/me')
    .set('Authorization', `Bearer ${register.body.data.token}`)
    .set('X-Request-ID', 'log-test-3');
  const line = await waitForLine((l) => l.requestId === 'log-test-3');
  expect(line).toMatchObject({ status: 200, userId: register.body.data.user.id });
  const everything = JSON.stringify(lines);
  expect(everything).not.toContain('Secret123A');
  expect(everything).not.toContain(register.body.data.token);
  expect(everything).not.toContain(register.body.data.refreshToken);
});
