import request from 'supertest';
import { API, bearer, expectError, PASSWORD, register, registerAdmin, type TestUser } from '../helpers/auth';
import { createTestContext, type TestContext } from '../helpers/test-app';

jest.setTimeout(60_000);

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
beforeEach(async () => {
  await ctx.reset();
});
afterAll(async () => {
  await ctx?.close();
});

const deleteAccount = (user: TestUser) =>
  request(ctx.app).delete(`${API}/users/account`).set(bearer(user.token)).send({ password: PASSWORD });
const setStatus = (admin: TestUser, id: number, isActive: boolean) =>
  request(ctx.app).patch(`${API}/users/admin/${id}/status`).set(bearer(admin.token)).send({ isActive });

const activeAdmins = () =>
  ctx.container.prisma.user.count({ where: { role: 'ADMIN', isActive: true, deletedAt: null } });

describe('the shop never loses its last active admin', () => {
  test('the only admin cannot delete their account: 422 LAST_ACTIVE_ADMIN, nothing changes', async () => {
    const admin = await registerAdmin(ctx);
    const body = expectError(await deleteAccount(admin), 422, 'LAST_ACTIVE_ADMIN');
    expect(body.message).toMatch(/only active administrator/);

    const row = await ctx.container.prisma.user.findUniqueOrThrow({ where: { id: admin.id } });
    expect(row).toMatchObject({ isActive: true, deletedAt: null, email: admin.email });
    expect((await request(ctx.app).get(`${API}/auth/me`).set(bearer(admin.token))).status).toBe(200);
  });

  test('a deactivated or deleted admin does not count as another one', async () => {
    const admin = await registerAdmin(ctx);
    const inactive = await registerAdmin(ctx);
    await ctx.container.prisma.user.update({ where: { id: inactive.id }, data: { isActive: false } });
    expectError(await deleteAccount(admin), 422, 'LAST_ACTIVE_ADMIN');
    expect(await activeAdmins()).toBe(1);
  });

  test('with another active admin, an admin may delete their account', async () => {
    const admin = await registerAdmin(ctx);
    await registerAdmin(ctx);
    expect((await deleteAccount(admin)).status).toBe(200);
    expect(await activeAdmins()).toBe(1);
  });

  test('a customer deletes their account as before, even with no admin at all', async () => {
    const customer = await register(ctx.app);
    expect((await deleteAccount(customer)).status).toBe(200);
  });

  test('two admins deleting their own accounts at once: one succeeds, one admin is left', async () => {
    for (let round = 0; round < 5; round += 1) {
      await ctx.reset();
      const [a, b] = [await registerAdmin(ctx), await registerAdmin(ctx)];
      const statuses = (await Promise.all([deleteAccount(a), deleteAccount(b)])).map((res) => res.status);
      expect(statuses.sort()).toEqual([200, 422]);
      expect(await activeAdmins()).toBe(1);
    }
  });

  test('two admins deactivating each other at once: one succeeds, one admin is left', async () => {
    for (let round = 0; round < 5; round += 1) {
      await ctx.reset();
      const [a, b] = [await registerAdmin(ctx), await registerAdmin(ctx)];
      const responses = await Promise.all([setStatus(a, b.id, false), setStatus(b, a.id, false)]);
      const statuses = responses.map((res) => res.status).sort();
      // The loser is refused either as the last admin or, once its own session is revoked, as unauthenticated.
      expect(statuses[0]).toBe(200);
      expect([401, 422]).toContain(statuses[1]);
      expect(await activeAdmins()).toBe(1);
    }
  });

  test('one admin deletes their account while the other deactivates them: one admin is left', async () => {
    for (let round = 0; round < 5; round += 1) {
      await ctx.reset();
      const [a, b] = [await registerAdmin(ctx), await registerAdmin(ctx)];
      await Promise.all([deleteAccount(a), setStatus(b, a.id, false), deleteAccount(b)]);
      expect(await activeAdmins()).toBe(1);
    }
  });
});
