import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { findFreePort } from '../../src/lib/embedded/free-port';
import { createLogger } from '../../src/lib/logger';
import { createRedis, RedisKeys } from '../../src/lib/redis';
import { LiveSessionStore } from '../../src/modules/auth/live-session.store';
import {
  API,
  bearer,
  expectError,
  login,
  PASSWORD,
  register,
  uniqueEmail,
  registerAdmin,
} from '../helpers/auth';
import { createTestContext, type TestContext } from '../helpers/test-app';
import { readTestEnv } from '../helpers/test-env';
import { waitFor } from '../helpers/wait';

jest.setTimeout(60_000);

/** `up` has Redis; `down` shares the database but its Redis URL is a port nobody listens on. */
let up: TestContext;
let down: TestContext;

beforeAll(async () => {
  up = await createTestContext();
  const deadPort = await findFreePort();
  down = await createTestContext({}, {}, { redisUrl: `redis://127.0.0.1:${deadPort}` });
});
afterAll(async () => {
  await down?.close();
  await up?.close();
  // ioredis arms a 2 s `disconnectTimeout` timer when a never-connected client is dropped; let it run out so the
  // worker exits cleanly.
  await new Promise((resolve) => setTimeout(resolve, 2_100));
});

const me = (ctx: TestContext, token: string) => request(ctx.app).get(`${API}/auth/me`).set(bearer(token));

describe('with Redis unreachable', () => {
  test('the down context really has no Redis', () => {
    expect(down.container.redis.status).not.toBe('ready');
  });

  test('register, login, refresh and authenticated requests still work (database fallback)', async () => {
    const email = uniqueEmail('offline');
    const registered = await request(down.app)
      .post(`${API}/auth/register`)
      .send({ email, password: PASSWORD, firstName: 'Off', lastName: 'Line' });
    expect(registered.status).toBe(201);
    const loggedIn = await request(down.app).post(`${API}/auth/login`).send({ email, password: PASSWORD });
    expect(loggedIn.status).toBe(200);
    expect((await me(down, loggedIn.body.data.token)).status).toBe(200);
    expect(
      (await request(down.app).get(`${API}/users/profile`).set(bearer(loggedIn.body.data.token))).status,
    ).toBe(200);
    const refreshed = await request(down.app)
      .post(`${API}/auth/refresh`)
      .send({ refreshToken: loggedIn.body.data.refreshToken });
    expect(refreshed.status).toBe(200);
    expect((await me(down, refreshed.body.data.token)).status).toBe(200);
  });

  test('a token issued while Redis was up is accepted; once its session is logged out it is refused', async () => {
    const user = await register(up.app);
    expect((await me(down, user.token)).status).toBe(200);
    expect((await request(up.app).post(`${API}/auth/logout`).set(bearer(user.token))).status).toBe(200);
    expectError(await me(down, user.token), 401, 'TOKEN_REVOKED');
  });

  test('logout while Redis is down revokes through the database', async () => {
    const user = await register(down.app);
    const res = await request(down.app).post(`${API}/auth/logout`).set(bearer(user.token));
    expect(res.status).toBe(200);
    expectError(await me(down, user.token), 401, 'TOKEN_REVOKED');
    expectError(
      await request(down.app).post(`${API}/auth/refresh`).send({ refreshToken: user.refreshToken }),
      401,
      'TOKEN_REVOKED',
    );
  });

  test('change-password: other sessions are refused, this one is not', async () => {
    const user = await register(down.app);
    const other = await login(down.app, user.email);
    const res = await request(down.app)
      .post(`${API}/auth/change-password`)
      .set(bearer(user.token))
      .send({ currentPassword: PASSWORD, newPassword: 'N3wPassw0rdX' });
    expect(res.status).toBe(200);
    expect((await me(down, user.token)).status).toBe(200);
    expectError(await me(down, other.token), 401, 'TOKEN_REVOKED');
  });

  test('a deactivated user is refused at once (users.is_active)', async () => {
    const admin = await registerAdmin(up);
    const user = await register(up.app);
    expect((await me(down, user.token)).status).toBe(200);
    const res = await request(down.app)
      .patch(`${API}/users/admin/${user.id}/status`)
      .set(bearer(admin.token))
      .send({ isActive: false });
    expect(res.status).toBe(200);
    expectError(await me(down, user.token), 401, 'TOKEN_REVOKED');
  });

  test('tampered and expired tokens are still refused without Redis', async () => {
    const user = await register(up.app);
    const [header, , signature] = user.token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: '1', role: 'ADMIN' })).toString('base64url');
    expectError(await me(down, `${header}.${forged}.${signature}`), 401, 'UNAUTHORIZED');
    const claims = jwt.decode(user.token) as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    const expired = jwt.sign({ ...claims, iat: now - 1000, exp: now - 10 }, down.config.JWT_SECRET, {
      algorithm: 'HS256',
    });
    expectError(await me(down, expired), 401, 'TOKEN_EXPIRED');
  });
});

describe('session ends written during an outage', () => {
  test('are replayed into Redis as tombstones when the connection is ready again', async () => {
    const redis = createRedis(readTestEnv('redisUrl'), { lazyConnect: true });
    const observer = createRedis(readTestEnv('redisUrl'));
    const keys = new RedisKeys(`test:${readTestEnv('runId')}:${randomBytes(4).toString('hex')}`);
    try {
      const store = new LiveSessionStore(
        redis,
        keys,
        createLogger({ level: 'silent', pretty: false, service: 't' }),
        60,
      );
      const sid = '00000000-0000-4000-8000-000000000001';
      // Not connected: the write is kept, and the store cannot answer (the database will).
      await store.end([sid]);
      expect(store.pendingCount).toBe(1);
      expect(await store.lookup(sid)).toEqual({ state: 'unknown' });

      await redis.connect();
      const key = keys.key('auth', 'session', sid);
      await waitFor(async () => (await observer.get(key)) === 'ended', 2_000, 20);
      expect(await observer.get(key)).toBe('ended');
      expect(await observer.pttl(key)).toBeGreaterThan(50_000);
      expect(store.pendingCount).toBe(0);
      expect(await store.lookup(sid)).toEqual({ state: 'ended' });
      // A fill racing with the end (database read before it) cannot overwrite the tombstone.
      await store.remember(sid, { userId: 1, role: 'ADMIN' }, Date.now() + 60_000);
      expect(await store.lookup(sid)).toEqual({ state: 'ended' });
      await observer.del(key);
    } finally {
      redis.disconnect();
      observer.disconnect();
    }
  });
});
