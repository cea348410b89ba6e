import { API, PASSWORD, register, type TestUser } from '../helpers/auth';
import { malformedBodies, sendRaw, type Method } from '../helpers/fuzz';
import { createTestContext, type TestContext } from '../helpers/test-app';

jest.setTimeout(120_000);

let ctx: TestContext;
let user: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
  user = await register(ctx.app);
});
afterAll(async () => {
  await ctx?.close();
});

/** A fresh session per request: logout/change-password bodies that happen to be valid must not starve the rest. */
async function freshToken(): Promise<string> {
  const session = await ctx.container.services.auth.login({}, { email: user.email, password: PASSWORD });
  return session.token;
}

const ROUTES: Array<{ method: Method; path: string; auth: boolean }> = [
  { method: 'post', path: '/auth/register', auth: false },
  { method: 'post', path: '/auth/login', auth: false },
  { method: 'post', path: '/auth/refresh', auth: false },
  { method: 'post', path: '/auth/logout', auth: true },
  { method: 'post', path: '/auth/logout-all', auth: true },
  { method: 'get', path: '/auth/validate', auth: true },
  { method: 'get', path: '/auth/me', auth: true },
  { method: 'post', path: '/auth/change-password', auth: true },
  { method: 'post', path: '/auth/forgot-password', auth: false },
  { method: 'post', path: '/auth/reset-password', auth: false },
  { method: 'post', path: '/auth/verify-email', auth: false },
];

describe('malformed input never causes a 5xx on /auth', () => {
  test.each(ROUTES)('$method $path', async ({ method, path, auth }) => {
    const failures: string[] = [];
    for (const body of malformedBodies()) {
      const headers: Record<string, string> = auth ? { Authorization: `Bearer ${await freshToken()}` } : {};
      const res = await sendRaw(ctx.app, method, `${API}${path}`, body, headers);
      if (res.status >= 500 || res.status < 200)
        failures.push(`${body.name}: ${res.status} ${JSON.stringify(res.body)}`);
      else if (res.status >= 400) {
        // Every error keeps the envelope: a code, a message, the request id; no stack trace.
        if (typeof res.body.code !== 'string' || !res.body.meta?.requestId || 'stack' in res.body) {
          failures.push(`${body.name}: bad error envelope ${JSON.stringify(res.body)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  test('refresh and logout with junk cookies', async () => {
    const cookies = [
      'refreshToken=',
      `refreshToken=${'x'.repeat(5000)}`,
      'refreshToken=%00%ff',
      'refreshToken=j:{"a":1}',
    ];
    for (const cookie of cookies) {
      const refresh = await sendRaw(ctx.app, 'post', `${API}/auth/refresh`, undefined, { Cookie: cookie });
      expect(refresh.status).toBe(401);
      const logout = await sendRaw(ctx.app, 'post', `${API}/auth/logout`, undefined, {
        Cookie: cookie,
        Authorization: `Bearer ${await freshToken()}`,
      });
      expect(logout.status).toBe(200);
    }
  });

  test('junk Authorization headers → 401, never 5xx', async () => {
    const headers = [
      'Bearer',
      'Bearer ',
      'Bearer a.b',
      'Bearer a.b.c.d',
      `Bearer ${'a'.repeat(8000)}`,
      'Bearer eyJhbGciOiJub25lIn0.e30.',
      'Bearer eyJ%%%.eyJ.###',
      'bearer    ',
      'Token abc',
    ];
    for (const value of headers) {
      const res = await sendRaw(ctx.app, 'get', `${API}/auth/me`, undefined, { Authorization: value });
      expect(res.status).toBe(401);
    }
  });
});
