import request from 'supertest';
import {
  API,
  auditActions,
  bearer,
  containsKey,
  expectError,
  lastEmail,
  login,
  PASSWORD,
  register,
  registerAdmin,
  type TestUser,
} from '../helpers/auth';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const me = (token: string) => request(ctx.app).get(`${API}/auth/me`).set(bearer(token));
const deleteAccount = (user: { token: string }, body: object) =>
  request(ctx.app).delete(`${API}/users/account`).set(bearer(user.token)).send(body);
const setStatus = (admin: TestUser, id: number, body: object) =>
  request(ctx.app).patch(`${API}/users/admin/${id}/status`).set(bearer(admin.token)).send(body);
const listUsers = (admin: TestUser, query = '') =>
  request(ctx.app).get(`${API}/users/admin/all${query}`).set(bearer(admin.token));

describe('DELETE /users/account', () => {
  test('wrong password → 401 INVALID_CREDENTIALS; nothing happens', async () => {
    const user = await register(ctx.app);
    expectError(await deleteAccount(user, { password: 'Wr0ngPassword' }), 401, 'INVALID_CREDENTIALS');
    expect((await me(user.token)).status).toBe(200);
  });

  test('missing password → 400', async () => {
    const user = await register(ctx.app);
    expect(expectError(await deleteAccount(user, {}), 400, 'VALIDATION_ERROR').details).toHaveProperty(
      'password',
    );
  });

  test('deactivates, anonymises, deletes addresses, revokes every session; the e-mail is free again', async () => {
    const user = await register(ctx.app, { firstName: 'Grace', lastName: 'Hopper' });
    const other = await login(ctx.app, user.email);
    await request(ctx.app)
      .put(`${API}/users/profile`)
      .set(bearer(user.token))
      .send({ phone: '+1 555 0100', image: 'https://cdn.example.test/g.png' });
    await request(ctx.app).post(`${API}/users/addresses`).set(bearer(user.token)).send({
      firstName: 'Grace',
      lastName: 'Hopper',
      address: '1 Navy Way',
      city: 'Arlington',
      state: 'VA',
      zipCode: '22202',
      country: 'US',
      phone: '+1 555 0100',
    });

    const res = await deleteAccount(user, { password: PASSWORD, reason: 'moving on' });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ id: user.id, isDeleted: true, deletedOn: expect.any(String) });

    const row = await ctx.container.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({
      isActive: false,
      phone: null,
      image: null,
      firstName: 'Deleted',
      lastName: 'User',
    });
    expect(row.email).not.toBe(user.email);
    expect(row.email).not.toContain('example.test');
    expect(row.deletedAt).not.toBeNull();
    expect(await ctx.container.prisma.address.count({ where: { userId: user.id } })).toBe(0);

    for (const token of [user.token, other.token]) expectError(await me(token), 401, 'TOKEN_REVOKED');
    for (const refreshToken of [user.refreshToken, other.refreshToken]) {
      expectError(
        await request(ctx.app).post(`${API}/auth/refresh`).send({ refreshToken }),
        401,
        'TOKEN_REVOKED',
      );
    }
    expectError(
      await request(ctx.app).post(`${API}/auth/login`).send({ email: user.email, password: PASSWORD }),
      401,
      'INVALID_CREDENTIALS',
    );
    expect(await lastEmail(ctx, user.email, 'account-deleted')).toMatchObject({
      data: { firstName: 'Grace' },
    });
    const audit = await ctx.container.prisma.auditLog.findFirst({
      where: { actorId: user.id, action: 'user.account_deleted' },
    });
    expect(audit?.metadata).toEqual({ reason: 'moving on' });

    // The address can be registered again, as a new account.
    const again = await register(ctx.app, { email: user.email });
    expect(again.id).not.toBe(user.id);
  });
});

describe('admin: GET /users/admin/all', () => {
  test('a customer → 403 FORBIDDEN', async () => {
    const user = await register(ctx.app);
    expectError(await listUsers(user), 403, 'FORBIDDEN');
    expectError(await setStatus(user, user.id, { isActive: false }), 403, 'FORBIDDEN');
  });

  test('lists users in the list shape with q, role, isActive filters and paging; never a hash', async () => {
    await ctx.reset();
    const admin = await registerAdmin(ctx);
    const ada = await register(ctx.app, { firstName: 'Ada', lastName: 'Lovelace' });
    const grace = await register(ctx.app, { firstName: 'Grace', lastName: 'Hopper' });
    await ctx.container.prisma.user.update({ where: { id: grace.id }, data: { isActive: false } });

    const all = await listUsers(admin);
    expect(all.status).toBe(200);
    expect(all.body.data).toMatchObject({ total: 3, skip: 0, limit: 30 });
    expect(all.body.data.users.map((u: { id: number }) => u.id)).toEqual([admin.id, ada.id, grace.id]);
    expect(containsKey(all.body, 'passwordHash')).toBe(false);

    const byName = await listUsers(admin, '?q=LOVE');
    expect(byName.body.data.users.map((u: { id: number }) => u.id)).toEqual([ada.id]);
    const byEmail = await listUsers(
      admin,
      `?q=${encodeURIComponent(grace.email.slice(0, 12).toUpperCase())}`,
    );
    expect(byEmail.body.data.users.map((u: { id: number }) => u.id)).toEqual([grace.id]);
    const admins = await listUsers(admin, '?role=ADMIN');
    expect(admins.body.data.users.map((u: { id: number }) => u.id)).toEqual([admin.id]);
    const inactive = await listUsers(admin, '?isActive=false');
    expect(inactive.body.data).toMatchObject({ total: 1, users: [{ id: grace.id, isActive: false }] });
    const page = await listUsers(admin, '?skip=1&limit=1');
    expect(page.body.data).toMatchObject({ total: 3, skip: 1, limit: 1, users: [{ id: ada.id }] });

    for (const bad of ['?isActive=maybe', '?role=ROOT', '?limit=0', '?skip=-1', '?limit=1000']) {
      expectError(await listUsers(admin, bad), 400, 'VALIDATION_ERROR');
    }
    expect(await auditActions(ctx, { actorId: admin.id })).toContain('admin.users_listed');
  });
});

describe('admin: PATCH /users/admin/:id/status', () => {
  test('deactivation kills the live tokens of that user at once; login → 403; reactivation lets them back', async () => {
    const admin = await registerAdmin(ctx);
    const user = await register(ctx.app);
    const second = await login(ctx.app, user.email);
    expect((await me(user.token)).status).toBe(200);

    const res = await setStatus(admin, user.id, { isActive: false });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: user.id, isActive: false });
    expect(containsKey(res.body, 'passwordHash')).toBe(false);

    for (const token of [user.token, second.token]) expectError(await me(token), 401, 'TOKEN_REVOKED');
    expectError(
      await request(ctx.app).post(`${API}/auth/refresh`).send({ refreshToken: second.refreshToken }),
      401,
      'TOKEN_REVOKED',
    );
    expectError(
      await request(ctx.app).post(`${API}/auth/login`).send({ email: user.email, password: PASSWORD }),
      403,
      'ACCOUNT_DISABLED',
    );
    const audit = await ctx.container.prisma.auditLog.findFirst({
      where: { actorId: admin.id, action: 'admin.user_status_changed', entityId: String(user.id) },
    });
    expect(audit?.metadata).toMatchObject({ from: true, to: false });

    const back = await setStatus(admin, user.id, { isActive: true });
    expect(back.body.data.isActive).toBe(true);
    const fresh = await login(ctx.app, user.email);
    expect((await me(fresh.token)).status).toBe(200);
    // Old sessions stay dead.
    expectError(await me(user.token), 401, 'TOKEN_REVOKED');
  });

  test('an admin cannot deactivate themself → 422 CANNOT_DEACTIVATE_SELF', async () => {
    const admin = await registerAdmin(ctx);
    expectError(await setStatus(admin, admin.id, { isActive: false }), 422, 'CANNOT_DEACTIVATE_SELF');
    expect((await me(admin.token)).status).toBe(200);
  });

  test('unknown user → 404 USER_NOT_FOUND; bad body or id → 400', async () => {
    const admin = await registerAdmin(ctx);
    expectError(await setStatus(admin, 987_654, { isActive: false }), 404, 'USER_NOT_FOUND');
    expectError(await setStatus(admin, admin.id, { isActive: 'no' }), 400, 'VALIDATION_ERROR');
    expectError(await setStatus(admin, admin.id, {}), 400, 'VALIDATION_ERROR');
    expectError(
      await request(ctx.app)
        .patch(`${API}/users/admin/x/status`)
        .set(bearer(admin.token))
        .send({ isActive: true }),
      400,
      'VALIDATION_ERROR',
    );
  });

  test('a deleted account cannot be reactivated → 422 ACCOUNT_DELETED', async () => {
    const admin = await registerAdmin(ctx);
    const user = await register(ctx.app);
    await deleteAccount(user, { password: PASSWORD });
    expectError(await setStatus(admin, user.id, { isActive: true }), 422, 'ACCOUNT_DELETED');
  });
});
