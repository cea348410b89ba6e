import type { Request, Response } from 'express';
import { responseMeta } from '../../common/http';
import { sendData } from '../../common/http';
import type { ActorContext } from '../../common/request-context';
import type { Prisma } from '../../lib/prisma';
import {
  IDEMPOTENCY_HEADER,
  REPLAYED_HEADER,
  type IdempotencyService,
} from '../idempotency/idempotency.service';
import type { OrderInvoiceService } from './order-invoice.service';
import type { OrderStatsService } from './order-stats.service';
import type { OrderService } from './orders.service';
import type {
  AdminListOrdersQuery,
  ChangeStatusInput,
  CreateOrderInput,
  ListOrdersQuery,
  OrderStatsQuery,
} from './orders.schemas';

interface Http {
  req: Request;
  res: Response;
  context: ActorContext;
}
interface IdParams {
  params: { id: string };
}

/** HTTP in/out for orders: reads validated input, calls the service, sends the envelope. */
export class OrderController {
  constructor(
    private readonly orders: OrderService,
    private readonly idempotency: IdempotencyService,
    private readonly statistics: OrderStatsService,
    private readonly invoices: OrderInvoiceService,
  ) {}

  /** POST /orders, under an optional Idempotency-Key: the stored first response is replayed byte for byte. */
  create = async ({ req, res, context, body }: Http & { body: CreateOrderInput }): Promise<void> => {
    const outcome = await this.idempotency.run(
      {
        userId: context.actor.id,
        key: req.get(IDEMPOTENCY_HEADER),
        method: req.method,
        path: `${req.baseUrl}${req.path}`.replace(/\/$/, ''),
        body: req.body as unknown,
      },
      async () => {
        const order = await this.orders.placeOrder(context, body);
        return {
          status: 201,
          headers: { Location: `/api/v1/orders/${order.id}` },
          body: { data: order, status: 201, message: 'Order placed' } as unknown as Prisma.InputJsonValue,
        };
      },
    );
    const { status, headers, body: payload } = outcome.response;
    res.set(headers);
    if (outcome.replayed) res.set(REPLAYED_HEADER, 'true');
    res.status(status).json({ ...(payload as object), meta: responseMeta(res) });
  };

  list = async ({ res, context, query }: Http & { query: ListOrdersQuery }): Promise<void> => {
    sendData(res, await this.orders.listOwn(context, query));
  };

  get = async ({ res, context, params }: Http & IdParams): Promise<void> => {
    sendData(res, await this.orders.get(context, params.id));
  };

  listAll = async ({ res, query }: Http & { query: AdminListOrdersQuery }): Promise<void> => {
    sendData(res, await this.orders.listAll(query));
  };

  cancel = async ({ res, context, params, body }: Http & IdParams & { body: { reason?: string } }) => {
    sendData(res, await this.orders.cancel(context, params.id, body.reason), { message: 'Order cancelled' });
  };

  changeStatus = async ({ res, context, params, body }: Http & IdParams & { body: ChangeStatusInput }) => {
    sendData(res, await this.orders.changeStatus(context, params.id, body), {
      message: 'Order status changed',
    });
  };

  tracking = async ({ res, context, params }: Http & IdParams): Promise<void> => {
    sendData(res, await this.orders.tracking(context, params.id));
  };

  stats = async ({ res, query }: Http & { query: OrderStatsQuery }): Promise<void> => {
    sendData(res, await this.statistics.overview(query));
  };

  invoice = async ({ res, context, params }: Http & IdParams): Promise<void> => {
    const { filename, pdf } = await this.invoices.render(context, params.id);
    res
      .status(200)
      .type('application/pdf')
      .set('Content-Disposition', `inline; filename="${filename}"`)
      .set('Cache-Control', 'private, no-store')
      .send(pdf);
  };
}
