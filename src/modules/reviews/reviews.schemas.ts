import { z } from 'zod';
import { idParams } from '../../common/ids';
import { paginationQuery } from '../../common/pagination';
import { text } from '../../common/text';
import { reviewSchema } from './review.serializer';

export const productIdParams = idParams;
export const reviewIdParams = idParams;

export const listReviewsQuery = paginationQuery;

export const createReviewBody = z
  .object({
    rating: z.number().int('Must be an integer from 1 to 5').min(1).max(5),
    comment: text(2000),
  })
  .meta({ id: 'CreateReview' });

export type CreateReviewInput = z.infer<typeof createReviewBody>;

export const reviewListSchema = z
  .object({
    reviews: z.array(reviewSchema),
    total: z.number().int(),
    skip: z.number().int(),
    limit: z.number().int(),
  })
  .meta({ id: 'ReviewList' });

export const deletedReviewSchema = reviewSchema
  .extend({ isDeleted: z.literal(true), deletedOn: z.string() })
  .meta({ id: 'DeletedReview' });

export type DeletedReview = z.infer<typeof deletedReviewSchema>;
