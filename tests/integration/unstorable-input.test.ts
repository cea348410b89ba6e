import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import request from 'supertest';
import { z } from 'zod';
import { createApp } from '../../src/app';
import { ApiRouter } from '../../src/middleware/api-router';
import { API, bearer, expectError, PASSWORD, register, registerAdmin, type TestUser } from '../helpers/auth';
import { seedCatalogue, type Catalogue } from '../helpers/catalogue';
import { createTestContext, type TestContext } from '../helpers/test-app';

/** The reported cases of issue 7 points 5–7, through HTTP: each was a 500 (or a wrong record) before. */
let ctx: TestContext;
let catalogue: Catalogue;
let admin: TestUser;

beforeAll(async () => {
  ctx = await createTestContext();
  catalogue = await seedCatalogue(ctx);
  admin = await registerAdmin(ctx);
});
afterAll(async () => {
  await ctx?.close();
});

const get = (path: string) => request(ctx.app).get(`${API}${path}`);
const details = (res: request.Response, field: string) =>
  (expectError(res, 400, 'VALIDATION_ERROR').details as Record<string, string[]>)[field];

describe('NUL in catalogue reads → 400 VALIDATION_ERROR naming the field', () => {
  test.each([
    ['/products?brand=Ap%00ple', 'brand'],
    ['/products?category=smart%00phones', 'category'],
    ['/products?q=ph%00one', 'q'],
    ['/products/search?q=a&brand=%00', 'brand'],
    ['/products/search?q=a%00', 'q'],
    ['/products/category/sm%00art', 'slug'],
    ['/products/category/smartphones?brand=%00', 'brand'],
    ['/categories/sm%00art', 'slug'],
    ['/products?cursor=%00', 'cursor'],
    ['/products?undeclared=%00', 'undeclared'],
    ['/products?brand[nested]=%00', 'brand.nested'],
  ])('GET %s', async (path, field) => {
    expect(details(await get(path), field)).toEqual(['Must not contain NUL characters']);
  });
});

describe('admin catalogue writes with NUL or an unpaired surrogate → 400, nothing written', () => {
  const product = {
    title: 'Probe headphones',
    price: 10,
    category: 'electronics',
    sku: 'PROBE-1',
    slug: 'probe-headphones',
  };

  test.each([
    ['title', { ...product, title: 'Probe\u0000' }],
    ['description', { ...product, description: '\u0000' }],
    ['brand', { ...product, brand: 'So\ud800ny' }],
    ['category', { ...product, category: 'elec\u0000tronics' }],
    ['tags.1', { ...product, tags: ['ok', 'a\udc00'] }],
    ['images.0', { ...product, images: ['https://cdn.example.test/\u0000.jpg'] }],
    ['extra', { ...product, extra: 'not declared \u0000' }],
  ])('POST /products with a bad %s', async (field, body) => {
    const res = await request(ctx.app).post(`${API}/products`).set(bearer(admin.token)).send(body);
    expect(details(res, field)).toHaveLength(1);
    expect(await ctx.container.prisma.product.count({ where: { slug: 'probe-headphones' } })).toBe(0);
  });

  test('PUT /products/:id with NUL / a lone surrogate → 400, product unchanged', async () => {
    const id = catalogue.products.iphone.id;
    const before = await ctx.container.prisma.product.findUniqueOrThrow({ where: { id } });
    for (const body of [{ brand: 'Ap\u0000ple' }, { title: 'i\ud800Phone' }, { description: 'x\u0000' }]) {
      const res = await request(ctx.app).put(`${API}/products/${id}`).set(bearer(admin.token)).send(body);
      expectError(res, 400, 'VALIDATION_ERROR');
    }
    expect(await ctx.container.prisma.product.findUniqueOrThrow({ where: { id } })).toEqual(before);
  });

  test('POST /categories and PUT /categories/:slug with NUL / a lone surrogate → 400, nothing written', async () => {
    for (const body of [
      { name: 'Pro\u0000be' },
      { name: 'Probe', description: '\u0000' },
      { name: 'Probe', image: 'https://cdn.example.test/\ud800.png' },
    ]) {
      const res = await request(ctx.app).post(`${API}/categories`).set(bearer(admin.token)).send(body);
      expectError(res, 400, 'VALIDATION_ERROR');
      const update = await request(ctx.app)
        .put(`${API}/categories/smartphones`)
        .set(bearer(admin.token))
        .send(body);
      expectError(update, 400, 'VALIDATION_ERROR');
    }
    expect(await ctx.container.prisma.category.count({ where: { slug: 'probe' } })).toBe(0);
    expect(
      await ctx.container.prisma.category.findUniqueOrThrow({ where: { slug: 'smartphones' } }),
    ).toMatchObject({ name: 'Smartphones', description: null });
  });
});

describe('account deletion with an unpaired surrogate in the reason', () => {
  test('→ 400 naming reason; the account is not deleted', async () => {
    const user = await register(ctx.app);
    const res = await request(ctx.app)
      .delete(`${API}/users/account`)
      .set(bearer(user.token))
      .send({ password: PASSWORD, reason: 'a\ud800b' });
    expect(details(res, 'reason')).toEqual(['Must not contain unpaired UTF-16 surrogates']);
    const row = await ctx.container.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({ isActive: true, deletedAt: null, email: user.email });
    expect((await get('/auth/me').set(bearer(user.token))).status).toBe(200);
  });
});

describe('text fields of the identity routes', () => {
  test('register with a lone surrogate or NUL in a name → 400, no user', async () => {
    for (const firstName of ['Ad\ud800a', 'Ad\u0000a']) {
      const email = `surrogate-${firstName.length}-${Date.now()}@example.test`;
      const res = await request(ctx.app)
        .post(`${API}/auth/register`)
        .send({ email, password: PASSWORD, firstName, lastName: 'Lovelace' });
      expect(details(res, 'firstName')).toHaveLength(1);
      expect(await ctx.container.prisma.user.count({ where: { email } })).toBe(0);
    }
  });

  test('profile and address writes with a lone surrogate → 400, nothing stored', async () => {
    const user = await register(ctx.app);
    const profile = await request(ctx.app)
      .put(`${API}/users/profile`)
      .set(bearer(user.token))
      .send({ lastName: 'Love\udc00lace' });
    expect(details(profile, 'lastName')).toHaveLength(1);
    const address = await request(ctx.app).post(`${API}/users/addresses`).set(bearer(user.token)).send({
      firstName: 'Ada',
      lastName: 'Lovelace',
      address: '12 St James\ud800 Square',
      city: 'London',
      state: 'LDN',
      zipCode: 'SW1Y 4JH',
      country: 'GB',
      phone: '+44 20 7946 0000',
    });
    expect(details(address, 'address')).toHaveLength(1);
    expect(await ctx.container.prisma.address.count({ where: { userId: user.id } })).toBe(0);
    expect(await ctx.container.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({
      lastName: 'Lovelace',
    });
  });
});

describe('user ids only as plain decimal integers (point 7)', () => {
  test.each([
    ['hex', (id: number) => `0x${id.toString(16)}`],
    ['leading space', (id: number) => `%20${id}`],
    ['trailing space', (id: number) => `${id}%20`],
    ['decimal point', (id: number) => `${id}.0`],
    ['exponent', (id: number) => `${id}e0`],
    ['plus sign', (id: number) => `+${id}`],
    ['leading zero', (id: number) => `0${id}`],
  ])('PATCH /users/admin/:id/status with a %s id → 400, the user is untouched', async (_name, spell) => {
    const target = await register(ctx.app);
    const res = await request(ctx.app)
      .patch(`${API}/users/admin/${spell(target.id)}/status`)
      .set(bearer(admin.token))
      .send({ isActive: false });
    expect(details(res, 'id')).toEqual(['Must be a positive integer']);
    expect((await ctx.container.prisma.user.findUniqueOrThrow({ where: { id: target.id } })).isActive).toBe(
      true,
    );
  });
});

describe('a module that declares its strings with plain z.string() is protected all the same', () => {
  const calls: unknown[] = [];
  let app: ReturnType<typeof createApp>;

  beforeAll(() => {
    const probe = new ApiRouter(new OpenAPIRegistry(), ctx.container.guards, '/probe', 'Probe');
    probe.post(
      '/:code',
      {
        summary: 'A careless future module',
        params: z.object({ code: z.string() }),
        query: z.object({ note: z.string().optional() }),
        body: z.object({ name: z.string(), items: z.array(z.object({ label: z.string() })) }),
      },
      ({ body, query, params, res }) => {
        calls.push({ body, query, params });
        res.status(201).json({ data: null });
      },
    );
    app = createApp(ctx.container, { extraApiRoutes: (api) => api.use('/probe', probe.router) });
  });

  const post = (path: string, body: unknown) =>
    request(app)
      .post(`${API}/probe${path}`)
      .send(body as object);
  const valid = { name: 'n', items: [{ label: 'l' }] };

  test('clean input reaches the handler', async () => {
    expect((await post('/abc?note=hi', valid)).status).toBe(201);
    expect(calls).toHaveLength(1);
  });

  test.each([
    ['body', '/abc', { name: 'n', items: [{ label: 'ok' }, { label: 'l\u0000' }] }, 'items.1.label'],
    ['body', '/abc', { name: '\ud800', items: [] }, 'name'],
    ['query', '/abc?note=%00', valid, 'note'],
    ['path', '/a%00c', valid, 'code'],
  ])(
    'NUL / lone surrogate in the %s → 400 at %s, the handler never runs',
    async (_where, path, body, field) => {
      const before = calls.length;
      expect(details(await post(path, body), field)).toHaveLength(1);
      expect(calls).toHaveLength(before);
    },
  );
});
