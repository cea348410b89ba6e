import type { Express } from 'express';
import request from 'supertest';
import { API, bearer, type TestUser } from './auth';
import type { TestContext } from './test-app';

export const CART = `${API}/cart`;

/** Who a cart request is for: a user (Bearer token), a guest session id, both, or nobody. */
export interface CartCaller {
  user?: TestUser;
  sessionId?: string;
}

function identify(req: request.Test, caller: CartCaller): request.Test {
  if (caller.user) req.set(bearer(caller.user.token));
  if (caller.sessionId !== undefined) req.set('X-Session-Id', caller.sessionId);
  return req;
}

export const getCart = (app: Express, caller: CartCaller = {}) => identify(request(app).get(CART), caller);

export const addToCart = (app: Express, caller: CartCaller, productId: unknown, quantity: unknown = 1) =>
  identify(request(app).post(`${CART}/items`), caller).send({ productId, quantity });

export const setCartItem = (app: Express, caller: CartCaller, itemId: number | string, quantity: unknown) =>
  identify(request(app).put(`${CART}/items/${itemId}`), caller).send({ quantity });

export const removeCartItem = (app: Express, caller: CartCaller, itemId: number | string) =>
  identify(request(app).delete(`${CART}/items/${itemId}`), caller);

export const clearCart = (app: Express, caller: CartCaller = {}) =>
  identify(request(app).delete(CART), caller);

export const mergeCart = (app: Express, caller: CartCaller) =>
  identify(request(app).post(`${CART}/merge`), caller);

/** The cart as Redis holds it (product id → quantity), read straight from the hash. */
export async function storedCart(ctx: TestContext, owner: { userId: number } | { sessionId: string }) {
  const key =
    'userId' in owner
      ? ctx.container.keys.key('cart', 'user', owner.userId)
      : ctx.container.keys.key('cart', 'session', owner.sessionId);
  const hash = await ctx.container.redis.hgetall(key);
  return { key, lines: Object.fromEntries(Object.entries(hash).map(([id, q]) => [Number(id), Number(q)])) };
}
