import request from 'supertest';
import {
  API,
  auditActions,
  bearer,
  expectError,
  login,
  refreshCookie,
  register,
  setCookies,
} from '../helpers/auth';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const refresh = (body?: object, cookie?: string) => {
  const req = request(ctx.app).post(`${API}/auth/refresh`);
  if (cookie) req.set('Cookie', `refreshToken=${cookie}`);
  return body ? req.send(body) : req;
};
const me = (token: string) => request(ctx.app).get(`${API}/auth/me`).set(bearer(token));

describe('refresh cookie', () => {
  test('httpOnly, SameSite=Strict, path /api/v1/auth, 7 days, not Secure outside production', async () => {
    const res = await request(ctx.app)
      .post(`${API}/auth/register`)
      .send({
        email: `cookie-${Date.now()}@example.test`,
        password: 'Str0ngPassw0rd',
        firstName: 'A',
        lastName: 'B',
      });
    const cookie = refreshCookie(res) ?? '';
    const attributes = cookie.split(';').map((part) => part.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=strict');
    expect(attributes).toContain('path=/api/v1/auth');
    expect(attributes).toContain(`max-age=${7 * 86_400}`);
    expect(attributes).not.toContain('secure');
  });

  test('Secure in production', async () => {
    // The URLs only satisfy production's config checks; the context connects to the test services.
    const prod = await createTestContext({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://unused.invalid/db',
      REDIS_URL: 'redis://unused.invalid:6379',
    });
    try {
      const res = await request(prod.app)
        .post(`${API}/auth/register`)
        .send({
          email: `prod-${Date.now()}@example.test`,
          password: 'Str0ngPassw0rd',
          firstName: 'A',
          lastName: 'B',
        });
      expect(res.status).toBe(201);
      const attributes = (refreshCookie(res) ?? '').split(';').map((part) => part.trim().toLowerCase());
      expect(attributes).toContain('secure');
      expect(attributes).toContain('httponly');
      expect(attributes).toContain('samesite=strict');
    } finally {
      await prod.close();
    }
  });
});

describe('POST /auth/refresh', () => {
  test('rotates: { token, refreshToken, expiresAt } from the body; the old refresh token is used up', async () => {
    const user = await register(ctx.app);
    const res = await refresh({ refreshToken: user.refreshToken });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.data).sort()).toEqual(['expiresAt', 'refreshToken', 'token']);
    expect(res.body.data.refreshToken).not.toBe(user.refreshToken);
    expect(refreshCookie(res)).toContain(`refreshToken=${res.body.data.refreshToken}`);
    expect((await me(res.body.data.token)).status).toBe(200);
    // Same family (session id) as before.
    const rows = await ctx.container.prisma.refreshToken.findMany({ where: { userId: user.id } });
    expect(new Set(rows.map((r) => r.familyId)).size).toBe(1);
    expect(rows.filter((r) => r.usedAt !== null)).toHaveLength(1);
    expect(await auditActions(ctx, { actorId: user.id })).toContain('auth.refresh');
  });

  test('works from the cookie alone', async () => {
    const user = await register(ctx.app);
    const res = await refresh(undefined, user.refreshToken);
    expect(res.status).toBe(200);
    const next = await refresh(undefined, res.body.data.refreshToken);
    expect(next.status).toBe(200);
  });

  test('reusing a rotated token → 401 TOKEN_REVOKED and the whole family dies (successor and its access tokens)', async () => {
    const user = await register(ctx.app);
    const first = await refresh({ refreshToken: user.refreshToken });
    expect(first.status).toBe(200);
    const { token: newAccess, refreshToken: successor } = first.body.data;

    const reuse = await refresh({ refreshToken: user.refreshToken });
    expectError(reuse, 401, 'TOKEN_REVOKED');
    expectError(await refresh({ refreshToken: successor }), 401, 'TOKEN_REVOKED');
    expectError(await me(newAccess), 401, 'TOKEN_REVOKED');
    expectError(await me(user.token), 401, 'TOKEN_REVOKED');
    expect(await auditActions(ctx, { actorId: user.id })).toContain('auth.refresh_reuse_detected');

    // Other sessions of the same user are not affected.
    const other = await login(ctx.app, user.email);
    expect((await me(other.token)).status).toBe(200);
    expect((await refresh({ refreshToken: other.refreshToken })).status).toBe(200);
  });

  test('two parallel refreshes with one token → exactly one 200', async () => {
    const user = await register(ctx.app);
    const results = await Promise.all([
      refresh({ refreshToken: user.refreshToken }),
      refresh({ refreshToken: user.refreshToken }),
      refresh({ refreshToken: user.refreshToken }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 401, 401]);
    for (const r of results.filter((x) => x.status === 401)) expect(r.body.code).toBe('TOKEN_REVOKED');
    // Exactly one successor was minted.
    const rows = await ctx.container.prisma.refreshToken.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.usedAt !== null)).toHaveLength(1);
  });

  test('unknown token → 401 UNAUTHORIZED; none at all → 401 UNAUTHORIZED', async () => {
    expectError(await refresh({ refreshToken: 'A'.repeat(43) }), 401, 'UNAUTHORIZED');
    expectError(await refresh(), 401, 'UNAUTHORIZED');
    expectError(await refresh({}), 401, 'UNAUTHORIZED');
  });

  test('a wrong type in the body → 400 VALIDATION_ERROR', async () => {
    const res = await refresh({ refreshToken: 123 });
    expect(expectError(res, 400, 'VALIDATION_ERROR').details).toHaveProperty('refreshToken');
  });

  test('expired → 401 TOKEN_EXPIRED (and the cookie is cleared)', async () => {
    const user = await register(ctx.app);
    await ctx.container.prisma.refreshToken.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const res = await refresh(undefined, user.refreshToken);
    expectError(res, 401, 'TOKEN_EXPIRED');
    expect(refreshCookie(res)).toMatch(/^refreshToken=;/);
  });

  test('a refresh token of a deactivated user → 401', async () => {
    const user = await register(ctx.app);
    await ctx.container.prisma.user.update({ where: { id: user.id }, data: { isActive: false } });
    const res = await refresh({ refreshToken: user.refreshToken });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('TOKEN_REVOKED');
  });
});

describe('POST /auth/logout', () => {
  test('the access token → 401 TOKEN_REVOKED at once; the refresh token is dead; the cookie is cleared', async () => {
    const user = await register(ctx.app);
    const res = await request(ctx.app)
      .post(`${API}/auth/logout`)
      .set(bearer(user.token))
      .set('Cookie', `refreshToken=${user.refreshToken}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ success: true });
    const cleared = refreshCookie(res) ?? '';
    expect(cleared).toMatch(/^refreshToken=;/);
    expect(cleared.toLowerCase()).toContain('path=/api/v1/auth');
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);

    expectError(await me(user.token), 401, 'TOKEN_REVOKED');
    expectError(await refresh({ refreshToken: user.refreshToken }), 401, 'TOKEN_REVOKED');
    const sid = (JSON.parse(Buffer.from(user.token.split('.')[1], 'base64url').toString()) as { sid: string })
      .sid;
    const sessionKey = ctx.container.keys.key('auth', 'session', sid);
    expect(await ctx.container.redis.get(sessionKey)).toBe('ended');
    const ttl = await ctx.container.redis.pttl(sessionKey);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual((ctx.config.ACCESS_TOKEN_TTL_SECONDS + 5) * 1000);
    expect(await auditActions(ctx, { actorId: user.id })).toContain('auth.logout');
  });

  test('accepts the refresh token in the body; other sessions stay alive', async () => {
    const user = await register(ctx.app);
    const other = await login(ctx.app, user.email);
    const res = await request(ctx.app)
      .post(`${API}/auth/logout`)
      .set(bearer(user.token))
      .send({ refreshToken: user.refreshToken });
    expect(res.status).toBe(200);
    expectError(await refresh({ refreshToken: user.refreshToken }), 401, 'TOKEN_REVOKED');
    expect((await me(other.token)).status).toBe(200);
    expect((await refresh({ refreshToken: other.refreshToken })).status).toBe(200);
  });

  test('without a refresh token it still ends this session (its family)', async () => {
    const user = await register(ctx.app);
    expect((await request(ctx.app).post(`${API}/auth/logout`).set(bearer(user.token))).status).toBe(200);
    expectError(await me(user.token), 401, 'TOKEN_REVOKED');
    expectError(await refresh({ refreshToken: user.refreshToken }), 401, 'TOKEN_REVOKED');
  });

  test("someone else's refresh token in the body is not revoked", async () => {
    const alice = await register(ctx.app);
    const bob = await register(ctx.app);
    await request(ctx.app)
      .post(`${API}/auth/logout`)
      .set(bearer(alice.token))
      .send({ refreshToken: bob.refreshToken });
    expect((await refresh({ refreshToken: bob.refreshToken })).status).toBe(200);
  });

  test('requires authentication', async () => {
    expectError(await request(ctx.app).post(`${API}/auth/logout`), 401, 'UNAUTHORIZED');
  });
});

describe('POST /auth/logout-all', () => {
  test('every session of the user dies: access and refresh tokens, everywhere', async () => {
    const user = await register(ctx.app);
    const second = await login(ctx.app, user.email);
    const rotated = (await refresh({ refreshToken: second.refreshToken })).body.data;
    const stranger = await register(ctx.app);

    const res = await request(ctx.app).post(`${API}/auth/logout-all`).set(bearer(second.token));
    expect(res.status).toBe(200);
    expect(setCookies(res).some((line) => line.startsWith('refreshToken=;'))).toBe(true);

    for (const token of [user.token, second.token, rotated.token])
      expectError(await me(token), 401, 'TOKEN_REVOKED');
    for (const refreshToken of [user.refreshToken, rotated.refreshToken]) {
      expectError(await refresh({ refreshToken }), 401, 'TOKEN_REVOKED');
    }
    expect((await me(stranger.token)).status).toBe(200);
    expect(await auditActions(ctx, { actorId: user.id })).toContain('auth.logout_all');

    // A new login works again.
    const fresh = await login(ctx.app, user.email);
    expect((await me(fresh.token)).status).toBe(200);
  });
});
