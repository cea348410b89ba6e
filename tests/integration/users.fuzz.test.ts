import { API, PASSWORD, register, registerAdmin, type TestUser } from '../helpers/auth';
import { MALFORMED_QUERIES, malformedBodies, ODD_IDS, sendRaw, type Method } from '../helpers/fuzz';
import { createTestContext, type TestContext } from '../helpers/test-app';

jest.setTimeout(120_000);

let ctx: TestContext;
let user: TestUser;
let admin: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
  user = await register(ctx.app);
  admin = await registerAdmin(ctx);
});
afterAll(async () => {
  await ctx?.close();
});

async function tokenFor(who: TestUser): Promise<string> {
  return (await ctx.container.services.auth.login({}, { email: who.email, password: PASSWORD })).token;
}

const ROUTES: Array<{ method: Method; path: string; admin?: boolean }> = [
  { method: 'get', path: '/users/profile' },
  { method: 'put', path: '/users/profile' },
  { method: 'get', path: '/users/addresses' },
  { method: 'post', path: '/users/addresses' },
  { method: 'put', path: '/users/addresses/1' },
  { method: 'delete', path: '/users/addresses/1' },
  { method: 'get', path: '/users/preferences' },
  { method: 'put', path: '/users/preferences' },
  { method: 'get', path: '/users/stats' },
  { method: 'delete', path: '/users/account' },
  { method: 'get', path: '/users/admin/all', admin: true },
  { method: 'patch', path: '/users/admin/1/status', admin: true },
];

function check(failures: string[], label: string, res: { status: number; body: Record<string, unknown> }) {
  if (res.status >= 500 || res.status < 200)
    failures.push(`${label}: ${res.status} ${JSON.stringify(res.body)}`);
  else if (res.status >= 400 && (typeof res.body.code !== 'string' || 'stack' in res.body)) {
    failures.push(`${label}: bad error envelope ${JSON.stringify(res.body)}`);
  }
}

describe('malformed input never causes a 5xx on /users', () => {
  test.each(ROUTES)('$method $path (bodies)', async ({ method, path, admin: asAdmin }) => {
    const token = await tokenFor(asAdmin ? admin : user);
    const failures: string[] = [];
    for (const body of malformedBodies()) {
      const res = await sendRaw(ctx.app, method, `${API}${path}`, body, { Authorization: `Bearer ${token}` });
      check(failures, body.name, res);
    }
    expect(failures).toEqual([]);
    // The account is still there: no fuzz body deleted it.
    expect((await ctx.container.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).isActive).toBe(
      true,
    );
  });

  test.each(ROUTES.filter((route) => route.method === 'get'))(
    '$method $path (queries)',
    async ({ path, admin: asAdmin }) => {
      const token = await tokenFor(asAdmin ? admin : user);
      const failures: string[] = [];
      for (const query of MALFORMED_QUERIES) {
        const res = await sendRaw(ctx.app, 'get', `${API}${path}${query}`, undefined, {
          Authorization: `Bearer ${token}`,
        });
        check(failures, query.slice(0, 40), res);
      }
      expect(failures).toEqual([]);
    },
  );

  test('junk ids in the path → 400, never another record or a 5xx', async () => {
    const token = await tokenFor(admin);
    const ids = [
      ...ODD_IDS,
      'abc',
      '1.5',
      '99999999999999999999',
      'null',
      '[]',
      '..%2f..%2f',
      `0x${admin.id.toString(16)}`,
    ];
    const failures: string[] = [];
    for (const id of ids) {
      for (const [method, path, body] of [
        ['put', `/users/addresses/${id}`, { city: 'X' }],
        ['delete', `/users/addresses/${id}`, undefined],
        ['patch', `/users/admin/${id}/status`, { isActive: true }],
      ] as const) {
        const res = await sendRaw(
          ctx.app,
          method,
          `${API}${path}`,
          body ? { name: 'json', contentType: 'application/json', raw: JSON.stringify(body) } : undefined,
          { Authorization: `Bearer ${token}` },
        );
        if (res.status !== 400) failures.push(`${method} ${path}: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
