import { ApiRouter } from '../../middleware/api-router';
import type { RouterDeps } from '../../middleware/router-deps';
import { CartController } from './cart.controller';
import {
  addItemBody,
  cartSchema,
  itemIdParams,
  MAX_CART_LINES,
  MAX_LINE_QUANTITY,
  mergeHeaders,
  sessionHeaders,
  updateItemBody,
} from './cart.schemas';
import type { CartService } from './cart.service';

const IDENTITY =
  "A valid Bearer token selects the user's cart (an invalid one → 401); otherwise the guest cart of the " +
  '`X-Session-Id` header or `sessionId` cookie (malformed → 400 VALIDATION_ERROR; unknown or expired → an empty ' +
  'cart). Prices and stock are read fresh from the catalogue. Redis unavailable → 503 SERVICE_UNAVAILABLE.';

/** `/cart`: guest carts by session id, signed-in carts by user. */
export function cartRoutes({ docs, guards }: RouterDeps, cart: CartService): ApiRouter {
  const api = new ApiRouter(docs, guards, '/cart', 'Cart');
  const controller = new CartController(cart);

  api.get(
    '/',
    {
      summary: 'My cart',
      description: `${IDENTITY} Reading a cart renews its sliding expiry.`,
      auth: 'optional',
      headers: sessionHeaders,
      response: cartSchema,
      errors: [400, 401, 503],
    },
    controller.view,
  );

  api.post(
    '/items',
    {
      summary: 'Add a product to my cart (adds to an existing line)',
      description:
        `${IDENTITY} A guest without a live session gets a new one (X-Session-Id response header and ` +
        '`data.sessionId`). 404 PRODUCT_NOT_FOUND for an unknown, inactive or deleted product; 409 ' +
        'INSUFFICIENT_STOCK (details `[{ productId, requested, available }]`) when the line would exceed stock; 409 ' +
        `CART_QUANTITY_LIMIT over ${MAX_LINE_QUANTITY} units in a line; 409 CART_LINE_LIMIT for a new line in a ` +
        `cart of ${MAX_CART_LINES} lines.`,
      auth: 'optional',
      headers: sessionHeaders,
      body: addItemBody,
      response: cartSchema,
      errors: [401, 404, 409, 503],
    },
    controller.addItem,
  );

  api.put(
    '/items/:itemId',
    {
      summary: "Set a line's quantity (0 removes it)",
      description:
        `${IDENTITY} 404 CART_ITEM_NOT_FOUND when the cart has no such line; 404 PRODUCT_NOT_FOUND when raising a ` +
        "line of a product no longer sold (it can only be removed); 409 INSUFFICIENT_STOCK over the product's stock.",
      auth: 'optional',
      headers: sessionHeaders,
      params: itemIdParams,
      body: updateItemBody,
      response: cartSchema,
      errors: [401, 404, 409, 503],
    },
    controller.updateItem,
  );

  api.delete(
    '/items/:itemId',
    {
      summary: 'Remove a line from my cart',
      description: `${IDENTITY} 404 CART_ITEM_NOT_FOUND when the cart has no such line.`,
      auth: 'optional',
      headers: sessionHeaders,
      params: itemIdParams,
      response: cartSchema,
      errors: [401, 404, 503],
    },
    controller.removeItem,
  );

  api.delete(
    '/',
    {
      summary: 'Empty my cart',
      description: IDENTITY,
      auth: 'optional',
      headers: sessionHeaders,
      response: cartSchema,
      errors: [400, 401, 503],
    },
    controller.clear,
  );

  api.post(
    '/merge',
    {
      summary: 'Merge a guest cart into my cart (after signing in)',
      description:
        "The guest session's lines are added to the user's lines, each capped at the product's stock and " +
        `${MAX_LINE_QUANTITY} units; lines of products no longer sold, and new lines beyond ${MAX_CART_LINES}, are ` +
        'dropped. The guest cart is deleted. Atomic: a repeated or racing merge adds the lines once. An unknown ' +
        "session merges nothing. Missing or malformed X-Session-Id → 400. Answers with the user's cart.",
      auth: 'user',
      headers: mergeHeaders,
      response: cartSchema,
      errors: [400, 409, 503],
    },
    controller.merge,
  );

  return api;
}
