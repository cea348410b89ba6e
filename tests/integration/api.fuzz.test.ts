import request from 'supertest';
import { API, registerAdmin, type TestUser } from '../helpers/auth';
import { declaredRoutes, fillPath, ODD_IDS, UNSTORABLE_STRINGS, type DeclaredRoute } from '../helpers/fuzz';
import { createTestContext, type TestContext } from '../helpers/test-app';
import { PAYMENT_WEBHOOK_PATH } from '../../src/modules/payments/payments.routes';

jest.setTimeout(120_000);

/**
 * Every route the ApiRouter declares (today's modules and any added later, read from the OpenAPI registry), called
 * as an admin: a NUL or an unpaired surrogate in any path parameter, query or body string, declared or not, is a
 * 400 VALIDATION_ERROR naming the field; an id that is not a plain decimal integer is a 4xx, never some other
 * record. Nothing is written: the rows the test made are untouched afterwards.
 */
let ctx: TestContext;
let admin: TestUser;
let routes: DeclaredRoute[];

beforeAll(async () => {
  ctx = await createTestContext();
  admin = await registerAdmin(ctx);
  routes = declaredRoutes(ctx.container.docs);
});
afterAll(async () => {
  await ctx?.close();
});

const send = (route: DeclaredRoute, path: string, body?: unknown) => {
  let req = request(ctx.app)
    [route.method](path.replace(/^\/api\/v1/, API))
    .set('Authorization', `Bearer ${admin.token}`);
  if (body !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
  return req;
};

type Failure = string;

function expectValidationError(
  failures: Failure[],
  label: string,
  res: request.Response,
  field: string,
): void {
  const details = res.body?.details as Record<string, string[]> | undefined;
  if (res.status !== 400 || res.body?.code !== 'VALIDATION_ERROR' || !details?.[field]?.length) {
    failures.push(`${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
  }
}

test('the registry lists the routes of every module', () => {
  const paths = routes.map((route) => `${route.method} ${route.path}`);
  expect(paths.length).toBeGreaterThan(40);
  for (const expected of [
    'get /api/v1/products',
    'put /api/v1/categories/{slug}',
    'delete /api/v1/users/account',
    'post /api/v1/auth/login',
    'post /api/v1/wishlist',
  ]) {
    expect(paths).toContain(expected);
  }
});

test('an unstorable string in the query of any route → 400 with its name', async () => {
  const failures: Failure[] = [];
  for (const route of routes) {
    for (const { name, value } of UNSTORABLE_STRINGS.filter((s) => s.value.includes('\u0000'))) {
      const path = `${fillPath(route.path, {})}?probe=${encodeURIComponent(value)}`;
      expectValidationError(
        failures,
        `${route.method} ${route.path} ?probe ${name}`,
        await send(route, path),
        'probe',
      );
    }
  }
  expect(failures).toEqual([]);
});

test('an unstorable string anywhere in the JSON body of any route → 400 with its dotted path', async () => {
  const failures: Failure[] = [];
  // The Stripe webhook takes raw bytes that only its signature check reads (payments.test.ts covers it).
  for (const route of routes.filter((r) => r.path !== `${API}${PAYMENT_WEBHOOK_PATH}`)) {
    for (const { name, value } of UNSTORABLE_STRINGS) {
      const body = { probe: 'fine', nested: { list: ['ok', value] } };
      const res = await send(route, fillPath(route.path, {}), body);
      expectValidationError(failures, `${route.method} ${route.path} body ${name}`, res, 'nested.list.1');
    }
  }
  expect(failures).toEqual([]);
});

test('a NUL in any path parameter → 400 with its name', async () => {
  const failures: Failure[] = [];
  for (const route of routes) {
    for (const param of route.params) {
      const res = await send(route, fillPath(route.path, { [param.name]: 'sm%00art' }));
      expectValidationError(failures, `${route.method} ${route.path} {${param.name}}`, res, param.name);
    }
  }
  expect(failures).toEqual([]);
});

test('odd ids in any path parameter → 4xx in the envelope; 400 where the parameter is an integer id', async () => {
  const failures: Failure[] = [];
  for (const route of routes) {
    for (const param of route.params) {
      for (const id of ODD_IDS) {
        const res = await send(route, fillPath(route.path, { [param.name]: id }));
        const label = `${route.method} ${route.path} {${param.name}}=${id}: ${res.status}`;
        if (param.integerId ? res.status !== 400 : res.status < 400 || res.status >= 500)
          failures.push(label);
        else if (typeof res.body?.code !== 'string') failures.push(`${label} without the envelope`);
      }
    }
  }
  expect(failures).toEqual([]);
  // Nothing was deleted or deactivated on the way.
  expect(await ctx.container.prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({
    isActive: true,
    deletedAt: null,
  });
});
