import type { Logger } from '../../lib/logger';
import { Prisma, SQL_UTC_NOW, type Db, type Tx } from '../../lib/prisma';

/** An outbox row as the relay hands it to a handler. */
export interface OutboxEventRecord {
  id: bigint;
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: unknown;
  attempts: number;
  /** Manual retries of this row so far (part of the job id). */
  retryCount: number;
}

/**
 * Publishes one event to where it is processed (a BullMQ queue). It must be idempotent per event id — the relay
 * publishes again when it could not record the first publication (crash, timeout) — e.g. by using the event id as
 * the job id. Throw `OutboxPermanentError` for an event that can never be published (the row becomes FAILED); any
 * other error is retried later with backoff.
 */
export type OutboxHandler = (event: OutboxEventRecord) => Promise<void>;

export class OutboxPermanentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboxPermanentError';
  }
}

export interface OutboxRelayOptions {
  prisma: Db;
  logger: Logger;
  /** Handlers by event type. Rows of any other type are marked FAILED. */
  handlers: Record<string, OutboxHandler>;
  /** Rows claimed per transaction. */
  batchSize: number;
  /** Pause between polls when the outbox is drained. */
  pollIntervalMs: number;
  /** A handler slower than this counts as failed (Redis unreachable); default 10 s. */
  publishTimeoutMs?: number;
  /** Upper bound of the retry delay of a row whose publication failed; default 5 min. */
  maxRetryDelayMs?: number;
}

export interface RelayRunResult {
  claimed: number;
  published: number;
  retried: number;
  failed: number;
}

interface ClaimedRow {
  id: bigint;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: unknown;
  attempts: number;
  retry_count: number;
}

const MAX_ERROR_LENGTH = 2000;

/** An error as stored in `last_error` and logged: its name and message, bounded. */
export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return message.slice(0, MAX_ERROR_LENGTH);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`publish timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Moves committed outbox rows to their queues. Each run claims a batch of due PENDING rows with
 * `FOR UPDATE SKIP LOCKED` inside a transaction (so concurrent relays — API and worker processes, several replicas —
 * never take the same row), publishes them, and marks them PUBLISHED in the same transaction; the queue's worker
 * marks them DONE (or FAILED) once their job has run (outbox-jobs.ts). A crash after publishing but before the
 * commit leaves the rows PENDING; they are published again and the queue drops the duplicate by job id. Publication
 * failures keep the row PENDING with `attempts`, `last_error` and a backed-off `available_at`.
 */
export class OutboxRelay {
  private readonly publishTimeoutMs: number;
  private readonly maxRetryDelayMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private rerun = false;
  private started = false;

  constructor(private readonly options: OutboxRelayOptions) {
    this.publishTimeoutMs = options.publishTimeoutMs ?? 10_000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 5 * 60_000;
  }

  /** Starts polling (first run immediately). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.kick();
  }

  /** Runs as soon as possible (after the current run, if one is in progress). */
  kick(): void {
    if (!this.started) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.loop().finally(() => {
      this.running = undefined;
      if (!this.started) return;
      if (this.rerun) {
        this.rerun = false;
        this.kick();
      } else {
        this.timer = setTimeout(() => this.kick(), this.options.pollIntervalMs);
      }
    });
  }

  /** Stops polling and waits for the batch in progress. */
  async stop(): Promise<void> {
    this.started = false;
    this.rerun = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Drains the due rows: batch after batch while full batches come back. */
  private async loop(): Promise<void> {
    try {
      for (;;) {
        const result = await this.runOnce();
        if (!this.started || result.claimed < this.options.batchSize) return;
      }
    } catch (error) {
      this.options.logger.warn('outbox relay run failed', { error: errorMessage(error) });
    }
  }

  /** Claims, publishes and records one batch. Exposed for tests and one-off drains. */
  async runOnce(): Promise<RelayRunResult> {
    const { prisma, batchSize } = this.options;
    // The transaction holds the row locks while publishing: bound it by the publish timeout plus headroom.
    return prisma.$transaction(async (tx) => this.processBatch(tx, batchSize), {
      maxWait: 10_000,
      timeout: this.publishTimeoutMs + 20_000,
    });
  }

  private async processBatch(tx: Tx, batchSize: number): Promise<RelayRunResult> {
    const rows = await tx.$queryRaw<ClaimedRow[]>`
      SELECT id, type, aggregate_type, aggregate_id, payload, attempts, retry_count
        FROM outbox_events
       WHERE status = 'PENDING' AND available_at <= ${SQL_UTC_NOW}
       ORDER BY id
       LIMIT ${batchSize}
         FOR UPDATE SKIP LOCKED`;
    const result: RelayRunResult = { claimed: rows.length, published: 0, retried: 0, failed: 0 };
    if (rows.length === 0) return result;

    const outcomes = await Promise.all(
      rows.map(async (row) => {
        const handler = Object.hasOwn(this.options.handlers, row.type)
          ? this.options.handlers[row.type]
          : undefined;
        if (!handler)
          return { row, error: new OutboxPermanentError(`no handler for event type "${row.type}"`) };
        try {
          await withTimeout(
            handler({
              id: row.id,
              type: row.type,
              aggregateType: row.aggregate_type,
              aggregateId: row.aggregate_id,
              payload: row.payload,
              attempts: row.attempts,
              retryCount: row.retry_count,
            }),
            this.publishTimeoutMs,
          );
          return { row, error: undefined };
        } catch (error) {
          return { row, error };
        }
      }),
    );

    // The rows stay locked until COMMIT: a worker that already ran a job waits here before marking its row DONE.
    const published = outcomes.filter((o) => o.error === undefined).map((o) => o.row.id);
    if (published.length > 0) {
      await tx.$executeRaw`
        UPDATE outbox_events SET status = 'PUBLISHED' WHERE id IN (${Prisma.join(published)})`;
      result.published = published.length;
    }
    for (const { row, error } of outcomes) {
      if (error === undefined) continue;
      const lastError = errorMessage(error);
      if (error instanceof OutboxPermanentError) {
        result.failed += 1;
        this.options.logger.error('outbox event failed permanently', {
          id: String(row.id),
          type: row.type,
          lastError,
        });
        await tx.$executeRaw`
          UPDATE outbox_events
             SET status = 'FAILED', attempts = attempts + 1, processed_at = ${SQL_UTC_NOW}, last_error = ${lastError}
           WHERE id = ${row.id}`;
      } else {
        result.retried += 1;
        const delayMs = Math.min(1000 * 2 ** Math.min(row.attempts, 20), this.maxRetryDelayMs);
        this.options.logger.warn('outbox publish failed, will retry', {
          id: String(row.id),
          type: row.type,
          attempts: row.attempts + 1,
          retryInMs: delayMs,
          lastError,
        });
        await tx.$executeRaw`
          UPDATE outbox_events
             SET attempts = attempts + 1, last_error = ${lastError},
                 available_at = ${SQL_UTC_NOW} + ${delayMs}::int * interval '1 millisecond'
           WHERE id = ${row.id}`;
      }
    }
    return result;
  }
}
