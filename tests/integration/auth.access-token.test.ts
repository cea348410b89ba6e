import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { API, bearer, containsKey, expectError, register, type TestUser } from '../helpers/auth';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;
let user: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
  user = await register(ctx.app);
});
afterAll(async () => {
  await ctx?.close();
});

const claimsOf = (token: string) => jwt.decode(token) as Record<string, unknown>;
const me = (headers: Record<string, string>) => request(ctx.app).get(`${API}/auth/me`).set(headers);

describe('access token', () => {
  test('HS256 with sub, role, jti, iat, exp (15 min), the issuer, the audience and the session id', () => {
    const header = jwt.decode(user.token, { complete: true })?.header;
    expect(header?.alg).toBe('HS256');
    const claims = claimsOf(user.token);
    expect(claims).toEqual({
      sub: String(user.id),
      role: 'CUSTOMER',
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      iat: expect.any(Number),
      exp: expect.any(Number),
      iss: ctx.config.JWT_ISSUER,
      aud: ctx.config.JWT_AUDIENCE,
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(ctx.config.ACCESS_TOKEN_TTL_SECONDS);
  });

  test('GET /auth/me returns the user, never a password hash', async () => {
    const res = await me(bearer(user.token));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: user.id, email: user.email, role: 'CUSTOMER' });
    expect(containsKey(res.body, 'passwordHash')).toBe(false);
    expect(JSON.stringify(res.body)).not.toMatch(/\$2[aby]\$/);
  });

  test('GET /auth/validate → { isValid: true, user }', async () => {
    const res = await request(ctx.app).get(`${API}/auth/validate`).set(bearer(user.token));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ isValid: true, user: expect.objectContaining({ id: user.id }) });
  });

  test('validate without a token → 401 UNAUTHORIZED', async () => {
    expectError(await request(ctx.app).get(`${API}/auth/validate`), 401, 'UNAUTHORIZED');
  });

  test('no Authorization header, or not a Bearer one → 401 UNAUTHORIZED', async () => {
    expectError(await me({}), 401, 'UNAUTHORIZED');
    expectError(
      await me({ Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }),
      401,
      'UNAUTHORIZED',
    );
    expectError(await me({ Authorization: 'Bearer' }), 401, 'UNAUTHORIZED');
    expectError(await me({ Authorization: 'Bearer not-a-jwt' }), 401, 'UNAUTHORIZED');
  });

  test('a tampered token (role raised to ADMIN) → 401 UNAUTHORIZED', async () => {
    const [header, , signature] = user.token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claimsOf(user.token), role: 'ADMIN' })).toString(
      'base64url',
    );
    expectError(await me(bearer(`${header}.${forged}.${signature}`)), 401, 'UNAUTHORIZED');
    expectError(
      await request(ctx.app)
        .get(`${API}/users/admin/all`)
        .set(bearer(`${header}.${forged}.${signature}`)),
      401,
      'UNAUTHORIZED',
    );
  });

  test('alg: none → 401 UNAUTHORIZED', async () => {
    const claims = claimsOf(user.token);
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ ...claims, role: 'ADMIN' })).toString('base64url');
    expectError(await me(bearer(`${header}.${payload}.`)), 401, 'UNAUTHORIZED');
    expectError(await me(bearer(`${header}.${payload}`)), 401, 'UNAUTHORIZED');
  });

  test('signed with another secret → 401 UNAUTHORIZED', async () => {
    const { iat: _iat, exp: _exp, iss: _iss, ...claims } = claimsOf(user.token);
    const token = jwt.sign(claims, 'a-completely-different-secret-0123456789', {
      algorithm: 'HS256',
      expiresIn: 600,
      issuer: ctx.config.JWT_ISSUER,
    });
    expectError(await me(bearer(token)), 401, 'UNAUTHORIZED');
  });

  test('another HMAC algorithm with the right secret (algorithm confusion) → 401 UNAUTHORIZED', async () => {
    const { iat: _iat, exp: _exp, iss: _iss, ...claims } = claimsOf(user.token);
    const token = jwt.sign(claims, ctx.config.JWT_SECRET, {
      algorithm: 'HS384',
      expiresIn: 600,
      issuer: ctx.config.JWT_ISSUER,
    });
    expectError(await me(bearer(token)), 401, 'UNAUTHORIZED');
  });

  test('expired → 401 TOKEN_EXPIRED', async () => {
    const { iat: _iat, exp: _exp, iss: _iss, ...claims } = claimsOf(user.token);
    const now = Math.floor(Date.now() / 1000);
    const token = jwt.sign(
      { ...claims, jti: randomUUID(), iat: now - 1000, exp: now - 100 },
      ctx.config.JWT_SECRET,
      {
        algorithm: 'HS256',
        issuer: ctx.config.JWT_ISSUER,
      },
    );
    expectError(await me(bearer(token)), 401, 'TOKEN_EXPIRED');
  });

  test('wrong issuer → 401 UNAUTHORIZED', async () => {
    const { iat: _iat, exp: _exp, iss: _iss, ...claims } = claimsOf(user.token);
    const token = jwt.sign(claims, ctx.config.JWT_SECRET, {
      algorithm: 'HS256',
      expiresIn: 600,
      issuer: 'evil',
    });
    expectError(await me(bearer(token)), 401, 'UNAUTHORIZED');
  });

  test('every 401 uses the error envelope with the request id', async () => {
    const res = await me(bearer('x.y.z')).set('X-Request-ID', 'req-123');
    expect(res.body).toEqual({
      status: 401,
      code: 'UNAUTHORIZED',
      message: expect.any(String),
      meta: { requestId: 'req-123', timestamp: expect.any(String) },
    });
    expect(res.headers['x-request-id']).toBe('req-123');
  });
});

describe('OpenAPI', () => {
  test('documents every auth and users route with its schemas', async () => {
    const res = await request(ctx.app).get(`${API}/openapi.json`);
    expect(res.status).toBe(200);
    const paths = Object.keys(res.body.paths);
    for (const path of [
      '/api/v1/auth/register',
      '/api/v1/auth/login',
      '/api/v1/auth/refresh',
      '/api/v1/auth/logout',
      '/api/v1/auth/logout-all',
      '/api/v1/auth/validate',
      '/api/v1/auth/me',
      '/api/v1/auth/change-password',
      '/api/v1/auth/forgot-password',
      '/api/v1/auth/reset-password',
      '/api/v1/auth/verify-email',
      '/api/v1/users/profile',
      '/api/v1/users/addresses',
      '/api/v1/users/addresses/{id}',
      '/api/v1/users/preferences',
      '/api/v1/users/stats',
      '/api/v1/users/account',
      '/api/v1/users/admin/all',
      '/api/v1/users/admin/{id}/status',
    ]) {
      expect(paths).toContain(path);
    }
    const schemas = res.body.components.schemas;
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining(['User', 'AuthSession', 'Address', 'UserStats']),
    );
    expect(Object.keys(schemas.User.properties)).not.toContain('passwordHash');
    expect(res.body.paths['/api/v1/auth/login'].post.responses).toHaveProperty('423');
  });
});
