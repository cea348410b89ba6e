import request from 'supertest';
import { API } from '../helpers/auth';
import { declaredRoutes, type DeclaredRoute } from '../helpers/fuzz';
import { createTestContext, type TestContext } from '../helpers/test-app';

/**
 * GET /api/v1/openapi.json against the routes the ApiRouter registered (read from the registry, so a route added
 * later is checked without editing this file): every cart, orders and payments route is in the document, each with
 * the error responses its input, its auth and its path parameters can produce, in the error envelope; and the
 * statuses the contract names for particular routes.
 */
let ctx: TestContext;
let doc: {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};
let routes: DeclaredRoute[];

interface Operation {
  security?: Array<Record<string, unknown>>;
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}

const MODULES = ['/api/v1/cart', '/api/v1/orders', '/api/v1/payments'];

beforeAll(async () => {
  ctx = await createTestContext();
  const res = await request(ctx.app).get(`${API}/openapi.json`);
  expect(res.status).toBe(200);
  doc = res.body;
  routes = declaredRoutes(ctx.container.docs).filter((route) =>
    MODULES.some((prefix) => route.path === prefix || route.path.startsWith(`${prefix}/`)),
  );
});

afterAll(async () => {
  await ctx.close();
});

const operation = (route: Pick<DeclaredRoute, 'method' | 'path'>) => doc.paths[route.path]?.[route.method];
const statuses = (route: Pick<DeclaredRoute, 'method' | 'path'>) =>
  Object.keys(operation(route)?.responses ?? {});

test('the registry holds the cart, orders and payments routes, and the document lists every one', () => {
  const names = routes.map((route) => `${route.method} ${route.path}`);
  expect(names).toEqual(
    expect.arrayContaining([
      'get /api/v1/cart',
      'post /api/v1/cart/merge',
      'post /api/v1/orders',
      'patch /api/v1/orders/{id}/status',
      'get /api/v1/orders/admin/stats',
      'post /api/v1/payments/webhook',
      'post /api/v1/payments/{paymentId}/refund',
    ]),
  );
  expect(routes.length).toBeGreaterThanOrEqual(19);
  expect(routes.filter((route) => !operation(route)).map((route) => route.path)).toEqual([]);
});

test('every route documents the errors its input, auth and path parameters can cause, in the error envelope', () => {
  const missing: string[] = [];
  for (const route of routes) {
    const op = operation(route)!;
    const documented = statuses(route);
    const needed = ['429'];
    if (op.requestBody || op.parameters?.length) needed.push('400');
    if (op.security?.some((scheme) => 'bearerAuth' in scheme)) needed.push('401');
    if (route.params.length > 0) needed.push('404');
    for (const status of needed) {
      if (!documented.includes(status)) missing.push(`${route.method} ${route.path}: ${status}`);
    }
    for (const status of documented.filter((code) => Number(code) >= 400)) {
      const schema = JSON.stringify(op.responses[status].content?.['application/json']?.schema ?? {});
      if (!schema.includes('code') && !schema.includes('$ref')) {
        missing.push(`${route.method} ${route.path}: ${status} is not the error envelope`);
      }
    }
    const success = documented.filter((code) => Number(code) < 300);
    if (success.length !== 1) missing.push(`${route.method} ${route.path}: success ${success.join()}`);
  }
  expect(missing).toEqual([]);
});

test.each<[method: DeclaredRoute['method'], path: string, errors: string[]]>([
  ['post', '/api/v1/orders', ['400', '401', '404', '409', '422', '503']],
  ['get', '/api/v1/orders', ['400', '401']],
  ['get', '/api/v1/orders/{id}', ['400', '401', '404']],
  ['post', '/api/v1/orders/{id}/cancel', ['400', '401', '404', '422']],
  ['get', '/api/v1/orders/{id}/tracking', ['400', '401', '404']],
  ['get', '/api/v1/orders/{id}/invoice', ['400', '401', '404']],
  ['get', '/api/v1/orders/admin/all', ['400', '401', '403']],
  ['get', '/api/v1/orders/admin/stats', ['400', '401', '403']],
  ['patch', '/api/v1/orders/{id}/status', ['400', '401', '403', '404', '422']],
  ['post', '/api/v1/payments/create-intent', ['400', '401', '404', '422', '502', '503']],
  ['get', '/api/v1/payments/order/{orderId}', ['400', '401', '404']],
  ['post', '/api/v1/payments/{paymentId}/refund', ['400', '401', '403', '404', '422', '502', '503']],
  ['post', '/api/v1/payments/webhook', ['400', '503']],
  ['post', '/api/v1/cart/items', ['400', '401', '404', '409', '503']],
  ['put', '/api/v1/cart/items/{itemId}', ['400', '401', '404', '409', '503']],
  ['post', '/api/v1/cart/merge', ['400', '401', '409', '503']],
])('%s %s documents %j', (method, path, errors) => {
  expect(statuses({ method, path })).toEqual(expect.arrayContaining(errors));
});

test('POST /orders documents its Idempotency-Key header; the webhook its Stripe-Signature', () => {
  const headerNames = (method: DeclaredRoute['method'], path: string) =>
    (operation({ method, path })?.parameters ?? [])
      .filter((p) => p.in === 'header')
      .map((p) => p.name.toLowerCase());
  expect(headerNames('post', '/api/v1/orders')).toContain('idempotency-key');
  expect(headerNames('post', '/api/v1/payments/webhook')).toContain('stripe-signature');
});
