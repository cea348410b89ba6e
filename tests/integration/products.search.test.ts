import request from 'supertest';
import { API, expectError } from '../helpers/auth';
import { seedCatalogue, type Catalogue } from '../helpers/catalogue';
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

interface SearchData {
  products: Array<{ id: number; title: string; category: string; stock: number }>;
  total: number;
  skip: number;
  limit: number;
  nextCursor: string | null;
}

async function search(query: string, path = '/products/search'): Promise<SearchData> {
  const res = await request(ctx.app).get(`${API}${path}?${query}`);
  if (res.status !== 200) throw new Error(`${query}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}
const titles = (data: SearchData) => data.products.map((product) => product.title);

describe('GET /products/search', () => {
  test('list shape; ranked by relevance, the best title match first', async () => {
    const data = await search('q=iphone%20pro');
    expect(Object.keys(data).sort()).toEqual(['limit', 'nextCursor', 'products', 'skip', 'total']);
    expect(titles(data)[0]).toBe('Apple iPhone 15 Pro');
    expect(data.total).toBe(data.products.length);
  });

  test.each([
    ['iphnoe', 'Apple iPhone 15 Pro'],
    ['samsnug', 'Samsung Galaxy S24'],
    ['macbok air', 'Apple MacBook Air 13'],
    ['pegasis', 'Nike Air Zoom Pegasus'],
    ['ultrabost', 'Adidas Ultraboost Light'],
  ])('tolerates a typo: "%s" finds %s', async (q, title) => {
    const data = await search(`q=${encodeURIComponent(q)}`);
    expect(titles(data)).toContain(title);
    expect(titles(data)[0]).toBe(title);
  });

  test('matches brand, category name (and its parent) and description words', async () => {
    expect(titles(await search('q=samsung'))).toEqual(['Samsung Galaxy S24']);
    expect(titles(await search('q=laptops')).sort()).toEqual(['Apple MacBook Air 13', 'Dell XPS 13']);
    expect(titles(await search('q=notebook'))).toEqual(['Apple MacBook Air 13']);
    expect(titles(await search('q=cushioning'))).toEqual(['Nike Air Zoom Pegasus']);
    // Stemming: "runs"/"running" in descriptions match "run".
    expect(titles(await search('q=running')).sort()).toEqual([
      'Adidas Ultraboost Light',
      'Nike Air Zoom Pegasus',
    ]);
    // Parent category names are part of the document too.
    expect(titles(await search('q=fashion')).sort()).toEqual([
      'Adidas Ultraboost Light',
      'Nike Air Zoom Pegasus',
    ]);
  });

  test('the last word matches as a prefix while typing', async () => {
    expect(titles(await search('q=pix'))).toEqual(['Google Pixel 8']);
    expect(titles(await search('q=google%20pix'))).toEqual(['Google Pixel 8']);
  });

  test('a word inside a title matches (trigram substring): "phone" finds the iPhone', async () => {
    const found = titles(await search('q=phone'));
    expect(found).toEqual(expect.arrayContaining(['Apple iPhone 15 Pro', 'Leather Phone Case for iPhone']));
    expect(found).not.toContain('Dell XPS 13');
  });

  test('all words must match', async () => {
    expect(titles(await search('q=apple%20notebook'))).toEqual(['Apple MacBook Air 13']);
    expect((await search('q=apple%20sneakers')).total).toBe(0);
  });

  test('combines with the listing filters', async () => {
    expect(titles(await search('q=apple&category=laptops'))).toEqual(['Apple MacBook Air 13']);
    expect(titles(await search('q=apple&category=electronics&maxPrice=1000'))).toEqual([
      'Apple iPhone 15 Pro',
    ]);
    const inStock = await search('q=android&inStock=true');
    expect(titles(inStock)).toEqual(['Google Pixel 8']);
    expect(titles(await search('q=android&brand=Samsung'))).toEqual(['Samsung Galaxy S24']);
    expect(titles(await search('q=android&minRating=4.3'))).toEqual(['Samsung Galaxy S24']);
  });

  test('an explicit sortBy replaces relevance', async () => {
    const data = await search('q=apple&sortBy=price&order=desc');
    expect(titles(data)).toEqual(['Apple MacBook Air 13', 'Apple iPhone 15 Pro']);
  });

  test('inactive and deleted products are never found', async () => {
    expect((await search('q=prototype')).total).toBe(0);
    expect((await search('q=discontinued')).total).toBe(0);
  });

  test('no match, or no searchable word at all, is an empty list', async () => {
    expect(await search('q=zzzzqqqq')).toMatchObject({ total: 0, products: [], nextCursor: null });
    expect(await search('q=%21%21%21')).toMatchObject({ total: 0, products: [], nextCursor: null });
    expect(await search(`q=${encodeURIComponent("a & b | !c:* ' \\")}`)).toMatchObject({ products: [] });
  });

  test('relevance pages with a cursor: every result once', async () => {
    const all = await search('q=iphone&limit=100');
    expect(all.total).toBe(2);
    const seen: number[] = [];
    let page = await search('q=iphone&limit=1');
    seen.push(...page.products.map((product) => product.id));
    while (page.nextCursor) {
      page = await search(`q=iphone&limit=1&cursor=${page.nextCursor}`);
      seen.push(...page.products.map((product) => product.id));
    }
    expect(seen).toEqual(all.products.map((product) => product.id));
  });

  test('q is required, and bounded', async () => {
    expect(
      expectError(await request(ctx.app).get(`${API}/products/search`), 400, 'VALIDATION_ERROR').details,
    ).toHaveProperty('q');
    expectError(await request(ctx.app).get(`${API}/products/search?q=%20%20`), 400, 'VALIDATION_ERROR');
    expectError(
      await request(ctx.app).get(`${API}/products/search?q=${'x'.repeat(201)}`),
      400,
      'VALIDATION_ERROR',
    );
    expectError(await request(ctx.app).get(`${API}/products/search?q=x&limit=101`), 400, 'VALIDATION_ERROR');
  });

  test('GET /products?q= is the same search', async () => {
    const viaList = await search('q=iphnoe', '/products');
    const viaSearch = await search('q=iphnoe');
    expect(viaList).toEqual(viaSearch);
    expect(viaList.products[0].id).toBe(catalogue.products.iphone.id);
  });
});
