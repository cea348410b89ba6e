import { z } from 'zod';
import { paginationQuery } from '../../common/pagination';
import { reviewSchema } from './review.serializer';

/**
 * A positive 32-bit integer id written in plain decimal digits: `1.5`, `1e3`, ` 7` or `0x10` are rejected (400)
 * instead of being coerced into some other id.
 */
export const integerId = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, 'Must be a positive integer')
  .transform(Number)
  .pipe(z.number().int().max(2_147_483_647, 'Must be a positive integer'));

export const productIdParams = z.object({ id: integerId });
export const reviewIdParams = z.object({ id: integerId });

export const listReviewsQuery = paginationQuery;

/** PostgreSQL text cannot hold NUL; reject it at the edge instead of failing in the database. */
const noNul = (value: string) => !value.includes('\u0000');

export const createReviewBody = z
  .object({
    rating: z.number().int('Must be an integer from 1 to 5').min(1).max(5),
    comment: z
      .string()
      .trim()
      .min(1, 'Must not be empty')
      .max(2000)
      .refine(noNul, 'Must not contain NUL characters'),
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
