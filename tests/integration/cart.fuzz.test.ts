import request from 'supertest';
import { API, bearer, register, type TestUser } from '../helpers/auth';
import { addToCart, CART, storedCart } from '../helpers/cart';
import { createProduct } from '../helpers/catalogue-fixtures';
import { MALFORMED_SESSION_IDS, malformedBodies, replyProblem, sendRaw, type Method } from '../helpers/fuzz';
import { createTestContext, type TestContext } from '../helpers/test-app';

jest.setTimeout(120_000);

let ctx: TestContext;
let user: TestUser;
let sessionId: string;
let productId: number;

beforeAll(async () => {
  ctx = await createTestContext();
  user = await register(ctx.app);
  productId = (await createProduct(ctx, { stock: 50 })).id;
  sessionId = (await addToCart(ctx.app, {}, productId, 2)).body.data.sessionId;
  expect((await addToCart(ctx.app, { user }, productId, 3)).status).toBe(200);
});
afterAll(async () => {
  await ctx?.close();
});

const WRITE_ROUTES: Array<{ method: Method; path: string }> = [
  { method: 'post', path: '/cart/items' },
  { method: 'put', path: '/cart/items/1' },
  { method: 'delete', path: '/cart/items/1' },
  { method: 'delete', path: '/cart' },
  { method: 'post', path: '/cart/merge' },
];
const ALL_ROUTES: Array<{ method: Method; path: string }> = [
  { method: 'get', path: '/cart' },
  ...WRITE_ROUTES,
];

function check(failures: string[], label: string, res: { status: number; body: unknown }) {
  const problem = replyProblem(res);
  if (problem) failures.push(`${label}: ${problem}`);
}

const callers = (): Array<{ name: string; headers: Record<string, string> }> => [
  { name: 'guest', headers: {} },
  { name: 'session', headers: { 'X-Session-Id': sessionId } },
  { name: 'user', headers: bearer(user.token) },
  { name: 'user + session', headers: { ...bearer(user.token), 'X-Session-Id': sessionId } },
];

describe('malformed input never causes a 5xx on /cart', () => {
  test.each(WRITE_ROUTES)('$method $path (bodies, every kind of caller)', async ({ method, path }) => {
    const failures: string[] = [];
    for (const caller of callers()) {
      for (const body of malformedBodies()) {
        const res = await sendRaw(ctx.app, method, `${API}${path}`, body, caller.headers);
        check(failures, `${caller.name} / ${body.name}`, res);
      }
    }
    expect(failures).toEqual([]);
  });

  test.each(ALL_ROUTES)(
    '$method $path (session ids in the header and the cookie)',
    async ({ method, path }) => {
      const failures: string[] = [];
      for (const value of MALFORMED_SESSION_IDS) {
        const body = {
          name: 'valid',
          contentType: 'application/json',
          raw: JSON.stringify({ productId, quantity: 1 }),
        };
        const variants: Array<Record<string, string>> = [
          { 'X-Session-Id': value },
          { Cookie: `sessionId=${value}` },
          { ...bearer(user.token), 'X-Session-Id': value },
        ];
        for (const headers of variants) {
          const res = await sendRaw(
            ctx.app,
            method,
            `${API}${path}`,
            method === 'get' ? undefined : body,
            headers,
          );
          check(failures, `${JSON.stringify(headers).slice(0, 80)}`, res);
        }
      }
      expect(failures).toEqual([]);
    },
  );

  test('junk item ids in the path → 400 or 404, never 5xx', async () => {
    const failures: string[] = [];
    for (const id of ['0', '-1', 'abc', '1.5', '1e3', '99999999999', '%00', '__proto__', ' 1', '0x10']) {
      for (const method of ['put', 'delete'] as const) {
        const res = await request(ctx.app)
          [method](`${CART}/items/${encodeURIComponent(id)}`)
          .set('X-Session-Id', sessionId)
          .send({ quantity: 1 });
        if (![400, 404].includes(res.status)) failures.push(`${method} ${id}: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  test('after all that, the carts hold only what valid requests put there', async () => {
    const guest = await storedCart(ctx, { sessionId });
    const mine = await storedCart(ctx, { userId: user.id });
    for (const cart of [guest.lines, mine.lines]) {
      for (const [id, quantity] of Object.entries(cart)) {
        expect(Number(id)).toBe(productId);
        expect(quantity).toBeGreaterThanOrEqual(1);
        expect(quantity).toBeLessThanOrEqual(50);
      }
    }
  });
});
