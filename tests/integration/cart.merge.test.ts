import { expectError, register, type TestUser } from '../helpers/auth';
import { addToCart, getCart, mergeCart, storedCart } from '../helpers/cart';
import { createProduct } from '../helpers/catalogue-fixtures';
import { createTestContext, type TestContext } from '../helpers/test-app';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

/** A guest session holding the given (productId → quantity) lines. */
async function guestCart(lines: Array<[number, number]>): Promise<string> {
  let sessionId: string | undefined;
  for (const [productId, quantity] of lines) {
    const res = await addToCart(ctx.app, { sessionId }, productId, quantity);
    expect(res.status).toBe(200);
    sessionId = res.body.data.sessionId;
  }
  return sessionId!;
}

async function userCart(user: TestUser, lines: Array<[number, number]>): Promise<void> {
  for (const [productId, quantity] of lines) {
    expect((await addToCart(ctx.app, { user }, productId, quantity)).status).toBe(200);
  }
}

describe('POST /cart/merge', () => {
  test("adds the guest lines to the user's, caps at stock, and deletes the guest cart", async () => {
    const user = await register(ctx.app);
    const shared = await createProduct(ctx, { stock: 10 });
    const guestOnly = await createProduct(ctx, { stock: 10 });
    const capped = await createProduct(ctx, { stock: 4 });
    const userOnly = await createProduct(ctx, { stock: 10 });
    await userCart(user, [
      [shared.id, 3],
      [userOnly.id, 1],
      [capped.id, 3],
    ]);
    const sessionId = await guestCart([
      [shared.id, 2],
      [guestOnly.id, 5],
      [capped.id, 3],
    ]);

    const res = await mergeCart(ctx.app, { user, sessionId });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: `user:${user.id}`, sessionId: null });
    expect((await storedCart(ctx, { userId: user.id })).lines).toEqual({
      [shared.id]: 5,
      [guestOnly.id]: 5,
      [capped.id]: 4,
      [userOnly.id]: 1,
    });
    const guest = await storedCart(ctx, { sessionId });
    expect(await ctx.container.redis.exists(guest.key)).toBe(0);
    expect((await getCart(ctx.app, { sessionId })).body.data.items).toEqual([]);
  });

  test('never lowers a line the user already had above stock, caps at 99, and drops lines no longer sold', async () => {
    const user = await register(ctx.app);
    const plenty = await createProduct(ctx, { stock: 500 });
    const shrunk = await createProduct(ctx, { stock: 10 });
    const gone = await createProduct(ctx, { stock: 10 });
    await userCart(user, [
      [plenty.id, 90],
      [shrunk.id, 8],
    ]);
    const sessionId = await guestCart([
      [plenty.id, 20],
      [shrunk.id, 2],
      [gone.id, 1],
    ]);
    await ctx.container.prisma.product.update({ where: { id: shrunk.id }, data: { stock: 5 } });
    await ctx.container.prisma.product.update({ where: { id: gone.id }, data: { isActive: false } });

    expect((await mergeCart(ctx.app, { user, sessionId })).status).toBe(200);
    expect((await storedCart(ctx, { userId: user.id })).lines).toEqual({ [plenty.id]: 99, [shrunk.id]: 8 });
  });

  test('new lines beyond 50 are dropped', async () => {
    const user = await register(ctx.app);
    const products = [];
    for (let i = 0; i < 52; i += 1) products.push(await createProduct(ctx));
    await userCart(
      user,
      products.slice(0, 49).map((p) => [p.id, 1]),
    );
    const sessionId = await guestCart(products.slice(49).map((p) => [p.id, 1]));
    expect((await mergeCart(ctx.app, { user, sessionId })).status).toBe(200);
    expect(Object.keys((await storedCart(ctx, { userId: user.id })).lines)).toHaveLength(50);
  });

  test('a repeated merge, or an unknown session, adds nothing', async () => {
    const user = await register(ctx.app);
    const product = await createProduct(ctx);
    const sessionId = await guestCart([[product.id, 2]]);
    expect((await mergeCart(ctx.app, { user, sessionId })).status).toBe(200);
    const again = await mergeCart(ctx.app, { user, sessionId });
    expect(again.status).toBe(200);
    expect(again.body.data.items).toEqual([expect.objectContaining({ productId: product.id, quantity: 2 })]);
    expect((await mergeCart(ctx.app, { user, sessionId: 'Z'.repeat(43) })).status).toBe(200);
    expect((await storedCart(ctx, { userId: user.id })).lines).toEqual({ [product.id]: 2 });
  });

  test('the session may come from the sessionId cookie', async () => {
    const user = await register(ctx.app);
    const product = await createProduct(ctx);
    const sessionId = await guestCart([[product.id, 1]]);
    const res = await mergeCart(ctx.app, { user }).set('Cookie', `sessionId=${sessionId}`);
    expect(res.status).toBe(200);
    expect((await storedCart(ctx, { userId: user.id })).lines).toEqual({ [product.id]: 1 });
  });

  test('without a token → 401; without or with a malformed session id → 400; the guest cart stays', async () => {
    const user = await register(ctx.app);
    const product = await createProduct(ctx);
    const sessionId = await guestCart([[product.id, 1]]);
    expectError(await mergeCart(ctx.app, { sessionId }), 401, 'UNAUTHORIZED');
    expectError(await mergeCart(ctx.app, { sessionId, user: { token: 'x' } as never }), 401, 'UNAUTHORIZED');
    const missing = await mergeCart(ctx.app, { user });
    expectError(missing, 400, 'VALIDATION_ERROR');
    expect(missing.body.details).toHaveProperty(['x-session-id']);
    expectError(await mergeCart(ctx.app, { user, sessionId: 'short' }), 400, 'VALIDATION_ERROR');
    expect((await storedCart(ctx, { sessionId })).lines).toEqual({ [product.id]: 1 });
  });

  test('two merges racing in parallel add the guest quantities once', async () => {
    for (let round = 0; round < 10; round += 1) {
      const user = await register(ctx.app);
      const a = await createProduct(ctx, { stock: 50 });
      const b = await createProduct(ctx, { stock: 50 });
      await userCart(user, [[a.id, 1]]);
      const sessionId = await guestCart([
        [a.id, 2],
        [b.id, 3],
      ]);
      const responses = await Promise.all(
        Array.from({ length: 4 }, () => mergeCart(ctx.app, { user, sessionId })),
      );
      for (const res of responses) expect(res.status).toBe(200);
      expect((await storedCart(ctx, { userId: user.id })).lines).toEqual({ [a.id]: 3, [b.id]: 3 });
      expect((await storedCart(ctx, { sessionId })).lines).toEqual({});
    }
  });

  test('a guest line added between pricing and merging is priced on a retry, not merged unchecked', async () => {
    const user = await register(ctx.app);
    const first = await createProduct(ctx, { stock: 10 });
    const late = await createProduct(ctx, { stock: 2 });
    const sessionId = await guestCart([[first.id, 1]]);
    // Simulate the race: a line appears in the guest hash after the service read it once.
    const store = ctx.container.services.cart['store'];
    const peek = store.peek.bind(store);
    const spy = jest.spyOn(store, 'peek').mockImplementationOnce(async (owner) => {
      const lines = await peek(owner);
      await ctx.container.redis.hset((await storedCart(ctx, { sessionId })).key, String(late.id), '5');
      return lines;
    });
    try {
      expect((await mergeCart(ctx.app, { user, sessionId })).status).toBe(200);
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
    expect((await storedCart(ctx, { userId: user.id })).lines).toEqual({ [first.id]: 1, [late.id]: 2 });
  });
});
