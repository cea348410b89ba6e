import { z } from 'zod';
import { paginationQuery } from '../../common/pagination';
import { integerId } from '../../common/ids';
import { INT32_MAX } from '../../common/int32';

export const productIdParams = z.object({ productId: integerId });

export const listWishlistQuery = paginationQuery;

export const addToWishlistBody = z
  .object({
    productId: z.number().int('Must be a positive integer').positive().max(INT32_MAX),
  })
  .meta({ id: 'AddToWishlist' });

export type AddToWishlistInput = z.infer<typeof addToWishlistBody>;

/** A wishlisted product: the product's public listing fields (DummyJSON names) and when it was added. */
export const wishlistItemSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    price: z.number(),
    discountPercentage: z.number(),
    rating: z.number(),
    stock: z.number().int(),
    brand: z.string().nullable(),
    category: z.string().meta({ description: 'Category slug' }),
    thumbnail: z.string().nullable(),
    addedAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'WishlistItem' });

export type WishlistItem = z.infer<typeof wishlistItemSchema>;

export const wishlistSchema = z
  .object({
    products: z.array(wishlistItemSchema),
    total: z.number().int(),
    skip: z.number().int(),
    limit: z.number().int(),
  })
  .meta({ id: 'Wishlist' });

export const wishlistCountSchema = z.object({ count: z.number().int() }).meta({ id: 'WishlistCount' });

export const wishlistCheckSchema = z
  .object({ productId: z.number().int(), inWishlist: z.boolean() })
  .meta({ id: 'WishlistCheck' });

export const wishlistRemovedSchema = z
  .object({ productId: z.number().int(), removed: z.boolean() })
  .meta({ id: 'WishlistRemoved' });

export const wishlistClearedSchema = z
  .object({ removed: z.number().int().meta({ description: 'How many items were removed' }) })
  .meta({ id: 'WishlistCleared' });
