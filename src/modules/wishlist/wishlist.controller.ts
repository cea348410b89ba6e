import type { Response } from 'express';
import type { AuthUser } from '../../common/auth-user';
import { sendData } from '../../common/http';
import type { Pagination } from '../../common/pagination';
import type { AddToWishlistInput } from './wishlist.schemas';
import type { WishlistService } from './wishlist.service';

interface Authenticated {
  res: Response;
  user: AuthUser;
}
interface ProductParams {
  params: { productId: number };
}

/** HTTP in/out for `/wishlist`: always the caller's own wishlist (the user id comes from the token only). */
export class WishlistController {
  constructor(private readonly wishlist: WishlistService) {}

  list = async ({ res, user, query }: Authenticated & { query: Pagination }): Promise<void> => {
    sendData(res, await this.wishlist.list(user.id, query));
  };

  count = async ({ res, user }: Authenticated): Promise<void> => {
    sendData(res, await this.wishlist.count(user.id));
  };

  check = async ({ res, user, params }: Authenticated & ProductParams): Promise<void> => {
    sendData(res, await this.wishlist.check(user.id, params.productId));
  };

  add = async ({ res, user, body }: Authenticated & { body: AddToWishlistInput }): Promise<void> => {
    const { item, created } = await this.wishlist.add(user.id, body.productId);
    sendData(
      res,
      item,
      created ? { status: 201, message: 'Added to wishlist' } : { message: 'Already in wishlist' },
    );
  };

  remove = async ({ res, user, params }: Authenticated & ProductParams): Promise<void> => {
    const result = await this.wishlist.remove(user.id, params.productId);
    sendData(res, result, { message: result.removed ? 'Removed from wishlist' : 'Not in wishlist' });
  };

  clear = async ({ res, user }: Authenticated): Promise<void> => {
    sendData(res, await this.wishlist.clear(user.id), { message: 'Wishlist cleared' });
  };
}
