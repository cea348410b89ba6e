import type { Response } from 'express';
import { sendData } from '../../common/http';
import type { ActorContext } from '../../common/request-context';
import type { OutboxAdminService } from './outbox-admin.service';
import type { ListOutboxQuery } from './outbox.schemas';

interface Http {
  res: Response;
}

/** HTTP in/out for `/admin/outbox`. */
export class OutboxController {
  constructor(private readonly outbox: OutboxAdminService) {}

  list = async ({ res, query }: Http & { query: ListOutboxQuery }): Promise<void> => {
    sendData(res, await this.outbox.list(query));
  };

  retry = async ({
    res,
    params,
    context,
  }: Http & { params: { id: bigint }; context: ActorContext }): Promise<void> => {
    sendData(res, await this.outbox.retry(context, params.id), { message: 'Outbox event queued again' });
  };
}
