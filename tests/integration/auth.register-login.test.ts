import request from 'supertest';
import {
  API,
  auditActions,
  containsKey,
  expectError,
  lastEmail,
  PASSWORD,
  refreshCookie,
  register,
  sleep,
  uniqueEmail,
} from '../helpers/auth';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ LOGIN_LOCKOUT_THRESHOLD: '5', LOGIN_LOCKOUT_WINDOW_SECONDS: '900' });
});
afterAll(async () => {
  await ctx?.close();
});

const post = (path: string, body: unknown) =>
  request(ctx.app)
    .post(`${API}/auth${path}`)
    .send(body as object);

describe('POST /auth/register', () => {
  test('201 with { user, token, refreshToken, expiresAt }, the refresh cookie and a queued verification e-mail', async () => {
    const email = uniqueEmail('new');
    const before = Date.now();
    const res = await post('/register', {
      email: `  ${email.toUpperCase()} `,
      password: PASSWORD,
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 201,
      message: expect.any(String),
      meta: { requestId: expect.any(String) },
    });
    const { user, token, refreshToken, expiresAt } = res.body.data;
    expect(user).toEqual({
      id: expect.any(Number),
      email,
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: null,
      gender: null,
      age: null,
      image: null,
      role: 'CUSTOMER',
      isActive: true,
      emailVerified: false,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(token.split('.')).toHaveLength(3);
    expect(refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const expiry = Date.parse(expiresAt);
    expect(expiry).toBeGreaterThanOrEqual(before + 899_000);
    expect(expiry).toBeLessThanOrEqual(Date.now() + 901_000);

    const cookie = refreshCookie(res);
    expect(cookie).toContain(`refreshToken=${refreshToken}`);

    const mail = await lastEmail(ctx, email, 'verify-email');
    expect(mail?.data).toEqual({ firstName: 'Ada', token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    // Only the digest is stored.
    const stored = await ctx.container.prisma.userToken.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0].tokenHash).not.toBe(mail?.data.token);
    expect(stored[0].type).toBe('EMAIL_VERIFICATION');
    const refreshRows = await ctx.container.prisma.refreshToken.findMany({ where: { userId: user.id } });
    expect(refreshRows).toHaveLength(1);
    expect(refreshRows[0].tokenHash).not.toBe(refreshToken);
    expect(await auditActions(ctx, { actorId: user.id })).toEqual(['auth.register']);
    expect(containsKey(res.body, 'passwordHash')).toBe(false);
  });

  test('a role (or any unknown field) in the body is ignored: always CUSTOMER', async () => {
    const res = await post('/register', {
      email: uniqueEmail('sneaky'),
      password: PASSWORD,
      firstName: 'Mallory',
      lastName: 'X',
      role: 'ADMIN',
      isActive: false,
      emailVerifiedAt: new Date().toISOString(),
    });
    expect(res.status).toBe(201);
    expect(res.body.data.user).toMatchObject({ role: 'CUSTOMER', isActive: true, emailVerified: false });
    const admin = await request(ctx.app)
      .get(`${API}/users/admin/all`)
      .set('Authorization', `Bearer ${res.body.data.token}`);
    expectError(admin, 403, 'FORBIDDEN');
  });

  test('400 VALIDATION_ERROR with details per field', async () => {
    const res = await post('/register', { email: 'not-an-email', password: 'short', lastName: '' });
    const body = expectError(res, 400, 'VALIDATION_ERROR');
    expect(body.details).toEqual({
      email: ['Must be a valid e-mail address'],
      password: [
        'Must be at least 8 characters',
        'Must contain an upper-case letter',
        'Must contain a digit',
      ],
      firstName: [expect.any(String)],
      lastName: ['Must not be empty'],
    });
  });

  test.each([
    ['no upper case', 'lowercase1'],
    ['no lower case', 'UPPERCASE1'],
    ['no digit', 'NoDigitsHere'],
    ['too short', 'Sh0rt'],
  ])('a weak password (%s) → 400 with details.password', async (_name, password) => {
    const res = await post('/register', { email: uniqueEmail(), password, firstName: 'A', lastName: 'B' });
    const body = expectError(res, 400, 'VALIDATION_ERROR');
    expect(Object.keys(body.details as object)).toEqual(['password']);
  });

  test('duplicate e-mail (any case) → 409 EMAIL_EXISTS', async () => {
    const user = await register(ctx.app);
    const res = await post('/register', {
      email: user.email.toUpperCase(),
      password: PASSWORD,
      firstName: 'Other',
      lastName: 'Person',
    });
    expectError(res, 409, 'EMAIL_EXISTS');
  });

  test('two concurrent registrations of one address → one 201, one 409 EMAIL_EXISTS', async () => {
    const email = uniqueEmail('race');
    const body = { email, password: PASSWORD, firstName: 'A', lastName: 'B' };
    const results = await Promise.all([
      post('/register', body),
      post('/register', body),
      post('/register', body),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('EMAIL_EXISTS');
    expect(await ctx.container.prisma.user.count({ where: { email } })).toBe(1);
  });
});

describe('POST /auth/login', () => {
  test('200 with the same shape as register, a new session and the cookie', async () => {
    const user = await register(ctx.app);
    const res = await post('/login', { email: `  ${user.email.toUpperCase()}`, password: user.password });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.data).sort()).toEqual(['expiresAt', 'refreshToken', 'token', 'user']);
    expect(res.body.data.user.id).toBe(user.id);
    expect(res.body.data.refreshToken).not.toBe(user.refreshToken);
    expect(refreshCookie(res)).toContain(`refreshToken=${res.body.data.refreshToken}`);
    expect(containsKey(res.body, 'passwordHash')).toBe(false);
    const families = await ctx.container.prisma.refreshToken.groupBy({
      by: ['familyId'],
      where: { userId: user.id },
    });
    expect(families).toHaveLength(2);
    const me = await request(ctx.app)
      .get(`${API}/auth/me`)
      .set('Authorization', `Bearer ${res.body.data.token}`);
    expect(me.status).toBe(200);
    expect(
      (await ctx.container.prisma.user.findUnique({ where: { id: user.id } }))?.lastLoginAt,
    ).not.toBeNull();
  });

  test('unknown e-mail and wrong password give the identical 401 INVALID_CREDENTIALS', async () => {
    const user = await register(ctx.app);
    const wrongPassword = await post('/login', { email: user.email, password: 'Wr0ngPassword' });
    const unknownEmail = await post('/login', { email: uniqueEmail('ghost'), password: 'Wr0ngPassword' });
    const a = expectError(wrongPassword, 401, 'INVALID_CREDENTIALS');
    const b = expectError(unknownEmail, 401, 'INVALID_CREDENTIALS');
    const strip = (body: typeof a) => ({ ...body, meta: undefined });
    expect(strip(a)).toEqual(strip(b));
    expect(refreshCookie(wrongPassword)).toBeUndefined();
    const actions = await ctx.container.prisma.auditLog.findMany({ where: { action: 'auth.login_failed' } });
    expect(actions.length).toBeGreaterThanOrEqual(2);
  });

  test('missing fields → 400 VALIDATION_ERROR', async () => {
    const res = await post('/login', { email: 'a@b.co' });
    expect(expectError(res, 400, 'VALIDATION_ERROR').details).toEqual({ password: [expect.any(String)] });
  });

  test('a disabled account → 403 ACCOUNT_DISABLED, but only with the right password', async () => {
    const user = await register(ctx.app);
    await ctx.container.prisma.user.update({ where: { id: user.id }, data: { isActive: false } });
    expectError(
      await post('/login', { email: user.email, password: 'Wr0ngPassword' }),
      401,
      'INVALID_CREDENTIALS',
    );
    expectError(
      await post('/login', { email: user.email, password: user.password }),
      403,
      'ACCOUNT_DISABLED',
    );
  });

  test('5 failures lock the address: 423 ACCOUNT_LOCKED with Retry-After, even with the right password', async () => {
    const user = await register(ctx.app);
    for (let i = 0; i < 5; i += 1) {
      expectError(
        await post('/login', { email: user.email, password: `Wr0ng${i}xx` }),
        401,
        'INVALID_CREDENTIALS',
      );
    }
    const locked = await post('/login', { email: user.email, password: user.password });
    expectError(locked, 423, 'ACCOUNT_LOCKED');
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(890);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // Still locked, and the e-mail's case does not matter.
    expectError(
      await post('/login', { email: user.email.toUpperCase(), password: user.password }),
      423,
      'ACCOUNT_LOCKED',
    );
    const actions = await auditActions(ctx, { actorId: user.id });
    expect(actions.filter((a) => a === 'auth.login_failed')).toHaveLength(5);
    expect(actions).toContain('auth.locked');
  });

  test('unknown addresses lock the same way (the lock reveals nothing)', async () => {
    const email = uniqueEmail('nobody');
    for (let i = 0; i < 5; i += 1) await post('/login', { email, password: 'Wr0ngPassword' });
    expectError(await post('/login', { email, password: 'Wr0ngPassword' }), 423, 'ACCOUNT_LOCKED');
  });

  test('a success before the threshold resets the counter', async () => {
    const user = await register(ctx.app);
    for (let i = 0; i < 4; i += 1) await post('/login', { email: user.email, password: 'Wr0ngPassword' });
    expect((await post('/login', { email: user.email, password: user.password })).status).toBe(200);
    for (let i = 0; i < 4; i += 1) {
      expectError(
        await post('/login', { email: user.email, password: 'Wr0ngPassword' }),
        401,
        'INVALID_CREDENTIALS',
      );
    }
    expect((await post('/login', { email: user.email, password: user.password })).status).toBe(200);
  });

  test('the lock is per address: another account logs in normally', async () => {
    const victim = await register(ctx.app);
    const other = await register(ctx.app);
    for (let i = 0; i < 5; i += 1) await post('/login', { email: victim.email, password: 'Wr0ngPassword' });
    expect((await post('/login', { email: other.email, password: other.password })).status).toBe(200);
  });
});

describe('lockout window', () => {
  let short: TestContext;
  beforeAll(async () => {
    short = await createTestContext({ LOGIN_LOCKOUT_THRESHOLD: '2', LOGIN_LOCKOUT_WINDOW_SECONDS: '2' });
  });
  afterAll(async () => {
    await short?.close();
  });

  test('the lock ends when the window has passed', async () => {
    const user = await register(short.app);
    const attempt = (password: string) =>
      request(short.app).post(`${API}/auth/login`).send({ email: user.email, password });
    await attempt('Wr0ngPassword');
    await attempt('Wr0ngPassword');
    const locked = await attempt(user.password);
    expectError(locked, 423, 'ACCOUNT_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(2);
    await sleep(2_200);
    expect((await attempt(user.password)).status).toBe(200);
  });
});
