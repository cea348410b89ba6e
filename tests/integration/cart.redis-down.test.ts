import request from 'supertest';
import { spawnRedis, type SpawnedRedis } from '../../src/lib/embedded/spawned-redis';
import { createRedis, closeRedis } from '../../src/lib/redis';
import { API, bearer, expectError, register, type TestUser } from '../helpers/auth';
import {
  addToCart,
  clearCart,
  getCart,
  mergeCart,
  removeCartItem,
  setCartItem,
  type CartCaller,
} from '../helpers/cart';
import { createProduct } from '../helpers/catalogue-fixtures';
import { createTestContext, type TestContext } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

jest.setTimeout(60_000);

/** A context on a Redis of its own, which the tests pause and stop (never the machine's). */
let redis: SpawnedRedis;
let ctx: TestContext;
let user: TestUser;
let productId: number;
let sessionId: string;

beforeAll(async () => {
  redis = await spawnRedis();
  ctx = await createTestContext({}, {}, { redisUrl: redis.url });
  user = await register(ctx.app);
  productId = (await createProduct(ctx, { stock: 10 })).id;
  const res = await addToCart(ctx.app, {}, productId, 1);
  expect(res.status).toBe(200);
  sessionId = res.body.data.sessionId;
  expect((await addToCart(ctx.app, { user }, productId, 1)).status).toBe(200);
});
afterAll(async () => {
  await ctx?.close();
  await redis?.stop();
});

/** Every cart route, as `caller`. */
const everyCartRoute = (caller: CartCaller) => [
  getCart(ctx.app, caller),
  addToCart(ctx.app, caller, productId, 1),
  setCartItem(ctx.app, caller, productId, 2),
  removeCartItem(ctx.app, caller, productId),
  clearCart(ctx.app, caller),
];

test('a Redis that answers writes with errors (out of memory) → 503 SERVICE_UNAVAILABLE, nothing written', async () => {
  const admin = createRedis(redis.url);
  try {
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.config('SET', 'maxmemory', '1');
    expectError(await addToCart(ctx.app, { sessionId }, productId, 1), 503, 'SERVICE_UNAVAILABLE');
    // Reads need no memory and still work.
    expect((await getCart(ctx.app, { sessionId })).status).toBe(200);
  } finally {
    await admin.config('SET', 'maxmemory', '0');
    await closeRedis(admin);
  }
  expect((await getCart(ctx.app, { sessionId })).body.data.items).toEqual([
    expect.objectContaining({ productId, quantity: 1 }),
  ]);
});

test('a Redis that stops answering (CLIENT PAUSE) → 503 SERVICE_UNAVAILABLE, and the cart works again after', async () => {
  const admin = createRedis(redis.url);
  try {
    await admin.call('CLIENT', 'PAUSE', '2500', 'ALL');
    const res = await getCart(ctx.app, { sessionId });
    expectError(res, 503, 'SERVICE_UNAVAILABLE');
    await waitFor(async () => (await getCart(ctx.app, { sessionId })).status === 200, 10_000, 200);
    const after = await getCart(ctx.app, { sessionId });
    expect(after.body.data.items).toEqual([expect.objectContaining({ productId, quantity: 1 })]);
  } finally {
    await closeRedis(admin);
  }
});

describe('with the Redis server stopped', () => {
  beforeAll(async () => {
    await redis.stop();
    await waitFor(() => ctx.container.redis.status !== 'ready', 5_000);
  });

  test('every cart route → 503 SERVICE_UNAVAILABLE, for guests, sessions and users', async () => {
    const responses = await Promise.all([
      ...everyCartRoute({}),
      ...everyCartRoute({ sessionId }),
      ...everyCartRoute({ user }),
      mergeCart(ctx.app, { user, sessionId }),
    ]);
    for (const res of responses) expectError(res, 503, 'SERVICE_UNAVAILABLE');
  });

  test('bad input is still a 4xx, not a 503 or 500', async () => {
    expectError(await addToCart(ctx.app, { sessionId }, productId, 0), 400, 'VALIDATION_ERROR');
    expectError(await getCart(ctx.app, { sessionId: 'bad' }), 400, 'VALIDATION_ERROR');
    expectError(await getCart(ctx.app, { user: { token: 'nope' } as never }), 401, 'UNAUTHORIZED');
  });

  test('checkout: linesForCheckout → 503 (before any order); removeOrderedLines after a commit does not throw', async () => {
    await expect(ctx.container.services.cart.linesForCheckout(user.id)).rejects.toMatchObject({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
    });
    await expect(
      ctx.container.services.cart.removeOrderedLines(user.id, [{ productId, quantity: 1 }]),
    ).resolves.toBeUndefined();
  });

  test('nothing else breaks: the catalogue and the signed-in profile still answer 200', async () => {
    expect((await request(ctx.app).get(`${API}/products`)).status).toBe(200);
    expect((await request(ctx.app).get(`${API}/products/${productId}`)).status).toBe(200);
    expect((await request(ctx.app).get(`${API}/users/profile`).set(bearer(user.token))).status).toBe(200);
  });

  test('once Redis is back, the cart answers again', async () => {
    redis = await spawnRedis({ port: redis.port });
    await waitFor(() => ctx.container.redis.status === 'ready', 15_000, 50);
    const res = await addToCart(ctx.app, { user }, productId, 2);
    expect(res.status).toBe(200);
    // The restarted server kept nothing (no persistence): the line starts again.
    expect(res.body.data.items).toEqual([expect.objectContaining({ productId, quantity: 2 })]);
  });
});
