import { z } from 'zod';

/** The public review shape, shared by `/products/:id` (newest reviews) and `/products/:id/reviews`. */
export const reviewSchema = z
  .object({
    id: z.number().int(),
    productId: z.number().int(),
    userId: z.number().int(),
    rating: z.number().int().min(1).max(5),
    comment: z.string(),
    reviewerName: z.string(),
    isVerifiedPurchase: z.boolean(),
    /** DummyJSON's field name for the review time. */
    date: z.string(),
    createdAt: z.string(),
  })
  .meta({ id: 'Review' });

export type PublicReview = z.infer<typeof reviewSchema>;

export interface ReviewRow {
  id: number;
  productId: number;
  userId: number;
  rating: number;
  comment: string;
  isVerifiedPurchase: boolean;
  createdAt: Date;
  user: { firstName: string; lastName: string };
}

/** Select clause producing a `ReviewRow` (no reviewer e-mail ever leaves the database). */
export const reviewRowSelect = {
  id: true,
  productId: true,
  userId: true,
  rating: true,
  comment: true,
  isVerifiedPurchase: true,
  createdAt: true,
  user: { select: { firstName: true, lastName: true } },
} as const;

export function toPublicReview(row: ReviewRow): PublicReview {
  const createdAt = row.createdAt.toISOString();
  return {
    id: row.id,
    productId: row.productId,
    userId: row.userId,
    rating: row.rating,
    comment: row.comment,
    reviewerName: `${row.user.firstName} ${row.user.lastName}`.trim(),
    isVerifiedPurchase: row.isVerifiedPurchase,
    date: createdAt,
    createdAt,
  };
}
