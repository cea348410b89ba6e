import request from 'supertest';
import { API, expectError, PASSWORD, register, uniqueEmail } from '../helpers/auth';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ AUTH_RATE_LIMIT_MAX: '3', AUTH_RATE_LIMIT_WINDOW_MS: '60000' });
});
afterAll(async () => {
  await ctx?.close();
});

describe('auth rate limits (AUTH_RATE_LIMIT_*)', () => {
  test('login: the 4th request in the window → 429 RATE_LIMITED with Retry-After and RateLimit-* headers', async () => {
    const user = await register(ctx.app);
    const attempt = () =>
      request(ctx.app).post(`${API}/auth/login`).send({ email: user.email, password: user.password });
    const first = await attempt();
    expect(first.status).toBe(200);
    expect(first.headers['ratelimit-limit']).toBe('3');
    expect(first.headers['ratelimit-remaining']).toBe('2');
    await attempt();
    await attempt();
    const limited = await attempt();
    expectError(limited, 429, 'RATE_LIMITED');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers['ratelimit-limit']).toBe('3');
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    expect(Number(limited.headers['ratelimit-reset'])).toBeGreaterThan(0);
    expect(limited.headers['ratelimit-policy']).toBe('3;w=60');
  });

  test('invalid requests count too (the limiter runs before validation)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push(
        (await request(ctx.app).post(`${API}/auth/forgot-password`).send({ email: 'not-an-email' })).status,
      );
    }
    expect(statuses).toEqual([400, 400, 400, 429]);
  });

  test('register and reset-password are limited as well', async () => {
    const registerStatuses: number[] = [];
    // One registration was spent by the login test's setup.
    for (let i = 0; i < 3; i += 1) {
      const res = await request(ctx.app)
        .post(`${API}/auth/register`)
        .send({ email: uniqueEmail(), password: PASSWORD, firstName: 'A', lastName: 'B' });
      registerStatuses.push(res.status);
    }
    expect(registerStatuses).toEqual([201, 201, 429]);

    const resetStatuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await request(ctx.app)
        .post(`${API}/auth/reset-password`)
        .send({ token: 'x'.repeat(43), newPassword: 'N3wPassw0rd' });
      resetStatuses.push(res.status);
    }
    expect(resetStatuses).toEqual([400, 400, 400, 429]);
  });

  test('the stricter limiter does not apply to ordinary authenticated routes', async () => {
    // Registration is exhausted above, so sign a user up directly through the service.
    const session = await ctx.container.services.auth.register(
      {},
      { email: uniqueEmail(), password: PASSWORD, firstName: 'A', lastName: 'B' },
    );
    for (let i = 0; i < 6; i += 1) {
      const res = await request(ctx.app)
        .get(`${API}/auth/me`)
        .set('Authorization', `Bearer ${session.token}`);
      expect(res.status).toBe(200);
    }
  });
});
