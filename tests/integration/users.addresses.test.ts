import request from 'supertest';
import { API, bearer, expectError, register, type TestUser } from '../helpers/auth';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

const address = (overrides: Record<string, unknown> = {}) => ({
  firstName: 'Ada',
  lastName: 'Lovelace',
  address: '12 St James Square',
  city: 'London',
  state: 'LDN',
  zipCode: 'SW1Y 4JH',
  country: 'GB',
  phone: '+44 20 7946 0000',
  ...overrides,
});

const create = (user: TestUser, body: object) =>
  request(ctx.app).post(`${API}/users/addresses`).set(bearer(user.token)).send(body);
const list = (user: TestUser, query = '') =>
  request(ctx.app).get(`${API}/users/addresses${query}`).set(bearer(user.token));
const update = (user: TestUser, id: number, body: object) =>
  request(ctx.app).put(`${API}/users/addresses/${id}`).set(bearer(user.token)).send(body);
const remove = (user: TestUser, id: number) =>
  request(ctx.app).delete(`${API}/users/addresses/${id}`).set(bearer(user.token));

async function defaults(user: TestUser): Promise<number[]> {
  const rows = await ctx.container.prisma.address.findMany({ where: { userId: user.id, isDefault: true } });
  return rows.map((row) => row.id);
}

describe('addresses', () => {
  test('POST → 201; the first address becomes the default', async () => {
    const user = await register(ctx.app);
    const res = await create(user, address({ label: 'Home' }));
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({
      id: expect.any(Number),
      label: 'Home',
      ...address(),
      isDefault: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const second = await create(user, address({ city: 'Paris' }));
    expect(second.body.data).toMatchObject({ isDefault: false, label: null, city: 'Paris' });
  });

  test('GET lists them in the list shape, default first', async () => {
    const user = await register(ctx.app);
    const a = (await create(user, address({ label: 'A' }))).body.data;
    const b = (await create(user, address({ label: 'B' }))).body.data;
    const res = await list(user);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ addresses: [a, b], total: 2, skip: 0, limit: 30 });
    const paged = await list(user, '?skip=1&limit=1');
    expect(paged.body.data).toMatchObject({ addresses: [b], total: 2, skip: 1, limit: 1 });
    expectError(await list(user, '?limit=101'), 400, 'VALIDATION_ERROR');
  });

  test('isDefault moves the default; exactly one default at any time', async () => {
    const user = await register(ctx.app);
    const a = (await create(user, address())).body.data;
    const b = (await create(user, address({ isDefault: true }))).body.data;
    expect(b.isDefault).toBe(true);
    expect(await defaults(user)).toEqual([b.id]);
    const res = await update(user, a.id, { isDefault: true });
    expect(res.body.data.isDefault).toBe(true);
    expect(await defaults(user)).toEqual([a.id]);
  });

  test('un-defaulting the default promotes another; the only address stays the default', async () => {
    const user = await register(ctx.app);
    const a = (await create(user, address())).body.data;
    const alone = await update(user, a.id, { isDefault: false });
    expect(alone.body.data.isDefault).toBe(true);
    const b = (await create(user, address())).body.data;
    await update(user, a.id, { isDefault: false, city: 'Bath' });
    expect(await defaults(user)).toEqual([b.id]);
  });

  test('PUT is partial', async () => {
    const user = await register(ctx.app);
    const a = (await create(user, address())).body.data;
    const res = await update(user, a.id, { city: 'Manchester', label: 'Work' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ ...address(), city: 'Manchester', label: 'Work', isDefault: true });
  });

  test('DELETE of the default promotes the newest remaining address', async () => {
    const user = await register(ctx.app);
    const a = (await create(user, address())).body.data;
    await create(user, address());
    const c = (await create(user, address())).body.data;
    const res = await remove(user, a.id);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ id: a.id, isDeleted: true, deletedOn: expect.any(String) });
    expect(await defaults(user)).toEqual([c.id]);
    expectError(await remove(user, a.id), 404, 'ADDRESS_NOT_FOUND');
  });

  test("someone else's address → 404 ADDRESS_NOT_FOUND on PUT and DELETE, and it is untouched", async () => {
    const alice = await register(ctx.app);
    const mallory = await register(ctx.app);
    const a = (await create(alice, address())).body.data;
    expectError(await update(mallory, a.id, { city: 'Evil' }), 404, 'ADDRESS_NOT_FOUND');
    expectError(await update(mallory, a.id, { isDefault: true }), 404, 'ADDRESS_NOT_FOUND');
    expectError(await remove(mallory, a.id), 404, 'ADDRESS_NOT_FOUND');
    expect((await list(mallory)).body.data.total).toBe(0);
    const row = await ctx.container.prisma.address.findUnique({ where: { id: a.id } });
    expect(row).toMatchObject({ city: 'London', userId: alice.id, isDefault: true });
  });

  test('unknown id → 404; a non-integer id → 400', async () => {
    const user = await register(ctx.app);
    expectError(await update(user, 999_999, { city: 'X' }), 404, 'ADDRESS_NOT_FOUND');
    expectError(
      await request(ctx.app).delete(`${API}/users/addresses/abc`).set(bearer(user.token)),
      400,
      'VALIDATION_ERROR',
    );
    expectError(
      await request(ctx.app)
        .put(`${API}/users/addresses/99999999999`)
        .set(bearer(user.token))
        .send({ city: 'x' }),
      400,
      'VALIDATION_ERROR',
    );
  });

  test('missing fields → 400 with details per field', async () => {
    const user = await register(ctx.app);
    const res = await create(user, { firstName: 'Ada' });
    expect(Object.keys(expectError(res, 400, 'VALIDATION_ERROR').details as object).sort()).toEqual([
      'address',
      'city',
      'country',
      'lastName',
      'phone',
      'state',
      'zipCode',
    ]);
  });

  test('concurrent first addresses still leave exactly one default', async () => {
    const user = await register(ctx.app);
    const results = await Promise.all(Array.from({ length: 5 }, () => create(user, address())));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(await defaults(user)).toHaveLength(1);
  });

  test('concurrent "make me the default" updates leave exactly one default', async () => {
    const user = await register(ctx.app);
    const ids: number[] = [];
    for (let i = 0; i < 4; i += 1) ids.push((await create(user, address())).body.data.id);
    await Promise.all(ids.map((id) => update(user, id, { isDefault: true })));
    expect(await defaults(user)).toHaveLength(1);
  });
});
