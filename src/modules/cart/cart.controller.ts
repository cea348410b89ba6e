import type { Request, Response } from 'express';
import { sendData } from '../../common/http';
import type { ActorContext, RequestContext } from '../../common/request-context';
import { parseOrThrow } from '../../middleware/validate';
import {
  mergeHeaders,
  sessionHeaders,
  type AddItemInput,
  type CartView,
  type UpdateItemInput,
} from './cart.schemas';
import type { CartService } from './cart.service';

interface Caller {
  req: Request;
  res: Response;
  context: RequestContext;
}
interface ItemParams {
  params: { itemId: number };
}

/** The guest session the request names: the `X-Session-Id` header, else the `sessionId` cookie. */
function sessionIdOf(req: Request): unknown {
  return req.headers['x-session-id'] ?? (req.cookies as Record<string, unknown> | undefined)?.sessionId;
}

/**
 * The session id of a guest request (400 when malformed). A signed-in caller's session id is ignored, malformed or
 * not: the Bearer token decides whose cart it is.
 */
function guestSession(req: Request, context: RequestContext): string | undefined {
  if (context.actor) return undefined;
  return parseOrThrow(sessionHeaders, { 'x-session-id': sessionIdOf(req) }, 'headers')['x-session-id'];
}

/**
 * Guest carts answer with their session in the `X-Session-Id` header too (the client keeps whichever it gets). A
 * cart is personal and priced live: no cache may keep it.
 */
function sendCart(res: Response, cart: CartView, message?: string): void {
  if (cart.sessionId) res.setHeader('X-Session-Id', cart.sessionId);
  res.setHeader('Cache-Control', 'private, no-store');
  sendData(res, cart, { message });
}

/** HTTP in/out for `/cart`. */
export class CartController {
  constructor(private readonly cart: CartService) {}

  view = async ({ req, res, context }: Caller): Promise<void> => {
    sendCart(res, await this.cart.view(context, guestSession(req, context)));
  };

  addItem = async ({ req, res, context, body }: Caller & { body: AddItemInput }): Promise<void> => {
    const cart = await this.cart.addItem(context, guestSession(req, context), body.productId, body.quantity);
    sendCart(res, cart, 'Added to cart');
  };

  updateItem = async ({
    req,
    res,
    context,
    params,
    body,
  }: Caller & ItemParams & { body: UpdateItemInput }) => {
    const cart = await this.cart.updateItem(
      context,
      guestSession(req, context),
      params.itemId,
      body.quantity,
    );
    sendCart(res, cart, body.quantity === 0 ? 'Removed from cart' : 'Cart updated');
  };

  removeItem = async ({ req, res, context, params }: Caller & ItemParams): Promise<void> => {
    sendCart(
      res,
      await this.cart.removeItem(context, guestSession(req, context), params.itemId),
      'Removed from cart',
    );
  };

  clear = async ({ req, res, context }: Caller): Promise<void> => {
    sendCart(res, await this.cart.clear(context, guestSession(req, context)), 'Cart cleared');
  };

  merge = async ({ req, res, context }: Caller & { context: ActorContext }): Promise<void> => {
    const { 'x-session-id': sessionId } = parseOrThrow(
      mergeHeaders,
      { 'x-session-id': sessionIdOf(req) },
      'headers',
    );
    sendCart(res, await this.cart.merge(context, sessionId), 'Guest cart merged');
  };
}
