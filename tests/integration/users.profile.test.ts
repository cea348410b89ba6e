import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { OrderStatus } from '../../src/generated/prisma/client';
import { API, bearer, containsKey, expectError, register, type TestUser } from '../helpers/auth';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ CURRENCY: 'USD' });
});
afterAll(async () => {
  await ctx?.close();
});

const get = (path: string, user: TestUser) =>
  request(ctx.app).get(`${API}/users${path}`).set(bearer(user.token));
const put = (path: string, user: TestUser, body: unknown) =>
  request(ctx.app)
    .put(`${API}/users${path}`)
    .set(bearer(user.token))
    .send(body as object);

describe('authentication', () => {
  test.each([
    ['get', '/profile'],
    ['put', '/profile'],
    ['get', '/addresses'],
    ['post', '/addresses'],
    ['put', '/addresses/1'],
    ['delete', '/addresses/1'],
    ['get', '/preferences'],
    ['put', '/preferences'],
    ['get', '/stats'],
    ['delete', '/account'],
    ['get', '/admin/all'],
    ['patch', '/admin/1/status'],
  ] as const)('%s /users%s without a token → 401 UNAUTHORIZED', async (method, path) => {
    expectError(await request(ctx.app)[method](`${API}/users${path}`), 401, 'UNAUTHORIZED');
  });
});

describe('/users/profile', () => {
  test('GET returns the public user', async () => {
    const user = await register(ctx.app);
    const res = await get('/profile', user);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: user.id, email: user.email, firstName: 'Ada', phone: null });
    expect(containsKey(res.body, 'passwordHash')).toBe(false);
  });

  test('PUT updates the given fields only and ignores the rest (role, email)', async () => {
    const user = await register(ctx.app);
    const res = await put('/profile', user, {
      lastName: 'Byron',
      phone: '+44 20 7946 0000',
      gender: 'female',
      age: 36,
      image: 'https://cdn.example.test/ada.png',
      role: 'ADMIN',
      email: 'other@example.test',
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      firstName: 'Ada',
      lastName: 'Byron',
      phone: '+44 20 7946 0000',
      gender: 'female',
      age: 36,
      image: 'https://cdn.example.test/ada.png',
      role: 'CUSTOMER',
      email: user.email,
    });
    expect((await get('/profile', user)).body.data.lastName).toBe('Byron');
    const cleared = await put('/profile', user, { phone: null, image: null });
    expect(cleared.body.data).toMatchObject({ phone: null, image: null, age: 36 });
  });

  test('invalid values → 400 with details per field', async () => {
    const user = await register(ctx.app);
    const res = await put('/profile', user, { firstName: '', age: 500, image: 'ftp://x', gender: 42 });
    expect(Object.keys(expectError(res, 400, 'VALIDATION_ERROR').details as object).sort()).toEqual([
      'age',
      'firstName',
      'gender',
      'image',
    ]);
  });
});

describe('/users/preferences', () => {
  test('defaults when never set', async () => {
    const user = await register(ctx.app);
    const res = await get('/preferences', user);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      theme: 'system',
      notifications: true,
      emailNotifications: true,
      currency: 'USD',
      language: 'en',
    });
  });

  test('PUT is partial and persists', async () => {
    const user = await register(ctx.app);
    const first = await put('/preferences', user, { theme: 'dark', currency: 'eur' });
    expect(first.status).toBe(200);
    expect(first.body.data).toEqual({
      theme: 'dark',
      notifications: true,
      emailNotifications: true,
      currency: 'EUR',
      language: 'en',
    });
    await put('/preferences', user, { emailNotifications: false, language: 'de-DE' });
    expect((await get('/preferences', user)).body.data).toEqual({
      theme: 'dark',
      notifications: true,
      emailNotifications: false,
      currency: 'EUR',
      language: 'de-DE',
    });
  });

  test('invalid values → 400', async () => {
    const user = await register(ctx.app);
    const res = await put('/preferences', user, { theme: 'neon', notifications: 'yes' });
    expect(Object.keys(expectError(res, 400, 'VALIDATION_ERROR').details as object).sort()).toEqual([
      'notifications',
      'theme',
    ]);
  });
});

describe('/users/stats', () => {
  async function order(userId: number, status: OrderStatus, total: string, createdAt: Date) {
    return ctx.container.prisma.order.create({
      data: {
        orderNumber: `ORD-TEST-${randomBytes(4).toString('hex').toUpperCase()}`,
        userId,
        status,
        subtotal: total,
        total,
        createdAt,
      },
    });
  }

  test('no orders: zeros and null', async () => {
    const user = await register(ctx.app);
    const res = await get('/stats', user);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      totalOrders: 0,
      totalSpent: 0,
      lastOrder: null,
      memberSince: expect.any(String),
    });
    const profile = (await get('/profile', user)).body.data;
    expect(res.body.data.memberSince).toBe(profile.createdAt);
  });

  test('counts every order; totalSpent sums PAID/PROCESSING/SHIPPED/DELIVERED exactly', async () => {
    const user = await register(ctx.app);
    const other = await register(ctx.app);
    const t = Date.now();
    await order(user.id, 'PAID', '19.99', new Date(t - 5000));
    await order(user.id, 'PROCESSING', '0.10', new Date(t - 4000));
    await order(user.id, 'SHIPPED', '0.20', new Date(t - 3000));
    await order(user.id, 'DELIVERED', '100.01', new Date(t - 2000));
    await order(user.id, 'CANCELLED', '50.00', new Date(t - 1500));
    await order(user.id, 'REFUNDED', '70.00', new Date(t - 1200));
    const last = await order(user.id, 'PENDING', '12.34', new Date(t - 1000));
    await order(other.id, 'PAID', '999.99', new Date(t));

    const res = await get('/stats', user);
    expect(res.body.data).toEqual({
      totalOrders: 7,
      totalSpent: 120.3,
      lastOrder: {
        id: last.id,
        orderNumber: last.orderNumber,
        status: 'PENDING',
        total: 12.34,
        createdAt: last.createdAt.toISOString(),
      },
      memberSince: expect.any(String),
    });
  });
});
