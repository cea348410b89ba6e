import request from 'supertest';
import { API, expectError, register } from '../helpers/auth';
import { PRODUCT_KEYS, seedCatalogue, VISIBLE_PRODUCTS, type Catalogue } from '../helpers/catalogue';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;
let catalogue: Catalogue;

beforeAll(async () => {
  ctx = await createTestContext();
  catalogue = await seedCatalogue(ctx);
});
afterAll(async () => {
  await ctx?.close();
});

const get = (path: string) => request(ctx.app).get(`${API}${path}`);

interface ProductJson {
  id: number;
  title: string;
  price: number;
  rating: number;
  stock: number;
  brand: string | null;
  category: string;
  createdAt: string;
  [key: string]: unknown;
}

async function list(path: string) {
  const res = await get(path);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as {
    products: ProductJson[];
    total: number;
    skip: number;
    limit: number;
    nextCursor: string | null;
  };
}

const titles = (products: ProductJson[]) => products.map((product) => product.title);
const fixture = (key: string) => VISIBLE_PRODUCTS.find((product) => product.key === key)!;

describe('GET /products', () => {
  test('DummyJSON list shape, contract fields, visible products only, createdAt asc by default', async () => {
    const res = await get('/products');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 200, meta: { requestId: expect.any(String) } });
    const data = res.body.data;
    expect(Object.keys(data).sort()).toEqual(['limit', 'nextCursor', 'products', 'skip', 'total']);
    expect(data).toMatchObject({ total: 8, skip: 0, limit: 30, nextCursor: null });
    expect(titles(data.products)).toEqual(VISIBLE_PRODUCTS.map((product) => product.title));

    const iphone = data.products[0];
    expect(Object.keys(iphone).sort()).toEqual(PRODUCT_KEYS);
    expect(iphone).toMatchObject({
      id: catalogue.products.iphone.id,
      title: 'Apple iPhone 15 Pro',
      price: 999,
      discountPercentage: 0,
      rating: 4.8,
      stock: 25,
      brand: 'Apple',
      category: 'smartphones',
      thumbnail: 'https://cdn.example.test/iphone.jpg',
      images: ['https://cdn.example.test/iphone-1.jpg', 'https://cdn.example.test/iphone-2.jpg'],
      sku: 'SKU-IPHONE',
      slug: 'iphone',
      isActive: true,
      reviewCount: 0,
      currency: 'USD',
      createdAt: '2025-01-01T12:00:00.000Z',
    });
    expect(data.products.find((p: ProductJson) => p.slug === 'xps').price).toBe(1199.5);
    expect(data.products.find((p: ProductJson) => p.slug === 'galaxy').price).toBe(799.99);
    expect(JSON.stringify(data)).not.toMatch(/Hidden Prototype|Discontinued/);
  });

  test('skip and limit page through the list', async () => {
    const first = await list('/products?limit=3');
    expect(first).toMatchObject({ total: 8, skip: 0, limit: 3 });
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await list('/products?skip=3&limit=3');
    const third = await list('/products?skip=6&limit=3');
    expect(third.nextCursor).toBeNull();
    expect([...titles(first.products), ...titles(second.products), ...titles(third.products)]).toEqual(
      VISIBLE_PRODUCTS.map((product) => product.title),
    );
    expect((await list('/products?skip=100')).products).toEqual([]);
    expect((await list('/products?limit=100')).products).toHaveLength(8);
  });

  test.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=2.5', 'limit'],
    ['skip=-1', 'skip'],
    ['skip=1.5', 'skip'],
    ['sortBy=popularity', 'sortBy'],
    ['order=up', 'order'],
    ['minPrice=abc', 'minPrice'],
    ['minPrice=-5', 'minPrice'],
    ['minPrice=1.999', 'minPrice'],
    ['maxPrice=10&minPrice=20', 'maxPrice'],
    ['minRating=6', 'minRating'],
    ['inStock=maybe', 'inStock'],
    ['cursor=not-a-cursor', 'cursor'],
  ])('?%s → 400 VALIDATION_ERROR on %s', async (query, field) => {
    const body = expectError(await get(`/products?${query}`), 400, 'VALIDATION_ERROR');
    expect(body.details).toHaveProperty(field);
  });

  test('empty optional parameters are ignored', async () => {
    expect((await list('/products?category=&brand=&minPrice=&q=&sortBy=')).total).toBe(8);
  });

  describe('sorting', () => {
    const visible = () =>
      VISIBLE_PRODUCTS.map((product, index) => ({
        title: product.title,
        price: Number(product.price),
        rating: Number(product.rating),
        stock: product.stock,
        id: catalogue.products[product.key].id,
        index,
      }));
    type Row = ReturnType<typeof visible>[number];
    const by =
      (field: 'price' | 'rating' | 'stock' | 'title' | 'index', order: 'asc' | 'desc') =>
      (a: Row, b: Row) => {
        const [x, y] = order === 'asc' ? [a, b] : [b, a];
        if (x[field] < y[field]) return -1;
        if (x[field] > y[field]) return 1;
        return x.id - y.id;
      };

    test.each([
      ['price', 'asc'],
      ['price', 'desc'],
      ['rating', 'desc'],
      ['rating', 'asc'],
      ['stock', 'desc'],
      ['stock', 'asc'],
      ['title', 'asc'],
      ['title', 'desc'],
      ['createdAt', 'desc'],
    ] as const)('sortBy=%s order=%s (ties broken by id)', async (sortBy, order) => {
      const data = await list(`/products?sortBy=${sortBy}&order=${order}`);
      const field = sortBy === 'createdAt' ? 'index' : sortBy;
      expect(titles(data.products)).toEqual(
        visible()
          .sort(by(field, order))
          .map((row) => row.title),
      );
    });

    test('order defaults to asc', async () => {
      const data = await list('/products?sortBy=price');
      expect(data.products.map((product) => product.price)).toEqual(
        [...data.products.map((product) => product.price)].sort((a, b) => a - b),
      );
    });
  });

  describe('filters', () => {
    test('category includes its sub-categories; an unknown one is an empty list', async () => {
      const electronics = await list('/products?category=electronics');
      expect(electronics.total).toBe(6);
      expect(new Set(electronics.products.map((product) => product.category))).toEqual(
        new Set(['smartphones', 'laptops', 'electronics']),
      );
      expect(titles((await list('/products?category=laptops')).products)).toEqual([
        'Apple MacBook Air 13',
        'Dell XPS 13',
      ]);
      expect(await list('/products?category=SmartPhones')).toMatchObject({ total: 3 });
      expect(await list('/products?category=nope')).toMatchObject({
        total: 0,
        products: [],
        nextCursor: null,
      });
    });

    test('brand (exact)', async () => {
      expect(titles((await list('/products?brand=Apple')).products)).toEqual([
        'Apple iPhone 15 Pro',
        'Apple MacBook Air 13',
      ]);
      expect((await list('/products?brand=Nobody')).total).toBe(0);
    });

    test('minPrice/maxPrice are inclusive', async () => {
      const data = await list('/products?minPrice=699&maxPrice=999');
      expect(titles(data.products).sort()).toEqual(
        ['Apple iPhone 15 Pro', 'Google Pixel 8', 'Samsung Galaxy S24'].sort(),
      );
      expect((await list('/products?minPrice=1199.50')).products.map((p) => p.title)).toEqual([
        'Dell XPS 13',
      ]);
      expect((await list('/products?maxPrice=29.99')).products.map((p) => p.title)).toEqual([
        'Leather Phone Case for iPhone',
      ]);
    });

    test('minRating', async () => {
      const data = await list('/products?minRating=4.6');
      expect(titles(data.products).sort()).toEqual(
        ['Apple iPhone 15 Pro', 'Apple MacBook Air 13', 'Nike Air Zoom Pegasus'].sort(),
      );
    });

    test('inStock=true excludes sold-out products; inStock=false keeps only them', async () => {
      const inStock = await list('/products?inStock=true');
      expect(inStock.total).toBe(6);
      expect(inStock.products.every((product) => product.stock > 0)).toBe(true);
      expect(titles((await list('/products?inStock=false')).products)).toEqual([
        'Samsung Galaxy S24',
        'Adidas Ultraboost Light',
      ]);
    });

    test('filters combine', async () => {
      const data = await list(
        '/products?category=electronics&inStock=true&minPrice=100&sortBy=price&order=desc',
      );
      expect(titles(data.products)).toEqual([
        'Dell XPS 13',
        'Apple MacBook Air 13',
        'Apple iPhone 15 Pro',
        'Google Pixel 8',
      ]);
      expect(data.total).toBe(4);
    });
  });

  describe('keyset cursor', () => {
    async function walk(query: string, limit: number) {
      const seen: ProductJson[] = [];
      let data = await list(`/products?${query}&limit=${limit}`);
      seen.push(...data.products);
      let pages = 1;
      while (data.nextCursor) {
        data = await list(`/products?${query}&limit=${limit}&cursor=${encodeURIComponent(data.nextCursor)}`);
        expect(data.skip).toBe(0);
        expect(data.total).toBeGreaterThan(0);
        seen.push(...data.products);
        if (++pages > 20) throw new Error('cursor paging does not end');
      }
      return seen;
    }

    test.each([
      ['sortBy=price&order=desc', 3],
      ['sortBy=stock&order=asc', 2],
      ['sortBy=title', 1],
      ['sortBy=rating&order=desc', 5],
      ['sortBy=createdAt&order=desc', 2],
      ['category=electronics&sortBy=price', 4],
    ])('%s, limit %i: every product once, in the same order as one big page', async (query, limit) => {
      const all = await list(`/products?${query}&limit=100`);
      const walked = await walk(query, limit);
      expect(walked.map((product) => product.id)).toEqual(all.products.map((product) => product.id));
      expect(new Set(walked.map((product) => product.id)).size).toBe(walked.length);
    });

    test('with a cursor, skip is ignored', async () => {
      const first = await list('/products?limit=2');
      const withSkip = await list(`/products?limit=2&skip=5&cursor=${first.nextCursor}`);
      const withoutSkip = await list(`/products?limit=2&cursor=${first.nextCursor}`);
      expect(withSkip.products).toEqual(withoutSkip.products);
      expect(titles(withoutSkip.products)).toEqual(['Google Pixel 8', 'Apple MacBook Air 13']);
    });

    test('rows inserted before the cursor position neither repeat nor shift the next page', async () => {
      const first = await list('/products?sortBy=price&limit=4');
      const cheap = await ctx.container.prisma.product.create({
        data: {
          title: 'Cheap Cable',
          description: 'USB-C',
          price: '1.00',
          stock: 1,
          categoryId: catalogue.categories.electronics.id,
          sku: 'SKU-CABLE',
          slug: 'cable',
        },
      });
      await ctx.container.cache.invalidate('products');
      try {
        const expected = (await list('/products?sortBy=price&limit=100')).products.slice(5, 9);
        const next = await list(`/products?sortBy=price&limit=4&cursor=${first.nextCursor}`);
        expect(next.products.map((product) => product.id)).toEqual(expected.map((product) => product.id));
        expect(next.products.map((product) => product.id)).not.toContain(cheap.id);
      } finally {
        await ctx.container.prisma.product.delete({ where: { id: cheap.id } });
        await ctx.container.cache.invalidate('products', 'categories');
      }
    });

    test('a cursor from another sort order is rejected', async () => {
      const first = await list('/products?sortBy=price&limit=2');
      const body = expectError(
        await get(`/products?sortBy=title&limit=2&cursor=${first.nextCursor}`),
        400,
        'VALIDATION_ERROR',
      );
      expect(body.details).toHaveProperty('cursor');
      expectError(
        await get(`/products?sortBy=price&order=desc&cursor=${first.nextCursor}`),
        400,
        'VALIDATION_ERROR',
      );
    });

    test('a tampered cursor is a 400, not a 500', async () => {
      const forged = Buffer.from(
        JSON.stringify({ s: 'price', o: 'asc', v: "1'; DROP TABLE products;--", i: 1 }),
      ).toString('base64url');
      expectError(await get(`/products?sortBy=price&cursor=${forged}`), 400, 'VALIDATION_ERROR');
      const wrongType = Buffer.from(
        JSON.stringify({ s: 'createdAt', o: 'asc', v: 'yesterday', i: 1 }),
      ).toString('base64url');
      expectError(await get(`/products?cursor=${wrongType}`), 400, 'VALIDATION_ERROR');
    });
  });
});

describe('GET /products/:id', () => {
  test('the product with its 10 newest reviews', async () => {
    const id = catalogue.products.pixel.id;
    const users = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        register(ctx.app, { firstName: `Reviewer${i}`, lastName: 'Test' }),
      ),
    );
    for (const [i, user] of users.entries()) {
      await ctx.container.prisma.review.create({
        data: {
          productId: id,
          userId: user.id,
          rating: (i % 5) + 1,
          comment: `Review number ${i}`,
          createdAt: new Date(Date.UTC(2025, 1, 1) + i * 3_600_000),
        },
      });
    }
    await ctx.container.cache.invalidate('products');

    const res = await get(`/products/${id}`);
    expect(res.status).toBe(200);
    const product = res.body.data;
    expect(Object.keys(product).sort()).toEqual([...PRODUCT_KEYS, 'reviews'].sort());
    expect(product).toMatchObject({ id, title: 'Google Pixel 8', price: 699, category: 'smartphones' });
    expect(product.reviews).toHaveLength(10);
    expect(product.reviews.map((review: { comment: string }) => review.comment)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Review number ${11 - i}`),
    );
    expect(product.reviews[0]).toMatchObject({
      productId: id,
      userId: users[11].id,
      rating: 2,
      reviewerName: 'Reviewer11 Test',
      isVerifiedPurchase: false,
      date: '2025-02-01T11:00:00.000Z',
    });
    expect(JSON.stringify(product.reviews)).not.toMatch(/@example\.test/);
  });

  test('a product without reviews has an empty reviews array', async () => {
    const res = await get(`/products/${catalogue.products.case.id}`);
    expect(res.status).toBe(200);
    expect(res.body.data.reviews).toEqual([]);
  });

  test('inactive, soft-deleted and unknown products are 404 PRODUCT_NOT_FOUND', async () => {
    expectError(await get(`/products/${catalogue.inactiveId}`), 404, 'PRODUCT_NOT_FOUND');
    expectError(await get(`/products/${catalogue.deletedId}`), 404, 'PRODUCT_NOT_FOUND');
    expectError(await get('/products/2147483647'), 404, 'PRODUCT_NOT_FOUND');
  });

  test.each(['12abc', `${'1'}.5`, '1e3', '0', '-1', '0x10', '99999999999', '%201'])(
    '/products/%s is a 400, never another product',
    async (id) => {
      const res = await get(`/products/${id}`);
      expectError(res, 400, 'VALIDATION_ERROR');
      expect(res.body.details).toHaveProperty('id');
    },
  );

  test('/products/<id>abc does not resolve to product <id>', async () => {
    const res = await get(`/products/${catalogue.products.iphone.id}abc`);
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
  });
});

describe('GET /products/categories, /products/brands, /products/category/:slug', () => {
  test('categories with parent slugs and product counts including sub-categories', async () => {
    const res = await get('/products/categories');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      { slug: 'electronics', name: 'Electronics', parentSlug: null, productCount: 6 },
      { slug: 'smartphones', name: 'Smartphones', parentSlug: 'electronics', productCount: 3 },
      { slug: 'laptops', name: 'Laptops', parentSlug: 'electronics', productCount: 2 },
      { slug: 'fashion', name: 'Fashion', parentSlug: null, productCount: 2 },
      { slug: 'shoes', name: 'Shoes', parentSlug: 'fashion', productCount: 2 },
    ]);
  });

  test('brands with counts of visible products, by name', async () => {
    const res = await get('/products/brands');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      { name: 'Acme', productCount: 1 },
      { name: 'Adidas', productCount: 1 },
      { name: 'Apple', productCount: 2 },
      { name: 'Dell', productCount: 1 },
      { name: 'Google', productCount: 1 },
      { name: 'Nike', productCount: 1 },
      { name: 'Samsung', productCount: 1 },
    ]);
  });

  test('products of a category and its sub-categories, with the list query parameters', async () => {
    const data = (await get('/products/category/electronics?sortBy=price&order=desc&limit=2')).body.data;
    expect(data).toMatchObject({ total: 6, skip: 0, limit: 2 });
    expect(titles(data.products)).toEqual(['Dell XPS 13', 'Apple MacBook Air 13']);
    const next = (
      await get(`/products/category/electronics?sortBy=price&order=desc&limit=2&cursor=${data.nextCursor}`)
    ).body.data;
    expect(titles(next.products)).toEqual(['Apple iPhone 15 Pro', 'Samsung Galaxy S24']);
    const shoes = (await get('/products/category/shoes?inStock=true')).body.data;
    expect(titles(shoes.products)).toEqual(['Nike Air Zoom Pegasus']);
    expect(fixture('pegasus').category).toBe('shoes');
  });

  test('an unknown category is 404 CATEGORY_NOT_FOUND', async () => {
    expectError(await get('/products/category/nope'), 404, 'CATEGORY_NOT_FOUND');
    expectError(await get('/products/category/nope?limit=5'), 404, 'CATEGORY_NOT_FOUND');
  });

  test('list validation applies there too', async () => {
    expectError(await get('/products/category/electronics?limit=500'), 400, 'VALIDATION_ERROR');
  });
});
