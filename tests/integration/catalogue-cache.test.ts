import net from 'node:net';
import request from 'supertest';
import { findFreePort } from '../../src/lib/embedded/free-port';
import { spawnRedis, type SpawnedRedis } from '../../src/lib/embedded/spawned-redis';
import { API, bearer, registerAdmin, type TestUser } from '../helpers/auth';
import { countQueries, productStatements, seedCatalogue, type Catalogue } from '../helpers/catalogue';
import { createTestContext, type TestContext } from '../helpers/test-app';
import { readTestEnv } from '../helpers/test-env';
import { waitFor } from '../helpers/wait';

jest.setTimeout(60_000);

let ctx: TestContext;
/** Same database; its Redis URL is a port nobody listens on. */
let down: TestContext;
/** Same database; a Redis of its own that a test stops. */
let own: TestContext;
let ownRedis: SpawnedRedis | undefined;
/** Same database; reaches the test Redis through a proxy that a test cuts (a partition: Redis keeps its data). */
let partitioned: TestContext;
let proxy: TcpProxy;
let catalogue: Catalogue;
let admin: TestUser;

beforeAll(async () => {
  // Every context creation empties the database: create them all before seeding.
  ctx = await createTestContext();
  down = await createTestContext({}, {}, { redisUrl: `redis://127.0.0.1:${await findFreePort()}` });
  ownRedis = await spawnRedis();
  own = await createTestContext({}, {}, { redisUrl: ownRedis.url });
  proxy = await TcpProxy.start(Number(new URL(readTestEnv('redisUrl')).port));
  partitioned = await createTestContext({}, {}, { redisUrl: `redis://127.0.0.1:${proxy.port}` });
  catalogue = await seedCatalogue(ctx);
  admin = await registerAdmin(ctx);
});
afterAll(async () => {
  await Promise.all([down?.close(), own?.close(), partitioned?.close()]);
  await proxy?.close();
  await ownRedis?.stop();
  await ctx?.close();
});

const get = (path: string, context: TestContext = ctx) => request(context.app).get(`${API}${path}`);
const adminWrite = (method: 'post' | 'put' | 'patch' | 'delete', path: string, context: TestContext = ctx) =>
  request(context.app)[method](`${API}${path}`).set(bearer(admin.token));

const CACHED_READS = [
  '/products',
  '/products?category=electronics&sortBy=price&order=desc&limit=3',
  '/products/search?q=iphnoe',
  '/products/categories',
  '/products/brands',
  '/products/category/smartphones',
  '/categories',
  '/categories/electronics',
];

describe('cache-aside', () => {
  test.each(CACHED_READS)(
    '%s: MISS, then HIT with the same data, served as a valid envelope',
    async (path) => {
      await ctx.container.cache.invalidate('products', 'categories');
      const first = await get(path);
      expect(first.status).toBe(200);
      expect(first.headers['x-cache']).toBe('MISS');
      const second = await get(path).set('X-Request-ID', 'cache-hit-check');
      expect(second.status).toBe(200);
      expect(second.headers['x-cache']).toBe('HIT');
      expect(second.headers['content-type']).toMatch(/^application\/json/);
      expect(second.body.data).toEqual(first.body.data);
      expect(second.body).toMatchObject({
        status: 200,
        message: 'OK',
        meta: { requestId: 'cache-hit-check' },
      });
      expect(Date.parse(second.body.meta.timestamp)).toBeGreaterThan(0);
    },
  );

  test('product detail: MISS then HIT', async () => {
    const path = `/products/${catalogue.products.iphone.id}`;
    await ctx.container.cache.invalidate('products');
    expect((await get(path)).headers['x-cache']).toBe('MISS');
    expect((await get(path)).headers['x-cache']).toBe('HIT');
  });

  test('a weak ETag of the data: the same on MISS and HIT, If-None-Match → 304, changes with the data', async () => {
    const path = `/products/${catalogue.products.case.id}`;
    await ctx.container.cache.invalidate('products');
    const miss = await get(path);
    const hit = await get(path);
    expect(miss.headers.etag).toMatch(/^W\/"[\w-]{27}"$/);
    expect(hit.headers.etag).toBe(miss.headers.etag);
    const notModified = await get(path).set('If-None-Match', hit.headers.etag);
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');
    await ctx.container.prisma.product.update({
      where: { id: catalogue.products.case.id },
      data: { stock: { increment: 1 } },
    });
    await ctx.container.cache.invalidate('products');
    const changed = await get(path).set('If-None-Match', hit.headers.etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(hit.headers.etag);
  });

  test('keys are normalised: defaults applied and parameter order irrelevant', async () => {
    await ctx.container.cache.invalidate('products');
    expect((await get('/products')).headers['x-cache']).toBe('MISS');
    expect((await get('/products?skip=0&limit=30&sortBy=createdAt&order=asc')).headers['x-cache']).toBe(
      'HIT',
    );
    expect((await get('/products?limit=5&brand=Apple&minPrice=10')).headers['x-cache']).toBe('MISS');
    expect((await get('/products?minPrice=10.00&brand=Apple&limit=5')).headers['x-cache']).toBe('HIT');
    expect((await get('/products?category=SMARTPHONES')).headers['x-cache']).toBe('MISS');
    expect((await get('/products?category=smartphones')).headers['x-cache']).toBe('HIT');
    // Different queries are different entries.
    expect((await get('/products?limit=6&brand=Apple&minPrice=10')).headers['x-cache']).toBe('MISS');
  });

  test('404s are not cached', async () => {
    expect((await get('/products/2147483647')).status).toBe(404);
    expect((await get('/products/category/nope')).status).toBe(404);
    const created = await ctx.container.prisma.category.create({ data: { slug: 'nope', name: 'Nope' } });
    await ctx.container.cache.invalidate('products', 'categories');
    expect((await get('/products/category/nope')).status).toBe(200);
    await ctx.container.prisma.category.delete({ where: { id: created.id } });
    await ctx.container.cache.invalidate('products', 'categories');
  });
});

describe('read-your-write: the first read after a write never sees the old value', () => {
  async function warm(paths: string[]) {
    for (const path of paths) {
      await get(path);
      expect((await get(path)).headers['x-cache']).toBe('HIT');
    }
  }

  test('create', async () => {
    await warm([
      '/products?limit=100',
      '/products/brands',
      '/products/categories',
      '/products/search?q=turntable',
    ]);
    const before = (await get('/products?limit=100')).body.data.total;
    const res = await adminWrite('post', '/products').send({
      title: 'Vinyl Turntable',
      price: 199,
      brand: 'Zzz Audio',
      category: 'electronics',
      sku: 'RYW-CREATE',
    });
    expect(res.status).toBe(201);
    const list = await get('/products?limit=100');
    expect(list.headers['x-cache']).toBe('MISS');
    expect(list.body.data.total).toBe(before + 1);
    expect((await get('/products/brands')).body.data).toContainEqual({ name: 'Zzz Audio', productCount: 1 });
    const categories = (await get('/products/categories')).body.data;
    expect(categories.find((c: { slug: string }) => c.slug === 'electronics').productCount).toBe(7);
    expect((await get('/products/search?q=turntable')).body.data.products[0].id).toBe(res.body.data.id);
  });

  test('update', async () => {
    const id = catalogue.products.pixel.id;
    await warm([`/products/${id}`, '/products?sortBy=price', '/products/category/smartphones']);
    expect(
      (await adminWrite('put', `/products/${id}`).send({ price: 649.5, title: 'Google Pixel 8a' })).status,
    ).toBe(200);
    const detail = await get(`/products/${id}`);
    expect(detail.headers['x-cache']).toBe('MISS');
    expect(detail.body.data).toMatchObject({ price: 649.5, title: 'Google Pixel 8a' });
    const listed = (await get('/products?sortBy=price')).body.data.products.find(
      (p: { id: number }) => p.id === id,
    );
    expect(listed).toMatchObject({ price: 649.5, title: 'Google Pixel 8a' });
    expect(
      (await get('/products/category/smartphones')).body.data.products.map((p: { title: string }) => p.title),
    ).toContain('Google Pixel 8a');
  });

  test('delete', async () => {
    const id = catalogue.products.ultraboost.id;
    await warm([`/products/${id}`, '/products?category=shoes', '/products/brands']);
    expect((await adminWrite('delete', `/products/${id}`)).status).toBe(200);
    expect((await get(`/products/${id}`)).status).toBe(404);
    expect(
      (await get('/products?category=shoes')).body.data.products.map((p: { id: number }) => p.id),
    ).not.toContain(id);
    expect((await get('/products/brands')).body.data.map((b: { name: string }) => b.name)).not.toContain(
      'Adidas',
    );
  });

  test('stock', async () => {
    const id = catalogue.products.galaxy.id;
    await warm([`/products/${id}`, '/products?inStock=true&limit=100']);
    expect((await adminWrite('patch', `/products/${id}/stock`).send({ delta: 7 })).status).toBe(200);
    expect((await get(`/products/${id}`)).body.data.stock).toBe(7);
    expect(
      (await get('/products?inStock=true&limit=100')).body.data.products.map((p: { id: number }) => p.id),
    ).toContain(id);
  });

  test('category change (rename, re-slug, move)', async () => {
    const id = catalogue.products.pegasus.id;
    await warm([
      `/products/${id}`,
      '/categories',
      '/categories/shoes',
      '/products/categories',
      '/products?category=fashion',
    ]);
    const res = await adminWrite('put', '/categories/shoes').send({
      slug: 'footwear',
      name: 'Footwear',
      parentSlug: null,
    });
    expect(res.status).toBe(200);
    expect((await get(`/products/${id}`)).body.data.category).toBe('footwear');
    expect((await get('/categories')).body.data.map((node: { slug: string }) => node.slug)).toContain(
      'footwear',
    );
    expect((await get('/categories/shoes')).status).toBe(404);
    expect((await get('/products/categories')).body.data).toContainEqual({
      slug: 'footwear',
      name: 'Footwear',
      parentSlug: null,
      productCount: 1,
    });
    expect((await get('/products?category=fashion')).body.data.total).toBe(0);
  });

  test('under concurrent readers, every read that starts after a write returns sees it', async () => {
    const id = catalogue.products.xps.id;
    const path = `/products/${id}`;
    let stop = false;
    const readers = Array.from({ length: 4 }, async () => {
      while (!stop) await get(path);
    });
    try {
      for (let i = 1; i <= 15; i++) {
        const price = 1000 + i;
        expect((await adminWrite('put', `/products/${id}`).send({ price })).status).toBe(200);
        expect((await get(path)).body.data.price).toBe(price);
      }
    } finally {
      stop = true;
      await Promise.all(readers);
    }
  });
});

describe('single flight', () => {
  test('20 concurrent misses of one key run the list query once', async () => {
    await ctx.container.cache.invalidate('products');
    const path = '/products?brand=Apple&limit=7&sortBy=rating';
    const { result, statements } = await countQueries(() =>
      Promise.all(Array.from({ length: 20 }, () => get(path))),
    );
    expect(result.every((res) => res.status === 200)).toBe(true);
    expect(new Set(result.map((res) => JSON.stringify(res.body.data))).size).toBe(1);
    const reads = productStatements(statements);
    expect(reads.filter((sql) => /count\(\*\)/i.test(sql))).toHaveLength(1);
    expect(reads.filter((sql) => /ORDER BY/i.test(sql))).toHaveLength(1);
  });

  test('a load that began before an invalidation is not shared with a request after it', async () => {
    const { cache } = ctx.container;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let loads = 0;
    const early = cache.getOrLoad('products', 'single-flight-probe', async () => {
      loads++;
      await gate;
      return { value: 'old' };
    });
    const joined = cache.getOrLoad('products', 'single-flight-probe', async () => {
      loads++;
      return { value: 'never' };
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await cache.invalidate('products');
    const late = cache.getOrLoad('products', 'single-flight-probe', async () => {
      loads++;
      return { value: 'new' };
    });
    expect(JSON.parse((await late).json)).toEqual({ value: 'new' });
    release();
    expect(JSON.parse((await early).json)).toEqual({ value: 'old' });
    expect(JSON.parse((await joined).json)).toEqual({ value: 'old' });
    expect(loads).toBe(2);
    // The old load stored its value under the old version: the next read gets the new one.
    const after = await cache.getOrLoad('products', 'single-flight-probe', async () => ({
      value: 'unexpected',
    }));
    expect(after.hit).toBe(true);
    expect(after.json).toBe(JSON.stringify({ value: 'new' }));
  });
});

describe('Redis failures degrade to a miss', () => {
  test('Redis unreachable from the start: every catalogue read is still a 200 (MISS)', async () => {
    expect(down.container.redis.status).not.toBe('ready');
    for (const path of [...CACHED_READS, `/products/${catalogue.products.iphone.id}`]) {
      const res = await get(path, down);
      expect([path, res.status, res.headers['x-cache']]).toEqual([path, 200, 'MISS']);
    }
    const again = await get('/products', down);
    expect(again.status).toBe(200);
    expect(again.headers['x-cache']).toBe('MISS');
  });

  test('Redis stopped while serving: HIT before, 200 MISS while down', async () => {
    const path = `/products/${catalogue.products.macbook.id}`;
    await get(path, own);
    expect((await get(path, own)).headers['x-cache']).toBe('HIT');
    await ownRedis!.stop();
    ownRedis = undefined;
    // The in-process tier stops serving once its connection reports the loss (a push could be missed from then on).
    await waitFor(() => !own.container.cache.localTierActive);
    for (const p of [path, '/products', '/products/search?q=apple', '/categories']) {
      const res = await get(p, own);
      expect([p, res.status, res.headers['x-cache']]).toEqual([p, 200, 'MISS']);
    }
  });

  test('a write whose invalidation fails (Redis partitioned away) is still never read stale afterwards', async () => {
    const id = catalogue.products.iphone.id;
    const path = `/products/${id}`;
    const before = (await get(path, partitioned)).body.data.price;
    expect((await get(path, partitioned)).headers['x-cache']).toBe('HIT');

    proxy.cut();
    await waitFor(() => partitioned.container.redis.status !== 'ready');
    const write = await adminWrite('put', `/products/${id}`, partitioned).send({ price: before + 1 });
    expect(write.status).toBe(200);

    await proxy.restore();
    await waitFor(() => partitioned.container.redis.status === 'ready');
    // The old entry is still in Redis under the old version; it must not be served.
    const res = await get(path, partitioned);
    expect(res.status).toBe(200);
    expect(res.body.data.price).toBe(before + 1);
    expect((await get(path, partitioned)).body.data.price).toBe(before + 1);
  });
});

/** A TCP proxy to Redis that can be cut (a network partition: Redis keeps its data) and restored. */
class TcpProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    readonly port: number,
    private readonly target: number,
  ) {}

  static async start(target: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(await findFreePort(), target);
    await proxy.restore();
    return proxy;
  }

  async restore(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  cut(): void {
    this.server?.close();
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.cut();
  }
}
