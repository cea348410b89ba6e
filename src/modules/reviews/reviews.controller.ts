import type { Response } from 'express';
import { sendData } from '../../common/http';
import type { Pagination } from '../../common/pagination';
import type { ActorContext } from '../../common/request-context';
import type { ReviewService } from './reviews.service';
import type { CreateReviewInput } from './reviews.schemas';

interface Http {
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
    context,
  }: Http & IdParams & { body: CreateReviewInput; context: ActorContext }): Promise<void> => {
    const review = await this.reviews.create(context, params.id, body);
    sendData(res, review, { status: 201, message: 'Review created' });
  };

  delete = async ({ res, params, context }: Http & IdParams & { context: ActorContext }): Promise<void> => {
    sendData(res, await this.reviews.delete(context, params.id), {
      message: 'Review deleted',
    });
  };
}
