import { NotFoundError, UnprocessableError } from '../../common/errors';
import { listPayload } from '../../common/pagination';
import type { RequestContext } from '../../common/request-context';
import type { TransactionRunner } from '../../lib/prisma';
import type { AuditService } from '../audit/audit.service';
import type { ListOutboxQuery, PublicOutboxEvent } from './outbox.schemas';
import type { OutboxEventSummary, OutboxRepository } from './outbox.repository';

function toPublic(row: OutboxEventSummary): PublicOutboxEvent {
  return {
    id: String(row.id),
    type: row.type,
    aggregateType: row.aggregateType,
    aggregateId: row.aggregateId,
    status: row.status,
    attempts: row.attempts,
    retryCount: row.retryCount,
    lastError: row.lastError,
    availableAt: row.availableAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    processedAt: row.processedAt?.toISOString() ?? null,
  };
}

/**
 * The outbox's dead letters for admins (GET /admin/outbox, POST /admin/outbox/:id/retry, npm run outbox:retry).
 * A retry sends a FAILED row back to the relay, which publishes it under a new job id; every retry is audited.
 */
export class OutboxAdminService {
  constructor(
    private readonly transaction: TransactionRunner,
    private readonly outbox: OutboxRepository,
    private readonly audit: AuditService,
  ) {}

  async list(query: ListOutboxQuery) {
    const { rows, total } = await this.outbox.list(query);
    return listPayload('events', rows.map(toPublic), total, query);
  }

  async retry(context: RequestContext, id: bigint): Promise<PublicOutboxEvent> {
    const moved = await this.transaction(async (tx) => {
      const [retried] = await this.outbox.retryFailed([id], new Date(), tx);
      if (retried === undefined) return false;
      await this.audit.record(
        context,
        { action: 'outbox.retried', entityType: 'outbox_event', entityId: String(id) },
        tx,
      );
      return true;
    });
    const row = await this.outbox.findSummary(id);
    if (!row) throw new NotFoundError('Outbox event');
    if (!moved) {
      throw new UnprocessableError(
        'OUTBOX_EVENT_NOT_FAILED',
        `Only a FAILED outbox event can be retried; this one is ${row.status}`,
        { status: row.status },
      );
    }
    return toPublic(row);
  }

  /** Every FAILED row back to PENDING at once; one audit row lists them. Returns their ids. */
  async retryAllFailed(context: RequestContext): Promise<string[]> {
    return this.transaction(async (tx) => {
      const ids = (await this.outbox.retryFailed('all', new Date(), tx)).map(String);
      if (ids.length > 0) {
        await this.audit.record(
          context,
          { action: 'outbox.retried_all', entityType: 'outbox_event', metadata: { ids } },
          tx,
        );
      }
      return ids;
    });
  }
}
