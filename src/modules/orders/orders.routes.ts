import { ApiRouter } from '../../middleware/api-router';
import type { RouterDeps } from '../../middleware/router-deps';
import type { IdempotencyService } from '../idempotency/idempotency.service';
import { OrderController } from './orders.controller';
import {
  createOrderBody,
  listOrdersQuery,
  orderIdParams,
  orderListSchema,
  orderSchema,
} from './orders.schemas';
import type { OrderService } from './orders.service';

export function orderRoutes(
  { docs, guards }: RouterDeps,
  orders: OrderService,
  idempotency: IdempotencyService,
): ApiRouter {
  const api = new ApiRouter(docs, guards, '/orders', 'Orders');
  const controller = new OrderController(orders, idempotency);

  api.post(
    '/',
    {
      summary: 'Place an order (from the cart unless `items` is given)',
      description:
        'One transaction: snapshots, totals, the confirmation e-mail and the conditional stock decrements. ' +
        '409 INSUFFICIENT_STOCK lists every short line ({ productId, requested, available }); 400 CART_EMPTY; ' +
        '404 ADDRESS_NOT_FOUND; 422 PRODUCT_UNAVAILABLE (inactive or deleted products), COUPON_*. Optional ' +
        '`Idempotency-Key` header (1–255 characters): a retry with the same body within 24 h replays the first ' +
        'response with `Idempotent-Replayed: true`; another body → 422 IDEMPOTENCY_KEY_REUSED; while the first ' +
        'runs → 409 IDEMPOTENCY_IN_PROGRESS.',
      auth: 'user',
      body: createOrderBody,
      response: orderSchema,
      status: 201,
      errors: [404, 409, 422],
    },
    controller.create,
  );

  api.get(
    '/',
    {
      summary: 'Your orders, newest first',
      description:
        'Filter by `status`; `nextCursor` continues with keyset paging (`?cursor=`, then skip is ignored).',
      auth: 'user',
      query: listOrdersQuery,
      response: orderListSchema,
    },
    controller.list,
  );

  api.get(
    '/:id',
    {
      summary: 'One of your orders (an admin: any order)',
      description: "404 ORDER_NOT_FOUND for an unknown order and for another user's order.",
      auth: 'user',
      params: orderIdParams,
      response: orderSchema,
      errors: [404],
    },
    controller.get,
  );

  return api;
}
