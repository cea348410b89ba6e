import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { Express } from 'express';
import request from 'supertest';
import type { z } from 'zod';

/** A raw request body and the content type it is sent with. */
export interface FuzzBody {
  name: string;
  contentType: string;
  raw: string;
}

const json = (name: string, value: unknown): FuzzBody => ({
  name,
  contentType: 'application/json',
  raw: JSON.stringify(value),
});

/** `{ a: { a: … } }` with a sibling array at every level (one reference per level, so it serialises linearly). */
function deeplyNested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i += 1) value = { a: value, b: [i, null, 'x'] };
  return value;
}

function deepArray(depth: number): unknown {
  let value: unknown = [];
  for (let i = 0; i < depth; i += 1) value = [value];
  return value;
}

const FIELDS = [
  'email',
  'password',
  'firstName',
  'lastName',
  'refreshToken',
  'currentPassword',
  'newPassword',
  'token',
  'phone',
  'gender',
  'age',
  'image',
  'label',
  'address',
  'city',
  'state',
  'zipCode',
  'country',
  'isDefault',
  'theme',
  'notifications',
  'emailNotifications',
  'currency',
  'language',
  'reason',
  'isActive',
  'productId',
  'quantity',
];

const fill = (value: unknown) => Object.fromEntries(FIELDS.map((field) => [field, value]));

/** Bodies a careless or hostile client might send: every one must get a 4xx (or a 2xx), never a 5xx. */
export function malformedBodies(): FuzzBody[] {
  return [
    json('empty object', {}),
    json('null', null),
    json('number', 42),
    json('string', 'hello'),
    json('boolean', true),
    json('empty array', []),
    json('array of objects', [{ email: 'a@b.co' }, { password: 'x' }]),
    json('every field a number', fill(12345)),
    json('every field a huge number', fill(1e308)),
    json('every field negative', fill(-1)),
    json('every field a boolean', fill(true)),
    json('every field null', fill(null)),
    json('every field an array', fill(['a', 'b'])),
    json('every field an object', fill({ $ne: null, $gt: '' })),
    json('every field empty', fill('')),
    json('every field whitespace', fill('   ')),
    json('every field a long string', fill('x'.repeat(3_000))),
    json('one field a 90 kB string', { ...fill('A1a'), email: `${'a'.repeat(90_000)}@x.co` }),
    json('NUL characters', fill('a\u0000b')),
    json('control characters', fill('\u0001\u0002\u001b[31m\r\n')),
    json('lone surrogates', fill('\ud800\udc00\ud800')),
    json('NUL and lone surrogates in field names', { 'email\u0000': 'a@b.co', 'pass\ud800': 'x' }),
    json('emoji and RTL', fill('🛒\u202eevil')),
    json('SQL-ish', fill("' OR 1=1; DROP TABLE users; --")),
    json(
      'prototype pollution',
      JSON.parse('{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}}}'),
    ),
    json('deeply nested', deeplyNested(500)),
    json('deep array', deepArray(2_000)),
    json('valid-looking with extra junk', {
      email: 'fuzz@example.test',
      password: 'Passw0rdX',
      firstName: 'F',
      lastName: 'Z',
      role: 'ADMIN',
      id: 1,
      nested: { a: [1, { b: null }] },
    }),
    json('integer edge cases', { ...fill('Passw0rdX'), age: 2 ** 53, isActive: 1, isDefault: 'true' }),
    { name: 'invalid JSON', contentType: 'application/json', raw: '{"email": "a@b.co", "password": ' },
    { name: 'trailing garbage', contentType: 'application/json', raw: '{"email": "a@b.co"} xyz' },
    { name: 'NaN literal', contentType: 'application/json', raw: '{"age": NaN}' },
    { name: 'single quotes', contentType: 'application/json', raw: "{'email': 'a@b.co'}" },
    { name: 'BOM + JSON', contentType: 'application/json', raw: '\ufeff{"email":"a@b.co"}' },
    { name: 'plain text', contentType: 'text/plain', raw: 'email=a@b.co&password=x' },
    {
      name: 'form encoded',
      contentType: 'application/x-www-form-urlencoded',
      raw: 'email=a%40b.co&password=x',
    },
    { name: 'XML', contentType: 'application/xml', raw: '<user><email>a@b.co</email></user>' },
    {
      name: 'JSON with a charset nobody supports',
      contentType: 'application/json; charset=ebcdic',
      raw: '{}',
    },
    {
      name: 'over the body limit',
      contentType: 'application/json',
      raw: JSON.stringify({ x: 'y'.repeat(150_000) }),
    },
  ];
}

export const MALFORMED_QUERIES = [
  '?skip=abc&limit=xyz',
  '?skip=-5&limit=0',
  '?skip=1e400&limit=1e400',
  '?limit[]=1&skip[a]=2',
  '?q[$ne]=1&role[]=ADMIN',
  `?q=${'a'.repeat(5_000)}`,
  '?q=%00',
  '?q=%E0%A4%A',
  '?isActive=maybe&role=root',
  '?__proto__[x]=1',
];

/** Guest session ids a client might send (X-Session-Id header or `sessionId` cookie): never a 5xx. */
export const MALFORMED_SESSION_IDS = [
  '',
  ' ',
  'x',
  'a'.repeat(42),
  'a'.repeat(44),
  'a'.repeat(8_000),
  `${'a'.repeat(42)}=`,
  `${'a'.repeat(42)}.`,
  '*',
  `${'a'.repeat(20)}:${'b'.repeat(22)}`,
  '../../../../etc/passwd',
  "' OR 1=1 --",
  'j:{"$ne":null}',
  '%00%00',
];

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Sends a raw body; returns the status. */
export async function sendRaw(
  app: Express,
  method: Method,
  path: string,
  body: FuzzBody | undefined,
  headers: Record<string, string> = {},
): Promise<request.Response> {
  let req = request(app)[method](path);
  for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
  if (body) req = req.set('Content-Type', body.contentType).send(body.raw);
  return req;
}

/** Strings PostgreSQL `text` cannot store (NUL) or UTF-8 / `jsonb` cannot encode (half a surrogate pair). */
export const UNSTORABLE_STRINGS = [
  { name: 'NUL inside', value: 'Ap\u0000ple' },
  { name: 'only NUL', value: '\u0000' },
  { name: 'lone high surrogate', value: 'a\ud800b' },
  { name: 'lone low surrogate', value: 'a\udc00b' },
  { name: 'pair then a lone half', value: '🛒\ud83d' },
];

/** Path segments that are not plain decimal integer ids; coercing any of them would address another record. */
export const ODD_IDS = [
  '0x10',
  '%207',
  '7%20',
  '1e3',
  '1.0',
  '+7',
  '07',
  '-1',
  '0',
  '7abc',
  '2147483648',
  '%00',
  '%E0%A4%A',
  '%ED%A0%80',
];

/** A route as the ApiRouter declared it in the OpenAPI registry. */
export interface DeclaredRoute {
  method: Method;
  /** `/api/v1/products/{id}` */
  path: string;
  /** Path parameter names, and whether each is a plain integer id (its schema turns `'7'` into the number 7). */
  params: Array<{ name: string; integerId: boolean }>;
}

/** Every route declared through the ApiRouter, so fuzz tests cover modules added later without being edited. */
export function declaredRoutes(docs: OpenAPIRegistry): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  for (const definition of docs.definitions) {
    if (definition.type !== 'route') continue;
    const { method, path, request } = definition.route;
    const schema = request?.params;
    const shape = (schema && 'shape' in schema ? schema.shape : {}) as Record<string, z.ZodType>;
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
    routes.push({
      method: method as Method,
      path,
      params: names.map((name) => {
        const parsed = shape[name]?.safeParse('7');
        return { name, integerId: parsed?.success === true && parsed.data === 7 };
      }),
    });
  }
  return routes;
}

/** `path` with each `{param}` replaced: `values[name]`, else `fallback`. */
export function fillPath(path: string, values: Record<string, string>, fallback = '1'): string {
  return path.replace(/\{(\w+)\}/g, (_match, name: string) => values[name] ?? fallback);
}

/**
 * What is wrong with the reply to hostile input, or undefined: never a 5xx (or a non-HTTP status), every 4xx in the
 * error envelope without a stack. With `refusedOnly`, a 2xx is wrong too (input that must never be accepted).
 */
export function replyProblem(
  res: { status: number; body: unknown },
  { refusedOnly = false }: { refusedOnly?: boolean } = {},
): string | undefined {
  const body = (res.body ?? {}) as Record<string, unknown>;
  const text = `${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
  if (res.status >= 500 || res.status < 200) return text;
  if (refusedOnly && res.status < 400) return `accepted: ${text}`;
  if (res.status >= 400) {
    const envelope =
      typeof body.code === 'string' &&
      body.status === res.status &&
      typeof body.message === 'string' &&
      typeof body.meta === 'object' &&
      !('stack' in body);
    if (!envelope) return `bad error envelope: ${text}`;
  }
  return undefined;
}

/** JSON text with the placeholders INFINITY / NEG_INFINITY written as 1e309 / -1e309 (JSON.stringify cannot). */
export const INFINITY = '__fuzz_1e309__';
export const NEG_INFINITY = '__fuzz_-1e309__';
export function rawJson(value: unknown): string {
  return JSON.stringify(value).replaceAll(`"${INFINITY}"`, '1e309').replaceAll(`"${NEG_INFINITY}"`, '-1e309');
}

/** Values no integer or money field may take. */
export const BAD_NUMBERS: unknown[] = [
  0,
  -1,
  -0.5,
  1.5,
  0.001,
  INFINITY,
  NEG_INFINITY,
  1e308,
  -1e308,
  2 ** 31,
  2 ** 53,
  '7',
  '',
  null,
  true,
  [],
  [7],
  {},
  { $gt: 0 },
];

/** Values no required text field may take. */
export const BAD_TEXT: unknown[] = [
  7,
  0,
  INFINITY,
  '',
  '   ',
  null,
  false,
  [],
  ['a'],
  {},
  { $ne: null },
  'x'.repeat(10_000),
  'a\u0000b',
  'a\ud800b',
];

/** `base` with the value at `path` replaced (or removed when `value` is undefined); base is not changed. */
export function withValue(base: unknown, path: Array<string | number>, value: unknown): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** Every `values` at every path of `base`, as raw JSON bodies named by their path and value. */
export function mutatedBodies(
  base: unknown,
  fields: Array<{ path: Array<string | number>; values: unknown[] }>,
): FuzzBody[] {
  return fields.flatMap(({ path, values }) =>
    values.map((value) => ({
      name: `${path.join('.')} = ${JSON.stringify(value)?.slice(0, 40) ?? 'undefined'}`,
      contentType: 'application/json',
      raw: rawJson(withValue(base, path, value)),
    })),
  );
}
