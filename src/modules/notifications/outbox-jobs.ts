import {
  Queue,
  UnrecoverableError,
  Worker,
  type ConnectionOptions,
  type DefaultJobOptions,
  type Job,
} from 'bullmq';
import type { Logger } from '../../lib/logger';
import type { OutboxEventType } from './outbox-events';
import {
  errorMessage,
  OutboxPermanentError,
  type OutboxEventRecord,
  type OutboxHandler,
} from './outbox-relay';
import type { OutboxRepository } from './outbox.repository';

/** What an outbox job carries: the row it delivers (its delivery state lives there) and the row's payload. */
export interface OutboxJobData {
  outboxId: string;
  payload: unknown;
}

export type OutboxQueue = Queue<OutboxJobData, void, string>;
export type OutboxWorker = Worker<OutboxJobData, void, string>;

/**
 * One kind of background job fed by the outbox: rows of `eventType` become jobs named `jobName` on `queue`, run by
 * `process`. Built with `jobKind()`, which checks the payload before `process` sees it.
 */
export interface JobKind {
  eventType: OutboxEventType;
  queue: string;
  jobName: string;
  /** attempts, backoff and retention of this kind's jobs. */
  jobOptions: DefaultJobOptions;
  concurrency: number;
  /** Whether a payload can ever be processed; the relay fails a row whose payload cannot at once. */
  accepts(payload: unknown): boolean;
  process(payload: unknown): Promise<void>;
}

export function jobKind<P>(
  spec: Omit<JobKind, 'accepts' | 'process'> & {
    accepts: (payload: unknown) => payload is P;
    process: (payload: P) => Promise<void>;
  },
): JobKind {
  return {
    ...spec,
    async process(payload) {
      if (!spec.accepts(payload)) throw new UnrecoverableError(`invalid ${spec.eventType} payload`);
      await spec.process(payload);
    },
  };
}

/** Every BullMQ key lives under the application's Redis prefix: `<prefix>:bull:<queue>:…`. */
export function bullPrefix(config: { REDIS_KEY_PREFIX: string }): string {
  return `${config.REDIS_KEY_PREFIX}:bull`;
}

/**
 * Connection options for BullMQ classes. Each Queue/Worker opens (and on close, closes) its own connections with
 * the ioredis version BullMQ ships; `maxRetriesPerRequest: null` as BullMQ requires for blocking commands.
 */
export function bullConnection(redisUrl: string): ConnectionOptions {
  return { url: redisUrl, maxRetriesPerRequest: null };
}

/**
 * The job id of an outbox row's publication: BullMQ ignores an add whose job id exists, so publishing a row again
 * is a no-op. A manual retry of a dead letter needs a new id (BullMQ keeps the failed job under the old one).
 */
export function outboxJobId(eventId: bigint | number | string, retryCount = 0): string {
  return retryCount > 0 ? `outbox-${eventId}-r${retryCount}` : `outbox-${eventId}`;
}

export function retriedJobOptions({ attempts, backoffMs }: { attempts: number; backoffMs: number }) {
  return {
    attempts,
    // delay · 2^(attempt-1): with 5 s and 8 attempts the last retry comes ~10 min after the first failure.
    backoff: { type: 'exponential', delay: backoffMs, jitter: 0.2 },
    // Finished jobs stay a day (the dedupe window for a re-published outbox row), bounded in number; failed ones
    // two weeks, for inspection (their row is FAILED in Postgres, which is what admins look at).
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 14 * 24 * 3600, count: 10_000 },
  } satisfies DefaultJobOptions;
}

export function createOutboxQueue(
  kind: JobKind,
  connection: ConnectionOptions,
  prefix: string,
  logger: Logger,
): OutboxQueue {
  const queue: OutboxQueue = new Queue(kind.queue, {
    connection,
    prefix,
    defaultJobOptions: kind.jobOptions,
  });
  queue.on('error', (error) => logger.warn('queue error', { queue: kind.queue, error: error.message }));
  return queue;
}

/** The relay's handler for one kind: one job per row, its id derived from the row. */
export function outboxPublisher(kind: JobKind, queue: OutboxQueue): OutboxHandler {
  return async (event: OutboxEventRecord) => {
    if (!kind.accepts(event.payload)) {
      throw new OutboxPermanentError(`payload is not a valid ${kind.eventType} payload`);
    }
    const data: OutboxJobData = { outboxId: String(event.id), payload: event.payload };
    await queue.add(kind.jobName, data, { jobId: outboxJobId(event.id, event.retryCount) });
  };
}

/**
 * Whether this failure is the job's last, so BullMQ will not run it again. `attemptsMade` counts the attempts that
 * ended before: while the job runs, this one is not in it yet; in the `failed` event it is (`ended`).
 */
function isFinalAttempt(job: Job<OutboxJobData, void, string>, error: unknown, ended = 0): boolean {
  return error instanceof UnrecoverableError || job.attemptsMade + 1 - ended >= (job.opts.attempts ?? 1);
}

/**
 * Runs one job of an outbox kind and records the outcome on its row. A row already DONE is skipped: a redelivered
 * job (stalled and taken over, re-published under another id) never does the work twice once it was recorded.
 *
 * Residual at-least-once window: between `kind.process` returning (the mail handed to SMTP, the refund made) and
 * `markDone` committing. A crash or a database error in that window leaves the row PUBLISHED and the job is run
 * again, so the effect can happen twice. Refunds are safe (Stripe's idempotency key per refund row); an e-mail may
 * then arrive twice. Closing it would need the receiving side to deduplicate (SMTP cannot).
 */
export async function runOutboxJob(
  kind: JobKind,
  job: Job<OutboxJobData, void, string>,
  outbox: OutboxRepository,
  logger: Logger,
): Promise<void> {
  const id = BigInt(job.data.outboxId);
  if (await outbox.isDone(id)) {
    logger.info('outbox job skipped: its row is already done', { queue: kind.queue, jobId: job.id });
    return;
  }
  try {
    await kind.process(job.data.payload);
  } catch (error) {
    const final = isFinalAttempt(job, error);
    await outbox.recordFailure(id, errorMessage(error), final).catch((recordError: unknown) =>
      logger.error('outbox job failure could not be recorded', {
        queue: kind.queue,
        jobId: job.id,
        error: errorMessage(recordError),
      }),
    );
    throw error;
  }
  await outbox.markDone(id);
}

const RECOVERY_BATCH_SIZE = 500;

/**
 * The outbox-recovery sweep. Redis may lose everything (a restart without persistence, a failover): a PUBLISHED row
 * whose job is gone goes back to PENDING and the relay publishes it again. A job that failed without its row being
 * marked (it stalled more often than BullMQ allows, or the database was unreachable when it failed) makes the row
 * FAILED. Safe in parallel: both writes are conditional on the row still being PUBLISHED / not DONE.
 */
export async function recoverLostJobs(
  outbox: OutboxRepository,
  queuesByEventType: Record<string, OutboxQueue>,
): Promise<{ requeued: number; failed: number }> {
  const result = { requeued: 0, failed: 0 };
  for (const row of await outbox.published(RECOVERY_BATCH_SIZE)) {
    const queue = Object.hasOwn(queuesByEventType, row.type) ? queuesByEventType[row.type] : undefined;
    if (!queue) continue;
    const job = await queue.getJob(outboxJobId(row.id, row.retryCount));
    if (!job) {
      if (await outbox.requeue(row.id)) result.requeued += 1;
    } else if (await job.isFailed()) {
      await outbox.recordFailure(row.id, job.failedReason || 'job failed', true);
      result.failed += 1;
    }
  }
  return result;
}

export function createOutboxWorker(
  kind: JobKind,
  deps: { connection: ConnectionOptions; prefix: string; outbox: OutboxRepository; logger: Logger },
): OutboxWorker {
  const { logger } = deps;
  const worker: OutboxWorker = new Worker(kind.queue, (job) => runOutboxJob(kind, job, deps.outbox, logger), {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: kind.concurrency,
  });
  worker.on('error', (error) => logger.warn('worker error', { queue: kind.queue, error: error.message }));
  worker.on('completed', (job) =>
    logger.info('job done', { queue: kind.queue, jobId: job.id, attempts: job.attemptsMade }),
  );
  worker.on('failed', (job, error) => {
    if (!job) return;
    const meta = { queue: kind.queue, jobId: job.id, attemptsMade: job.attemptsMade, error: error.message };
    if (isFinalAttempt(job, error, 1)) logger.error('job failed permanently (outbox row FAILED)', meta);
    else logger.warn('job failed, will retry', meta);
  });
  return worker;
}
