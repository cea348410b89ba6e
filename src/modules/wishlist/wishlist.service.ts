import { NotFoundError } from '../../common/errors';
import { toMajor, toMinor } from '../../common/money';
import { listPayload, type Pagination } from '../../common/pagination';
import type { ActorContext } from '../../common/request-context';
import type { WishlistProductRow, WishlistRepository } from './wishlist.repository';
import type { WishlistItem } from './wishlist.schemas';

function toWishlistItem(product: WishlistProductRow, addedAt: Date): WishlistItem {
  return {
    id: product.id,
    title: product.title,
    price: toMajor(toMinor(product.price)),
    discountPercentage: Number(product.discountPercentage.toFixed(2)),
    rating: Number(product.rating.toFixed(2)),
    stock: product.stock,
    brand: product.brand,
    category: product.category.slug,
    thumbnail: product.thumbnail,
    addedAt: addedAt.toISOString(),
  };
}

/**
 * The signed-in user's wishlist. Adding is idempotent (the (user_id, product_id) primary key decides, also between
 * concurrent requests); removing is idempotent too. Only active products are listed, counted and reported.
 */
export class WishlistService {
  constructor(private readonly wishlist: WishlistRepository) {}

  async list(
    context: ActorContext,
    page: Pagination,
  ): Promise<{ products: WishlistItem[]; total: number; skip: number; limit: number }> {
    const [rows, total] = await this.wishlist.list(context.actor.id, page);
    return listPayload(
      'products',
      rows.map((row) => toWishlistItem(row.product, row.createdAt)),
      total,
      page,
    );
  }

  async count(context: ActorContext): Promise<{ count: number }> {
    return { count: await this.wishlist.count(context.actor.id) };
  }

  async check(context: ActorContext, productId: number): Promise<{ productId: number; inWishlist: boolean }> {
    return { productId, inWishlist: await this.wishlist.contains(context.actor.id, productId) };
  }

  /** `created` is false when the product was already in the wishlist (nothing changed). */
  async add(context: ActorContext, productId: number): Promise<{ item: WishlistItem; created: boolean }> {
    const product = await this.wishlist.findActiveProduct(productId);
    if (!product) throw new NotFoundError('Product');
    // A concurrent remove may slip between the conflicting insert and the read: then insert again.
    for (let attempt = 0; ; attempt++) {
      const createdAt = await this.wishlist.add(context.actor.id, productId);
      if (createdAt) return { item: toWishlistItem(product, createdAt), created: true };
      const addedAt = await this.wishlist.addedAt(context.actor.id, productId);
      if (addedAt) return { item: toWishlistItem(product, addedAt), created: false };
      if (attempt >= 2) throw new Error('wishlist add did not settle');
    }
  }

  async remove(context: ActorContext, productId: number): Promise<{ productId: number; removed: boolean }> {
    return { productId, removed: await this.wishlist.remove(context.actor.id, productId) };
  }

  async clear(context: ActorContext): Promise<{ removed: number }> {
    return { removed: await this.wishlist.clear(context.actor.id) };
  }
}
