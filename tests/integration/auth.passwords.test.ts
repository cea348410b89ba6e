import request from 'supertest';
import {
  API,
  auditActions,
  bearer,
  expectError,
  lastEmail,
  login,
  register,
  uniqueEmail,
} from '../helpers/auth';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const NEW_PASSWORD = 'N3wPassw0rdX';
const post = (path: string, body?: object, token?: string) => {
  const req = request(ctx.app).post(`${API}/auth${path}`);
  if (token) req.set(bearer(token));
  return body ? req.send(body) : req;
};
const me = (token: string) => request(ctx.app).get(`${API}/auth/me`).set(bearer(token));
const refresh = (refreshToken: string) => post('/refresh', { refreshToken });

async function outboxCount(to: string, template: string): Promise<number> {
  const rows = await ctx.container.prisma.outboxEvent.findMany({ where: { aggregateId: to } });
  return rows.filter((row) => (row.payload as { template: string }).template === template).length;
}

describe('POST /auth/change-password', () => {
  test('other sessions die at once (access AND refresh tokens); this one stays valid; a notice is e-mailed', async () => {
    const user = await register(ctx.app);
    const other = await login(ctx.app, user.email);
    const third = await login(ctx.app, user.email);

    const res = await post(
      '/change-password',
      { currentPassword: user.password, newPassword: NEW_PASSWORD },
      user.token,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ success: true });

    // This session.
    expect((await me(user.token)).status).toBe(200);
    const rotated = await refresh(user.refreshToken);
    expect(rotated.status).toBe(200);
    expect((await me(rotated.body.data.token)).status).toBe(200);
    // The others.
    for (const session of [other, third]) {
      expectError(await me(session.token), 401, 'TOKEN_REVOKED');
      expectError(await refresh(session.refreshToken), 401, 'TOKEN_REVOKED');
    }
    // The new password works, the old one does not.
    expectError(
      await post('/login', { email: user.email, password: user.password }),
      401,
      'INVALID_CREDENTIALS',
    );
    expect((await post('/login', { email: user.email, password: NEW_PASSWORD })).status).toBe(200);
    expect((await lastEmail(ctx, user.email, 'password-changed'))?.data).toEqual({ firstName: 'Ada' });
    expect(await auditActions(ctx, { actorId: user.id })).toContain('auth.password_changed');
  });

  test('wrong current password → 401 INVALID_CREDENTIALS, nothing changes', async () => {
    const user = await register(ctx.app);
    const other = await login(ctx.app, user.email);
    const res = await post(
      '/change-password',
      { currentPassword: 'Wr0ngPassword', newPassword: NEW_PASSWORD },
      user.token,
    );
    expectError(res, 401, 'INVALID_CREDENTIALS');
    expect((await me(other.token)).status).toBe(200);
    expect((await post('/login', { email: user.email, password: user.password })).status).toBe(200);
  });

  test('a weak new password → 400 with details.newPassword', async () => {
    const user = await register(ctx.app);
    const res = await post(
      '/change-password',
      { currentPassword: user.password, newPassword: 'weak' },
      user.token,
    );
    expect(Object.keys(expectError(res, 400, 'VALIDATION_ERROR').details as object)).toEqual(['newPassword']);
  });

  test('the same password again → 400', async () => {
    const user = await register(ctx.app);
    const res = await post(
      '/change-password',
      { currentPassword: user.password, newPassword: user.password },
      user.token,
    );
    expect(expectError(res, 400, 'VALIDATION_ERROR').details).toEqual({ newPassword: [expect.any(String)] });
  });

  test('requires authentication', async () => {
    expectError(
      await post('/change-password', { currentPassword: 'x', newPassword: NEW_PASSWORD }),
      401,
      'UNAUTHORIZED',
    );
  });
});

describe('forgot / reset password', () => {
  const FORGOT_MESSAGE_MATCH = /if an account exists/i;

  test('always 200 with the same body: no account enumeration', async () => {
    const user = await register(ctx.app);
    const known = await post('/forgot-password', { email: user.email });
    const unknown = await post('/forgot-password', { email: uniqueEmail('nobody') });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(known.body.message).toMatch(FORGOT_MESSAGE_MATCH);
    expect({ ...known.body, meta: null }).toEqual({ ...unknown.body, meta: null });
    expect(await outboxCount(user.email, 'password-reset')).toBe(1);
  });

  test('a disabled account gets no e-mail (same 200)', async () => {
    const user = await register(ctx.app);
    await ctx.container.prisma.user.update({ where: { id: user.id }, data: { isActive: false } });
    expect((await post('/forgot-password', { email: user.email })).status).toBe(200);
    expect(await outboxCount(user.email, 'password-reset')).toBe(0);
  });

  test('the e-mailed token resets the password once; every session is revoked', async () => {
    const user = await register(ctx.app);
    const other = await login(ctx.app, user.email);
    await post('/forgot-password', { email: user.email.toUpperCase() });
    const mail = await lastEmail(ctx, user.email, 'password-reset');
    expect(mail?.data.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const token = mail?.data.token as string;

    const res = await post('/reset-password', { token, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(200);
    for (const session of [user, other]) {
      expectError(await me(session.token), 401, 'TOKEN_REVOKED');
      expectError(await refresh(session.refreshToken), 401, 'TOKEN_REVOKED');
    }
    expectError(
      await post('/login', { email: user.email, password: user.password }),
      401,
      'INVALID_CREDENTIALS',
    );
    expect((await post('/login', { email: user.email, password: NEW_PASSWORD })).status).toBe(200);

    // Single use.
    expectError(
      await post('/reset-password', { token, newPassword: 'An0therPassw0rd' }),
      400,
      'INVALID_TOKEN',
    );
    const actions = await auditActions(ctx, { actorId: user.id });
    expect(actions).toEqual(expect.arrayContaining(['auth.password_reset_requested', 'auth.password_reset']));
    expect(await outboxCount(user.email, 'password-changed')).toBe(1);
  });

  test('a new request invalidates the previous token', async () => {
    const user = await register(ctx.app);
    await post('/forgot-password', { email: user.email });
    const first = (await lastEmail(ctx, user.email, 'password-reset'))?.data.token as string;
    await post('/forgot-password', { email: user.email });
    const second = (await lastEmail(ctx, user.email, 'password-reset'))?.data.token as string;
    expect(second).not.toBe(first);
    expectError(
      await post('/reset-password', { token: first, newPassword: NEW_PASSWORD }),
      400,
      'INVALID_TOKEN',
    );
    expect((await post('/reset-password', { token: second, newPassword: NEW_PASSWORD })).status).toBe(200);
  });

  test('an expired token → 400 INVALID_TOKEN', async () => {
    const user = await register(ctx.app);
    await post('/forgot-password', { email: user.email });
    const token = (await lastEmail(ctx, user.email, 'password-reset'))?.data.token as string;
    await ctx.container.prisma.userToken.updateMany({
      where: { userId: user.id, type: 'PASSWORD_RESET' },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const res = await post('/reset-password', { token, newPassword: NEW_PASSWORD });
    expect(expectError(res, 400, 'INVALID_TOKEN').message).toMatch(/expired/i);
  });

  test('the reset token expires after PASSWORD_RESET_TTL_SECONDS (1 h)', async () => {
    const user = await register(ctx.app);
    const before = Date.now();
    await post('/forgot-password', { email: user.email });
    const row = await ctx.container.prisma.userToken.findFirst({
      where: { userId: user.id, type: 'PASSWORD_RESET' },
    });
    const ttl = (row?.expiresAt.getTime() ?? 0) - before;
    expect(ttl).toBeGreaterThan(3_595_000);
    expect(ttl).toBeLessThanOrEqual(3_605_000);
  });

  test('an unknown token → 400 INVALID_TOKEN; a verification token is not a reset token', async () => {
    const user = await register(ctx.app);
    expectError(
      await post('/reset-password', { token: 'B'.repeat(43), newPassword: NEW_PASSWORD }),
      400,
      'INVALID_TOKEN',
    );
    const verification = (await lastEmail(ctx, user.email, 'verify-email'))?.data.token as string;
    expectError(
      await post('/reset-password', { token: verification, newPassword: NEW_PASSWORD }),
      400,
      'INVALID_TOKEN',
    );
  });

  test('a weak new password → 400 VALIDATION_ERROR and the token stays usable', async () => {
    const user = await register(ctx.app);
    await post('/forgot-password', { email: user.email });
    const token = (await lastEmail(ctx, user.email, 'password-reset'))?.data.token as string;
    expectError(await post('/reset-password', { token, newPassword: 'weak' }), 400, 'VALIDATION_ERROR');
    expect((await post('/reset-password', { token, newPassword: NEW_PASSWORD })).status).toBe(200);
  });

  test('two concurrent resets with one token → exactly one succeeds', async () => {
    const user = await register(ctx.app);
    await post('/forgot-password', { email: user.email });
    const token = (await lastEmail(ctx, user.email, 'password-reset'))?.data.token as string;
    const results = await Promise.all([
      post('/reset-password', { token, newPassword: 'Fir5tPassword' }),
      post('/reset-password', { token, newPassword: 'Sec0ndPassword' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
  });

  test('a reset clears the login lockout', async () => {
    const user = await register(ctx.app);
    for (let i = 0; i < ctx.config.LOGIN_LOCKOUT_THRESHOLD; i += 1) {
      await post('/login', { email: user.email, password: 'Wr0ngPassword' });
    }
    expectError(await post('/login', { email: user.email, password: user.password }), 423, 'ACCOUNT_LOCKED');
    await post('/forgot-password', { email: user.email });
    const token = (await lastEmail(ctx, user.email, 'password-reset'))?.data.token as string;
    expect((await post('/reset-password', { token, newPassword: NEW_PASSWORD })).status).toBe(200);
    expect((await post('/login', { email: user.email, password: NEW_PASSWORD })).status).toBe(200);
  });

  test('malformed input → 400 VALIDATION_ERROR', async () => {
    expect(
      expectError(await post('/forgot-password', { email: 'nope' }), 400, 'VALIDATION_ERROR').details,
    ).toEqual({
      email: [expect.any(String)],
    });
    expect(
      Object.keys(
        expectError(await post('/reset-password', {}), 400, 'VALIDATION_ERROR').details as object,
      ).sort(),
    ).toEqual(['newPassword', 'token']);
  });
});

describe('POST /auth/verify-email', () => {
  test('the e-mailed token verifies the address once', async () => {
    const user = await register(ctx.app);
    const token = (await lastEmail(ctx, user.email, 'verify-email'))?.data.token as string;
    const res = await post('/verify-email', { token });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ emailVerified: true, user: { id: user.id, emailVerified: true } });
    expect((await me(user.token)).body.data.emailVerified).toBe(true);
    expectError(await post('/verify-email', { token }), 400, 'INVALID_TOKEN');
    expect(await auditActions(ctx, { actorId: user.id })).toContain('auth.email_verified');
  });

  test('expired or unknown → 400 INVALID_TOKEN', async () => {
    const user = await register(ctx.app);
    const token = (await lastEmail(ctx, user.email, 'verify-email'))?.data.token as string;
    await ctx.container.prisma.userToken.updateMany({
      where: { userId: user.id },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    expectError(await post('/verify-email', { token }), 400, 'INVALID_TOKEN');
    expectError(await post('/verify-email', { token: 'nonsense' }), 400, 'INVALID_TOKEN');
    expect((await me(user.token)).body.data.emailVerified).toBe(false);
  });

  test('the verification token lives EMAIL_VERIFICATION_TTL_SECONDS', async () => {
    const before = Date.now();
    const user = await register(ctx.app);
    const row = await ctx.container.prisma.userToken.findFirst({ where: { userId: user.id } });
    const ttl = (row?.expiresAt.getTime() ?? 0) - before;
    expect(ttl).toBeGreaterThan(ctx.config.EMAIL_VERIFICATION_TTL_SECONDS * 1000 - 5_000);
    expect(ttl).toBeLessThanOrEqual(ctx.config.EMAIL_VERIFICATION_TTL_SECONDS * 1000 + 5_000);
  });

  test('missing token → 400 VALIDATION_ERROR', async () => {
    expectError(await post('/verify-email', {}), 400, 'VALIDATION_ERROR');
  });
});
