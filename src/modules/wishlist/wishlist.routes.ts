import { ApiRouter } from '../../middleware/api-router';
import type { RouterDeps } from '../../middleware/router-deps';
import { WishlistController } from './wishlist.controller';
import {
  addToWishlistBody,
  listWishlistQuery,
  productIdParams,
  wishlistCheckSchema,
  wishlistClearedSchema,
  wishlistCountSchema,
  wishlistItemSchema,
  wishlistRemovedSchema,
  wishlistSchema,
} from './wishlist.schemas';
import type { WishlistService } from './wishlist.service';

/** `/wishlist`: every route is the signed-in user's own wishlist. */
export function wishlistRoutes({ docs, guards }: RouterDeps, wishlist: WishlistService): ApiRouter {
  const api = new ApiRouter(docs, guards, '/wishlist', 'Wishlist');
  const controller = new WishlistController(wishlist);

  api.get(
    '/',
    {
      summary: 'My wishlist, most recently added first',
      description: 'Only active products are listed and counted.',
      auth: 'user',
      query: listWishlistQuery,
      response: wishlistSchema,
    },
    controller.list,
  );

  api.get(
    '/count',
    { summary: 'How many (active) products my wishlist holds', auth: 'user', response: wishlistCountSchema },
    controller.count,
  );

  api.get(
    '/check/:productId',
    {
      summary: 'Whether a product is in my wishlist',
      description: 'False for a product that is unknown, inactive or not in the wishlist (never 404).',
      auth: 'user',
      params: productIdParams,
      response: wishlistCheckSchema,
    },
    controller.check,
  );

  api.post(
    '/',
    {
      summary: 'Add a product to my wishlist (idempotent)',
      description:
        '201 with the item when it was added, 200 with the same item when it was already there (nothing changes). ' +
        '404 PRODUCT_NOT_FOUND for an unknown, inactive or deleted product.',
      auth: 'user',
      body: addToWishlistBody,
      response: wishlistItemSchema,
      status: 201,
      errors: [404],
    },
    controller.add,
  );

  api.delete(
    '/:productId',
    {
      summary: 'Remove a product from my wishlist (idempotent)',
      description: '200 either way; `removed` tells whether it was there.',
      auth: 'user',
      params: productIdParams,
      response: wishlistRemovedSchema,
    },
    controller.remove,
  );

  api.delete(
    '/',
    {
      summary: 'Empty my wishlist (idempotent)',
      auth: 'user',
      response: wishlistClearedSchema,
    },
    controller.clear,
  );

  return api;
}
