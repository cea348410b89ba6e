import type { Response, Request } from 'express';
import type { AuthUser } from '../../common/auth-user';
import { sendData } from '../../common/http';
import type { Pagination } from '../../common/pagination';
import { requestMeta } from '../../common/request-meta';
import type { ReviewService } from './reviews.service';
import type { CreateReviewInput } from './reviews.schemas';

interface Http {
  req: Request;
  res: Response;
}
interface IdParams {
  params: { id: number };
}

/** HTTP in/out for reviews: reads validated input, calls the service, sends the envelope. */
export class ReviewController {
  constructor(private readonly reviews: ReviewService) {}

  list = async ({ res, params, query }: Http & IdParams & { query: Pagination }): Promise<void> => {
    sendData(res, await this.reviews.list(params.id, query));
  };

  create = async ({
    res,
    params,
    body,
    user,
  }: Http & IdParams & { body: CreateReviewInput; user: AuthUser }): Promise<void> => {
    const review = await this.reviews.create(user, params.id, body);
    sendData(res, review, { status: 201, message: 'Review created' });
  };

  delete = async ({ req, res, params, user }: Http & IdParams & { user: AuthUser }): Promise<void> => {
    sendData(res, await this.reviews.delete(user, params.id, requestMeta(req, res)), {
      message: 'Review deleted',
    });
  };
}
