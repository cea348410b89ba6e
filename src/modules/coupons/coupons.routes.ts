import { ApiRouter } from '../../middleware/api-router';
import type { RouterDeps } from '../../middleware/router-deps';
import { CouponController } from './coupons.controller';
import {
  couponIdParams,
  couponListSchema,
  couponSchema,
  createCouponBody,
  listCouponsQuery,
  updateCouponBody,
} from './coupons.schemas';
import type { CouponService } from './coupons.service';

const RULES =
  'Codes are trimmed and upper-cased (3–32 letters, digits, dashes, underscores) and unique (409 COUPON_EXISTS). ' +
  'PERCENTAGE: 0 < value ≤ 100; FIXED_AMOUNT: value > 0 in major units; at most two decimals. startsAt must be ' +
  'before expiresAt; usageLimit is a positive integer or null (unlimited). At checkout (POST /orders ' +
  '`couponCode`, any case) a coupon is refused with 422: COUPON_INVALID (unknown or inactive), COUPON_EXPIRED ' +
  '(before startsAt or from expiresAt on), COUPON_EXHAUSTED (usage limit reached, or a one-per-customer coupon the ' +
  'customer already used on an order that was not cancelled), COUPON_MIN_SUBTOTAL (subtotal before the discount ' +
  'below minSubtotal). A cancelled order gives its use back.';

/** Admin CRUD of coupons, mounted at /api/v1/coupons. Checkout uses the service through orders' CheckoutCoupons. */
export function couponRoutes({ docs, guards }: RouterDeps, coupons: CouponService): ApiRouter {
  const api = new ApiRouter(docs, guards, '/coupons', 'Coupons');
  const controller = new CouponController(coupons);

  api.get(
    '/',
    {
      summary: 'List coupons, newest first',
      description: '`q` matches part of the code or the description (case-insensitive); `isActive` filters.',
      auth: 'admin',
      query: listCouponsQuery,
      response: couponListSchema,
    },
    controller.list,
  );

  api.get(
    '/:id',
    {
      summary: 'A coupon',
      description: '404 COUPON_NOT_FOUND.',
      auth: 'admin',
      params: couponIdParams,
      response: couponSchema,
      errors: [404],
    },
    controller.get,
  );

  api.post(
    '/',
    {
      summary: 'Create a coupon',
      description: `${RULES} Audited.`,
      auth: 'admin',
      body: createCouponBody,
      response: couponSchema,
      status: 201,
      errors: [409],
    },
    controller.create,
  );

  api.put(
    '/:id',
    {
      summary: 'Update a coupon (partial)',
      description:
        'Any subset of the create fields, checked together with the stored ones (a type change re-checks the ' +
        'value, a new expiresAt is compared with the stored startsAt). usageCount is read-only. ' +
        `${RULES} Audited.`,
      auth: 'admin',
      params: couponIdParams,
      body: updateCouponBody,
      response: couponSchema,
      errors: [404, 409],
    },
    controller.update,
  );

  api.delete(
    '/:id',
    {
      summary: 'Deactivate a coupon',
      description:
        'Deactivates rather than deletes: orders placed with it keep their coupon and discount, and the code stays ' +
        'reserved. New checkouts with it get 422 COUPON_INVALID; `PUT { isActive: true }` restores it. Repeating ' +
        'the call is harmless. Audited.',
      auth: 'admin',
      params: couponIdParams,
      response: couponSchema,
      errors: [404],
    },
    controller.delete,
  );

  return api;
}
