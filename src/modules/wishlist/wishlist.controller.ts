import type { Response } from 'express';
import type { ActorContext } from '../../common/request-context';
import { sendData } from '../../common/http';
import type { Pagination } from '../../common/pagination';
import type { AddToWishlistInput } from './wishlist.schemas';
import type { WishlistService } from './wishlist.service';

interface Authenticated {
  res: Response;
  context: ActorContext;
}
interface ProductParams {
  params: { productId: number };
}

/** HTTP in/out for `/wishlist`: always the caller's own wishlist (the user id comes from the token only). */
export class WishlistController {
  constructor(private readonly wishlist: WishlistService) {}

  list = async ({ res, context, query }: Authenticated & { query: Pagination }): Promise<void> => {
    sendData(res, await this.wishlist.list(context, query));
  };

  count = async ({ res, context }: Authenticated): Promise<void> => {
    sendData(res, await this.wishlist.count(context));
  };

  check = async ({ res, context, params }: Authenticated & ProductParams): Promise<void> => {
    sendData(res, await this.wishlist.check(context, params.productId));
  };

  add = async ({ res, context, body }: Authenticated & { body: AddToWishlistInput }): Promise<void> => {
    const { item, created } = await this.wishlist.add(context, body.productId);
    sendData(
      res,
      item,
      created ? { status: 201, message: 'Added to wishlist' } : { message: 'Already in wishlist' },
    );
  };

  remove = async ({ res, context, params }: Authenticated & ProductParams): Promise<void> => {
    const result = await this.wishlist.remove(context, params.productId);
    sendData(res, result, { message: result.removed ? 'Removed from wishlist' : 'Not in wishlist' });
  };

  clear = async ({ res, context }: Authenticated): Promise<void> => {
    sendData(res, await this.wishlist.clear(context), { message: 'Wishlist cleared' });
  };
}
