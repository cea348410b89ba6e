import type { Response } from 'express';
import { sendData } from '../../common/http';
import type { ActorContext } from '../../common/request-context';
import type { CouponService } from './coupons.service';
import type { CreateCouponInput, ListCouponsQuery, UpdateCouponInput } from './coupons.schemas';

interface Http {
  res: Response;
}
interface IdParams {
  params: { id: number };
}

/** HTTP in/out for the admin's coupons: reads validated input, calls the service, sends the envelope. */
export class CouponController {
  constructor(private readonly coupons: CouponService) {}

  list = async ({ res, query }: Http & { query: ListCouponsQuery }): Promise<void> => {
    sendData(res, await this.coupons.list(query));
  };

  get = async ({ res, params }: Http & IdParams): Promise<void> => {
    sendData(res, await this.coupons.get(params.id));
  };

  create = async ({
    res,
    body,
    context,
  }: Http & { body: CreateCouponInput; context: ActorContext }): Promise<void> => {
    sendData(res, await this.coupons.create(context, body), { status: 201, message: 'Coupon created' });
  };

  update = async ({
    res,
    params,
    body,
    context,
  }: Http & IdParams & { body: UpdateCouponInput; context: ActorContext }): Promise<void> => {
    sendData(res, await this.coupons.update(context, params.id, body), { message: 'Coupon updated' });
  };

  delete = async ({ res, params, context }: Http & IdParams & { context: ActorContext }): Promise<void> => {
    sendData(res, await this.coupons.deactivate(context, params.id), { message: 'Coupon deactivated' });
  };
}
