import type { Request, Response } from 'express';
import { sendData } from '../../common/http';
import type { ActorContext, RequestContext } from '../../common/request-context';
import type { RefundInput } from './payments.schemas';
import type { PaymentService } from './payments.service';

interface Http {
  res: Response;
}

/** HTTP in/out for payments: reads validated input, calls the service, sends the envelope. */
export class PaymentController {
  constructor(private readonly payments: PaymentService) {}

  createIntent = async ({
    res,
    body,
    context,
  }: Http & { body: { orderId: string }; context: ActorContext }): Promise<void> => {
    sendData(res, await this.payments.createIntent(context, body.orderId));
  };

  getForOrder = async ({
    res,
    params,
    context,
  }: Http & { params: { orderId: string }; context: ActorContext }): Promise<void> => {
    sendData(res, await this.payments.getForOrder(context, params.orderId));
  };

  refund = async ({
    res,
    params,
    body,
    context,
  }: Http & { params: { paymentId: string }; body: RefundInput; context: ActorContext }): Promise<void> => {
    sendData(res, await this.payments.refund(context, params.paymentId, body), { message: 'Refunded' });
  };

  /** The body is the raw bytes Stripe signed (express.raw on this path only, mounted before the JSON parser). */
  webhook = async ({
    req,
    res,
    context,
  }: Http & { req: Request; context: RequestContext }): Promise<void> => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    sendData(res, await this.payments.handleWebhook(context, rawBody, req.headers['stripe-signature']));
  };
}
