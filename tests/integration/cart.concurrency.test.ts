import { register } from '../helpers/auth';
import { addToCart, setCartItem, storedCart } from '../helpers/cart';
import { createProduct } from '../helpers/catalogue-fixtures';
import { createTestContext, type TestContext } from '../helpers/test-app';

jest.setTimeout(60_000);

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

/** Every add either counted fully or was refused: the stored line is exactly the sum of the accepted adds. */
describe('parallel adds to one cart line', () => {
  test('never exceed stock; no update is lost (40 parallel adds of 3, stock 50)', async () => {
    const user = await register(ctx.app);
    const product = await createProduct(ctx, { stock: 50 });
    const responses = await Promise.all(
      Array.from({ length: 40 }, () => addToCart(ctx.app, { user }, product.id, 3)),
    );
    const accepted = responses.filter((res) => res.status === 200).length;
    for (const res of responses) {
      expect([200, 409]).toContain(res.status);
      if (res.status === 409) expect(res.body.code).toBe('INSUFFICIENT_STOCK');
    }
    expect(accepted).toBe(16);
    expect((await storedCart(ctx, { userId: user.id })).lines).toEqual({ [product.id]: 48 });
  });

  test('never exceed 99 units (60 parallel adds of 2, plenty of stock)', async () => {
    const user = await register(ctx.app);
    const product = await createProduct(ctx, { stock: 10_000 });
    const responses = await Promise.all(
      Array.from({ length: 60 }, () => addToCart(ctx.app, { user }, product.id, 2)),
    );
    for (const res of responses) {
      expect([200, 409]).toContain(res.status);
      if (res.status === 409) expect(res.body.code).toBe('CART_QUANTITY_LIMIT');
    }
    expect(responses.filter((res) => res.status === 200)).toHaveLength(49);
    expect((await storedCart(ctx, { userId: user.id })).lines).toEqual({ [product.id]: 98 });
  });

  test('a guest session: 30 parallel adds of 1 all land (no lost update)', async () => {
    const product = await createProduct(ctx, { stock: 100 });
    const first = await addToCart(ctx.app, {}, product.id, 1);
    const sessionId = first.body.data.sessionId as string;
    const responses = await Promise.all(
      Array.from({ length: 30 }, () => addToCart(ctx.app, { sessionId }, product.id, 1)),
    );
    for (const res of responses) {
      expect(res.status).toBe(200);
      expect(res.body.data.sessionId).toBe(sessionId);
    }
    expect((await storedCart(ctx, { sessionId })).lines).toEqual({ [product.id]: 31 });
  });

  test('parallel adds of different products never pass 50 lines', async () => {
    const user = await register(ctx.app);
    const products = [];
    for (let i = 0; i < 60; i += 1) products.push(await createProduct(ctx));
    const responses = await Promise.all(products.map((p) => addToCart(ctx.app, { user }, p.id, 1)));
    expect(responses.filter((res) => res.status === 200)).toHaveLength(50);
    for (const res of responses.filter((r) => r.status !== 200)) {
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CART_LINE_LIMIT');
    }
    expect(Object.keys((await storedCart(ctx, { userId: user.id })).lines)).toHaveLength(50);
  });

  test('parallel removals (quantity 0) and adds leave a consistent line', async () => {
    const user = await register(ctx.app);
    const product = await createProduct(ctx, { stock: 1000 });
    await addToCart(ctx.app, { user }, product.id, 1);
    const responses = await Promise.all([
      ...Array.from({ length: 10 }, () => addToCart(ctx.app, { user }, product.id, 1)),
      setCartItem(ctx.app, { user }, product.id, 0),
    ]);
    for (const res of responses) expect(res.status).toBe(200);
    const stored = (await storedCart(ctx, { userId: user.id })).lines[product.id] ?? 0;
    // Serialised: k adds saw the first line (quantities 2..k+1), the removal, then the rest started a new line
    // (1..stored). Any lost or doubled update breaks this shape.
    const before = 10 - stored;
    const expected = [
      ...Array.from({ length: before }, (_, i) => i + 2),
      ...Array.from({ length: stored }, (_, i) => i + 1),
    ].sort((a, b) => a - b);
    const seen = responses
      .slice(0, 10)
      .map((res) => res.body.data.items[0].quantity as number)
      .sort((a, b) => a - b);
    expect(seen).toEqual(expected);
  });
});
