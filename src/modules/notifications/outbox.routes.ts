import { ApiRouter } from '../../middleware/api-router';
import type { RouterDeps } from '../../middleware/router-deps';
import { OutboxController } from './outbox.controller';
import type { OutboxAdminService } from './outbox-admin.service';
import { listOutboxQuery, outboxEventListSchema, outboxEventSchema, outboxIdParams } from './outbox.schemas';

/** Mounted at /api/v1/admin/outbox: the outbox's delivery state and its dead letters. */
export function outboxRoutes({ docs, guards }: RouterDeps, outbox: OutboxAdminService): ApiRouter {
  const api = new ApiRouter(docs, guards, '/admin/outbox', 'Admin: outbox');
  const controller = new OutboxController(outbox);

  api.get(
    '/',
    {
      summary: 'List outbox events (admin)',
      description:
        'Newest first, `?status=FAILED` for the dead letters (with `attempts` and `lastError`). PENDING: waiting ' +
        'for the relay; PUBLISHED: its job is queued or running; DONE: carried out; FAILED: no handler, an invalid ' +
        'payload, or the last attempt failed. Payloads are not shown.',
      auth: 'admin',
      query: listOutboxQuery,
      response: outboxEventListSchema,
    },
    controller.list,
  );

  api.post(
    '/:id/retry',
    {
      summary: 'Retry a failed outbox event (admin)',
      description:
        'Sets a FAILED event back to PENDING (attempts kept, due now); the relay publishes it again under a new job ' +
        'id. Audited. 404 OUTBOX_EVENT_NOT_FOUND for an unknown id; 422 OUTBOX_EVENT_NOT_FAILED for an event in ' +
        'any other state.',
      auth: 'admin',
      params: outboxIdParams,
      response: outboxEventSchema,
      errors: [404, 422],
    },
    controller.retry,
  );

  return api;
}
