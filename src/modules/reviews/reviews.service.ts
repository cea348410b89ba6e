import { ConflictError, NotFoundError } from '../../common/errors';
import { listPayload, type Pagination } from '../../common/pagination';
import type { ActorContext } from '../../common/request-context';
import { isUniqueViolation, type TransactionRunner } from '../../lib/prisma';
import type { AuditService } from '../audit/audit.service';
import { PRODUCTS_CACHE } from '../catalogue/catalogue-cache';
import { toPublicReview, type PublicReview } from './review.serializer';
import type { ReviewRepository } from './reviews.repository';
import type { CreateReviewInput, DeletedReview } from './reviews.schemas';

/** The part of the cache this module needs: product lists and details embed rating, reviewCount and reviews. */
export interface CacheInvalidator {
  invalidate(...namespaces: string[]): Promise<void>;
}

const productNotFound = () => new NotFoundError('Product');
const reviewNotFound = () => new NotFoundError('Review');

/**
 * Reviews: one per user per product, visible at once (moderation is deletion). The product's rating_total,
 * review_count and rating change in the same transaction as the review row, and the product cache is invalidated
 * after the commit and before the response, so the next read of the product shows the new figures.
 */
export class ReviewService {
  constructor(
    private readonly transaction: TransactionRunner,
    private readonly reviews: ReviewRepository,
    private readonly audit: AuditService,
    private readonly cache: CacheInvalidator,
  ) {}

  async list(
    productId: number,
    page: Pagination,
  ): Promise<{ reviews: PublicReview[]; total: number; skip: number; limit: number }> {
    const [active, [rows, total]] = await Promise.all([
      this.reviews.isProductActive(productId),
      this.reviews.list(productId, page),
    ]);
    if (!active) throw productNotFound();
    return listPayload('reviews', rows.map(toPublicReview), total, page);
  }

  async create(context: ActorContext, productId: number, input: CreateReviewInput): Promise<PublicReview> {
    const user = context.actor;
    if (!(await this.reviews.isProductActive(productId))) throw productNotFound();
    let created;
    try {
      created = await this.transaction(async (tx) => {
        const isVerifiedPurchase = await this.reviews.hasPurchased(user.id, productId, tx);
        const review = await this.reviews.create(
          { productId, userId: user.id, rating: input.rating, comment: input.comment, isVerifiedPurchase },
          tx,
        );
        // Guarded on the product still being active: a product deactivated meanwhile rolls the review back.
        const counted = await this.reviews.adjustRating(productId, input.rating, 1, tx, { onlyActive: true });
        if (!counted) throw productNotFound();
        return review;
      });
    } catch (error) {
      // The unique (product_id, user_id) index is the rule; it also decides between two concurrent requests.
      if (isUniqueViolation(error)) {
        throw new ConflictError('You have already reviewed this product', 'REVIEW_EXISTS');
      }
      throw error;
    }
    await this.cache.invalidate(PRODUCTS_CACHE);
    return toPublicReview(created);
  }

  /**
   * The author or an admin may delete. For anyone else the review does not exist (404, as for every other
   * user's resource in this API). Deletions by admins are audited in the same transaction.
   */
  async delete(context: ActorContext, reviewId: number): Promise<DeletedReview> {
    const { actor } = context;
    const review = await this.reviews.findById(reviewId);
    const isAdmin = actor.role === 'ADMIN';
    if (!review || (review.userId !== actor.id && !isAdmin)) throw reviewNotFound();

    const deleted = await this.transaction(async (tx) => {
      // deleteMany reports 0 when a concurrent delete already removed it: the aggregate is reversed once only.
      if (!(await this.reviews.delete(reviewId, tx))) return false;
      await this.reviews.adjustRating(review.productId, -review.rating, -1, tx);
      if (isAdmin) {
        await this.audit.record(
          context,
          {
            action: 'review.deleted',
            entityType: 'review',
            entityId: review.id,
            metadata: {
              productId: review.productId,
              authorId: review.userId,
              rating: review.rating,
              moderation: review.userId !== actor.id,
            },
          },
          tx,
        );
      }
      return true;
    });
    if (!deleted) throw reviewNotFound();
    await this.cache.invalidate(PRODUCTS_CACHE);
    return { ...toPublicReview(review), isDeleted: true, deletedOn: new Date().toISOString() };
  }
}
