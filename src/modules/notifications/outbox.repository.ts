import type { OutboxEvent, OutboxStatus } from '../../generated/prisma/client';
import { SQL_UTC_NOW, type DbClient, type Prisma } from '../../lib/prisma';

export type { OutboxEvent, OutboxStatus };

/** An outbox row without its payload (which may hold secrets: a reset token, a verification link). */
export type OutboxEventSummary = Omit<OutboxEvent, 'payload'>;

const SUMMARY = {
  id: true,
  type: true,
  aggregateType: true,
  aggregateId: true,
  status: true,
  attempts: true,
  retryCount: true,
  lastError: true,
  availableAt: true,
  createdAt: true,
  processedAt: true,
} satisfies Prisma.OutboxEventSelect;

export interface NewOutboxEvent {
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: Prisma.InputJsonValue;
}

/**
 * Every Prisma call on outbox_events outside the relay's claim (outbox-relay.ts). Delivery state per row:
 * PENDING → (relay) PUBLISHED → (worker) DONE, or FAILED as a dead letter that an admin may send back to PENDING.
 */
export class OutboxRepository {
  constructor(private readonly db: DbClient) {}

  /** One row, usually in the caller's transaction (raw SQL: it is on the checkout's hot path). */
  async insert(event: NewOutboxEvent, tx: DbClient = this.db): Promise<void> {
    await this.insertMany([event], tx);
  }

  /** Several rows as one statement. Timestamps in UTC, as Prisma writes them (see SQL_UTC_NOW). */
  async insertMany(events: NewOutboxEvent[], tx: DbClient = this.db): Promise<void> {
    if (events.length === 0) return;
    await tx.$executeRaw`
      INSERT INTO outbox_events (type, aggregate_type, aggregate_id, payload, available_at, created_at)
      SELECT e.type, e.aggregate_type, e.aggregate_id, e.payload, ${SQL_UTC_NOW}, ${SQL_UTC_NOW}
        FROM unnest(${events.map((e) => e.type)}::text[], ${events.map((e) => e.aggregateType)}::text[],
                    ${events.map((e) => e.aggregateId)}::text[],
                    ${events.map((e) => JSON.stringify(e.payload))}::jsonb[])
               WITH ORDINALITY AS e(type, aggregate_type, aggregate_id, payload, ordinal)
       ORDER BY e.ordinal`;
  }

  async isDone(id: bigint): Promise<boolean> {
    const row = await this.db.outboxEvent.findUnique({ where: { id }, select: { status: true } });
    return row?.status === 'DONE';
  }

  /** After the processor succeeded. Conditional: a redelivered job finding the row DONE changes nothing. */
  async markDone(id: bigint, now = new Date()): Promise<boolean> {
    const { count } = await this.db.outboxEvent.updateMany({
      where: { id, status: { not: 'DONE' } },
      data: { status: 'DONE', attempts: { increment: 1 }, lastError: null, processedAt: now },
    });
    return count === 1;
  }

  /** A failed attempt of the processor; the last one (`final`) makes the row a dead letter. */
  async recordFailure(id: bigint, lastError: string, final: boolean, now = new Date()): Promise<void> {
    await this.db.outboxEvent.updateMany({
      where: { id, status: { not: 'DONE' } },
      data: {
        attempts: { increment: 1 },
        lastError,
        ...(final ? { status: 'FAILED' as const, processedAt: now } : {}),
      },
    });
  }

  /** PUBLISHED rows, oldest first: each should have its job on its queue. */
  published(limit: number): Promise<Array<{ id: bigint; type: string; retryCount: number }>> {
    return this.db.outboxEvent.findMany({
      where: { status: 'PUBLISHED' },
      select: { id: true, type: true, retryCount: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
  }

  /** A PUBLISHED row whose job is gone goes back to the relay (the same job id: publishing it again is safe). */
  async requeue(id: bigint, now = new Date()): Promise<boolean> {
    const { count } = await this.db.outboxEvent.updateMany({
      where: { id, status: 'PUBLISHED' },
      data: { status: 'PENDING', availableAt: now },
    });
    return count === 1;
  }

  findSummary(id: bigint): Promise<OutboxEventSummary | null> {
    return this.db.outboxEvent.findUnique({ where: { id }, select: SUMMARY });
  }

  async list(filter: {
    status?: OutboxStatus;
    type?: string;
    skip: number;
    limit: number;
  }): Promise<{ rows: OutboxEventSummary[]; total: number }> {
    const where: Prisma.OutboxEventWhereInput = { status: filter.status, type: filter.type };
    const [rows, total] = await Promise.all([
      this.db.outboxEvent.findMany({
        where,
        select: SUMMARY,
        orderBy: { id: 'desc' },
        skip: filter.skip,
        take: filter.limit,
      }),
      this.db.outboxEvent.count({ where }),
    ]);
    return { rows, total };
  }

  /**
   * Sends dead letters back to the relay, due now, with their attempts kept; `retryCount` + 1 gives the next
   * publication a new job id. Only FAILED rows move (a concurrent retry or a row in flight is left alone).
   * Returns the ids that moved.
   */
  async retryFailed(ids: bigint[] | 'all', now = new Date(), tx: DbClient = this.db): Promise<bigint[]> {
    const rows = await tx.outboxEvent.updateManyAndReturn({
      where: ids === 'all' ? { status: 'FAILED' } : { id: { in: ids }, status: 'FAILED' },
      data: { status: 'PENDING', retryCount: { increment: 1 }, availableAt: now, processedAt: null },
      select: { id: true },
    });
    return rows.map((row) => row.id);
  }
}
