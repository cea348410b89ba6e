import { ApiRouter } from '../../middleware/api-router';
import type { RouterDeps } from '../../middleware/router-deps';
import type { IdempotencyService } from '../idempotency/idempotency.service';
import { OrderController } from './orders.controller';
import {
  adminListOrdersQuery,
  cancelOrderBody,
  changeStatusBody,
  createOrderBody,
  createOrderHeaders,
  listOrdersQuery,
  orderIdParams,
  orderListSchema,
  orderSchema,
  orderStatsQuery,
  orderStatsSchema,
  trackingSchema,
} from './orders.schemas';
import type { OrderInvoiceService } from './order-invoice.service';
import type { OrderStatsService } from './order-stats.service';
import type { OrderService } from './orders.service';

export function orderRoutes(
  { docs, guards }: RouterDeps,
  orders: OrderService,
  idempotency: IdempotencyService,
  reports: { stats: OrderStatsService; invoices: OrderInvoiceService },
): ApiRouter {
  const api = new ApiRouter(docs, guards, '/orders', 'Orders');
  const controller = new OrderController(orders, idempotency, reports.stats, reports.invoices);

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
      headers: createOrderHeaders,
      response: orderSchema,
      status: 201,
      // 503: the cart (Redis) could not be read for a checkout from the cart.
      errors: [404, 409, 422, 503],
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

  // Before /:id, which would otherwise read "admin" as an order id.
  api.get(
    '/admin/all',
    {
      summary: 'All orders (admin), newest first',
      description:
        'Filters `status`, `userId`, `from`, `to` (placement time); keyset `cursor` as on /orders.',
      auth: 'admin',
      query: adminListOrdersQuery,
      response: orderListSchema,
    },
    controller.listAll,
  );

  api.get(
    '/admin/stats',
    {
      summary: 'Sales statistics (admin)',
      description:
        'Over orders placed in [from, to] (UTC): counts by status, revenue and average order value of PAID, ' +
        'PROCESSING, SHIPPED and DELIVERED orders less partial refunds (CANCELLED and REFUNDED orders are not ' +
        'revenue), the revenue series by day or month with empty periods as 0, the top products by units then ' +
        'revenue; and the active products below LOW_STOCK_THRESHOLD now. 400 when `from` is after `to` or the ' +
        'range has more than 366 days (granularity=day) or 120 months (month).',
      auth: 'admin',
      query: orderStatsQuery,
      response: orderStatsSchema,
    },
    controller.stats,
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

  api.post(
    '/:id/cancel',
    {
      summary: 'Cancel your order (PENDING, PAID or PROCESSING)',
      description:
        'Restocks in the same transaction and gives a coupon use back; a paid order gets its refund requested ' +
        "(carried out by payments). 422 ORDER_CANNOT_CANCEL from any other status; 404 for another user's order.",
      auth: 'user',
      params: orderIdParams,
      body: cancelOrderBody,
      response: orderSchema,
      errors: [404, 422],
    },
    controller.cancel,
  );

  api.get(
    '/:id/tracking',
    {
      summary: "An order's tracking: carrier, tracking number and the status history",
      auth: 'user',
      params: orderIdParams,
      response: trackingSchema,
      errors: [404],
    },
    controller.tracking,
  );

  api.get(
    '/:id/invoice',
    {
      summary: "An order's invoice (PDF)",
      description:
        "Rendered from the order's snapshots: lines, totals and shipping address as placed. Shown inline " +
        '(`Content-Disposition: inline; filename="invoice-<orderNumber>.pdf"`). 404 ORDER_NOT_FOUND for ' +
        "another user's order (an admin: any order).",
      auth: 'user',
      params: orderIdParams,
      produces: 'application/pdf',
      errors: [404],
    },
    controller.invoice,
  );

  api.patch(
    '/:id/status',
    {
      summary: "Change an order's status (admin)",
      description:
        "Only the contract's transitions (422 INVALID_STATUS_TRANSITION otherwise). PENDING → PAID is the manual " +
        'payment path (bank transfer, cash; works without Stripe). CANCELLED restocks and requests the refund of a ' +
        'paid order. Kept in the history, mailed to the customer, audited.',
      auth: 'admin',
      params: orderIdParams,
      body: changeStatusBody,
      response: orderSchema,
      errors: [404, 422],
    },
    controller.changeStatus,
  );

  return api;
}
