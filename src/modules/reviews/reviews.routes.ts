import { ApiRouter } from '../../middleware/api-router';
import type { RouterDeps } from '../../middleware/router-deps';
import { reviewSchema } from './review.serializer';
import { ReviewController } from './reviews.controller';
import {
  createReviewBody,
  deletedReviewSchema,
  listReviewsQuery,
  productIdParams,
  reviewIdParams,
  reviewListSchema,
} from './reviews.schemas';
import type { ReviewService } from './reviews.service';

/**
 * Mounted directly under /api/v1 (mount path ''): it declares `/products/:id/reviews` and `/reviews/:id`, while the
 * products router owns `/products` and `/products/:id`.
 */
export function reviewRoutes({ docs, guards }: RouterDeps, reviews: ReviewService): ApiRouter {
  const api = new ApiRouter(docs, guards, '', 'Reviews');
  const controller = new ReviewController(reviews);

  api.get(
    '/products/:id/reviews',
    {
      summary: "A product's reviews, newest first",
      description: '404 PRODUCT_NOT_FOUND for an unknown, inactive or deleted product.',
      params: productIdParams,
      query: listReviewsQuery,
      response: reviewListSchema,
      errors: [404],
    },
    controller.list,
  );

  api.post(
    '/products/:id/reviews',
    {
      summary: 'Review a product',
      description:
        'One review per user per product (409 REVIEW_EXISTS). Visible at once; `isVerifiedPurchase` is true when ' +
        "the user has a paid (PAID, PROCESSING, SHIPPED or DELIVERED) order containing the product. The product's " +
        '`rating` and `reviewCount` are updated before the response.',
      auth: 'user',
      params: productIdParams,
      body: createReviewBody,
      response: reviewSchema,
      status: 201,
      errors: [404, 409],
    },
    controller.create,
  );

  api.delete(
    '/reviews/:id',
    {
      summary: 'Delete a review (its author, or an admin as moderation)',
      description:
        "404 REVIEW_NOT_FOUND for an unknown review and for another user's review (unless the caller is an admin). " +
        "The product's rating and reviewCount are reversed in the same transaction; admin deletions are audited.",
      auth: 'user',
      params: reviewIdParams,
      response: deletedReviewSchema,
      errors: [404],
    },
    controller.delete,
  );

  return api;
}
