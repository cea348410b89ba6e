import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { spawnRedis, type SpawnedRedis } from '../../src/lib/embedded/spawned-redis';
import {
  API,
  bearer,
  expectError,
  lastEmail,
  login,
  PASSWORD,
  register,
  registerAdmin,
  type TestUser,
} from '../helpers/auth';
import { createCategory, createProduct } from '../helpers/catalogue-fixtures';
import { createTestContext, type TestContext } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

jest.setTimeout(60_000);

/** The app talks to a redis-server of this file's own, which the tests restart empty (no persistence). */
let redis: SpawnedRedis;
let ctx: TestContext;

beforeAll(async () => {
  redis = await spawnRedis();
  ctx = await createTestContext({}, {}, { redisUrl: redis.url });
});
afterAll(async () => {
  await ctx?.close();
  await redis?.stop();
});

/** Stops the Redis and starts a new, empty one on the same port; waits until the app is connected again. */
async function restartRedisEmpty(): Promise<void> {
  const marker = ctx.container.keys.key('test', 'marker');
  await ctx.container.redis.set(marker, '1');
  await redis.stop();
  await waitFor(() => ctx.container.redis.status !== 'ready', 5_000);
  redis = await spawnRedis({ port: redis.port });
  await waitFor(() => ctx.container.redis.status === 'ready', 10_000);
  expect(await ctx.container.redis.exists(marker)).toBe(0);
}

const me = (token: string) => request(ctx.app).get(`${API}/auth/me`).set(bearer(token));
const post = (path: string, body: object, token?: string) => {
  const req = request(ctx.app).post(`${API}${path}`);
  return (token ? req.set(bearer(token)) : req).send(body);
};

/** `/auth/me` re-reads the user itself; `GET /wishlist` relies on the session check alone. */
async function expectRevoked(token: string): Promise<void> {
  expectError(await me(token), 401, 'TOKEN_REVOKED');
  expectError(await request(ctx.app).get(`${API}/wishlist`).set(bearer(token)), 401, 'TOKEN_REVOKED');
}

async function expectRevokedAcrossRestart(tokens: string[]): Promise<void> {
  for (const token of tokens) await expectRevoked(token);
  await restartRedisEmpty();
  for (const token of tokens) await expectRevoked(token);
}

describe('a session ended in PostgreSQL stays ended when Redis loses its data', () => {
  test('a live session survives the restart (the allow-list refills from PostgreSQL)', async () => {
    const user = await register(ctx.app);
    expect((await me(user.token)).status).toBe(200);
    await restartRedisEmpty();
    expect((await me(user.token)).status).toBe(200);
  });

  test('logout', async () => {
    const user = await register(ctx.app);
    expect((await me(user.token)).status).toBe(200);
    expect((await post('/auth/logout', {}, user.token)).status).toBe(200);
    await expectRevokedAcrossRestart([user.token]);
  });

  test('logout-all', async () => {
    const user = await register(ctx.app);
    const other = await login(ctx.app, user.email);
    expect((await me(other.token)).status).toBe(200);
    expect((await post('/auth/logout-all', {}, user.token)).status).toBe(200);
    await expectRevokedAcrossRestart([user.token, other.token]);
  });

  test('change-password (other sessions end, this one stays)', async () => {
    const user = await register(ctx.app);
    const other = await login(ctx.app, user.email);
    expect((await me(other.token)).status).toBe(200);
    const res = await post(
      '/auth/change-password',
      { currentPassword: PASSWORD, newPassword: 'N3wPassw0rdX' },
      user.token,
    );
    expect(res.status).toBe(200);
    await expectRevokedAcrossRestart([other.token]);
    expect((await me(user.token)).status).toBe(200);
  });

  test('reset-password', async () => {
    const user = await register(ctx.app);
    expect((await me(user.token)).status).toBe(200);
    expect((await post('/auth/forgot-password', { email: user.email })).status).toBe(200);
    const token = (await lastEmail(ctx, user.email, 'password-reset'))?.data.token as string;
    expect((await post('/auth/reset-password', { token, newPassword: 'N3wPassw0rdX' })).status).toBe(200);
    await expectRevokedAcrossRestart([user.token]);
  });

  test('deactivated user: POST /wishlist with the old token is refused, also after a Redis restart', async () => {
    const admin = await registerAdmin(ctx);
    const user = await register(ctx.app);
    const category = await createCategory(ctx, { slug: `c-${randomUUID()}` });
    const product = await createProduct(ctx, { categoryId: category.id });
    const addToWishlist = (who: TestUser) =>
      request(ctx.app).post(`${API}/wishlist`).set(bearer(who.token)).send({ productId: product.id });
    expect((await addToWishlist(user)).status).toBe(201);

    const res = await request(ctx.app)
      .patch(`${API}/users/admin/${user.id}/status`)
      .set(bearer(admin.token))
      .send({ isActive: false });
    expect(res.status).toBe(200);
    expectError(await addToWishlist(user), 401, 'TOKEN_REVOKED');
    await restartRedisEmpty();
    expectError(await addToWishlist(user), 401, 'TOKEN_REVOKED');
    expect(await ctx.container.prisma.wishlistItem.count({ where: { userId: user.id } })).toBe(1);
  });

  test('deleted account', async () => {
    const user = await register(ctx.app);
    const res = await request(ctx.app)
      .delete(`${API}/users/account`)
      .set(bearer(user.token))
      .send({ password: PASSWORD });
    expect(res.status).toBe(200);
    await expectRevokedAcrossRestart([user.token]);
  });

  test('a user deactivated directly in PostgreSQL is refused once the allow-list is lost', async () => {
    const user = await register(ctx.app);
    expect((await me(user.token)).status).toBe(200);
    await ctx.container.prisma.user.update({ where: { id: user.id }, data: { isActive: false } });
    await restartRedisEmpty();
    await expectRevoked(user.token);
  });
});

describe('forged access tokens → 401', () => {
  const OLD_DEFAULT_SECRET = 'development-only-secret-change-me-0123456789abcdef';
  let user: TestUser;
  beforeAll(async () => {
    user = await register(ctx.app);
  });
  const claims = () => jwt.decode(user.token) as { sub: string; sid: string; jti: string };
  const sign = (
    payload: object,
    options: { secret?: string; issuer?: string; audience?: string; expiresIn?: number } = {},
  ) =>
    jwt.sign(
      { sub: claims().sub, role: 'ADMIN', jti: randomUUID(), sid: claims().sid, ...payload },
      options.secret ?? ctx.config.JWT_SECRET,
      {
        algorithm: 'HS256',
        issuer: options.issuer ?? ctx.config.JWT_ISSUER,
        audience: options.audience ?? ctx.config.JWT_AUDIENCE,
        expiresIn: options.expiresIn ?? 600,
      },
    );

  test.each([
    ['signed with the old default secret', () => sign({}, { secret: OLD_DEFAULT_SECRET })],
    ['wrong iss', () => sign({}, { issuer: 'someone-else' })],
    ['wrong aud', () => sign({}, { audience: 'another-api' })],
    ['a 10-year exp', () => sign({}, { expiresIn: 10 * 365 * 86_400 })],
  ])('%s → 401 UNAUTHORIZED', async (_name, forge) => {
    expectError(await me(forge()), 401, 'UNAUTHORIZED');
    expectError(
      await request(ctx.app).get(`${API}/users/admin/all`).set(bearer(forge())),
      401,
      'UNAUTHORIZED',
    );
  });

  test('right secret but a made-up sid → 401 TOKEN_REVOKED (no such live session)', async () => {
    const forged = sign({ sid: randomUUID() });
    expectError(await me(forged), 401, 'TOKEN_REVOKED');
    expectError(
      await request(ctx.app).get(`${API}/users/admin/all`).set(bearer(forged)),
      401,
      'TOKEN_REVOKED',
    );
  });

  test("another user's sid → 401", async () => {
    const other = await register(ctx.app);
    const forged = sign({ sid: (jwt.decode(other.token) as { sid: string }).sid });
    expect((await me(other.token)).status).toBe(200);
    expectError(await me(forged), 401, 'TOKEN_REVOKED');
  });

  test('a role raised in a token with a live sid does not make an admin (the role comes from PostgreSQL)', async () => {
    const forged = sign({});
    const res = await request(ctx.app).get(`${API}/users/admin/all`).set(bearer(forged));
    expectError(res, 403, 'FORBIDDEN');
  });
});
