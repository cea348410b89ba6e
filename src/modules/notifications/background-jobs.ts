import type { Config } from '../../config/env';
import type { Logger } from '../../lib/logger';
import type { Mailer } from '../../lib/mailer';
import type { Db } from '../../lib/prisma';
import { jobKinds, type JobKindsDeps } from './job-kinds';
import {
  maintenanceTasks,
  startMaintenance,
  type Maintenance,
  type MaintenanceServices,
} from './maintenance';
import {
  bullConnection,
  bullPrefix,
  createOutboxQueue,
  createOutboxWorker,
  outboxPublisher,
  recoverLostJobs,
  type OutboxQueue,
  type OutboxWorker,
} from './outbox-jobs';
import { OutboxRelay, type OutboxHandler } from './outbox-relay';
import type { OutboxRepository } from './outbox.repository';

export interface BackgroundJobDeps {
  config: Config;
  logger: Logger;
  prisma: Db;
  mailer: Mailer;
  outbox: OutboxRepository;
  /** What the job processors and the scheduled sweeps call. */
  services: MaintenanceServices & { payments: JobKindsDeps['payments'] };
  /** BullMQ opens its own connections to this Redis. */
  redisUrl: string;
}

export interface BackgroundJobs {
  relay: OutboxRelay;
  /** The outbox-fed queues by name (`email`, `payments`). */
  queues: Record<string, OutboxQueue>;
  /** The relay's publishers by event type (for a one-off relay, e.g. a drain in a test). */
  handlers: Record<string, OutboxHandler>;
  maintenance: Maintenance;
  /** Stops the relay, lets the workers finish their jobs (bounded by SHUTDOWN_TIMEOUT_MS), closes the queues. */
  stop(): Promise<void>;
}

function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Starts everything that runs outside the request cycle: the outbox relay (outbox rows → the queue of their job
 * kind, job-kinds.ts), one worker per queue, and the scheduled sweeps (maintenance.ts). Runs in the worker process
 * (src/worker.ts) and, with RUN_JOBS_IN_API, inside the API process. Several instances may run side by side: the
 * relay claims rows with SKIP LOCKED, jobs are deduplicated by id, a job runs on one worker at a time, and the job
 * schedulers are upserted by id.
 */
export function startBackgroundJobs({
  config,
  logger,
  prisma,
  mailer,
  outbox,
  services,
  redisUrl,
}: BackgroundJobDeps): BackgroundJobs {
  const connection = bullConnection(redisUrl);
  const prefix = bullPrefix(config);

  const kinds = jobKinds({ config, mailer, payments: services.payments });
  const queues: Record<string, OutboxQueue> = {};
  const queuesByEventType: Record<string, OutboxQueue> = {};
  const handlers: Record<string, OutboxHandler> = {};
  const workers: OutboxWorker[] = [];
  for (const kind of kinds) {
    const queue = createOutboxQueue(kind, connection, prefix, logger);
    queues[kind.queue] = queue;
    queuesByEventType[kind.eventType] = queue;
    handlers[kind.eventType] = outboxPublisher(kind, queue);
    workers.push(createOutboxWorker(kind, { connection, prefix, outbox, logger }));
  }
  const relay = new OutboxRelay({
    prisma,
    logger,
    handlers,
    batchSize: config.OUTBOX_BATCH_SIZE,
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
  });
  relay.start();
  const tasks = [
    ...maintenanceTasks(config, services),
    {
      name: 'recover-outbox-jobs',
      everyMs: config.OUTBOX_RECOVERY_INTERVAL_MS,
      run: () => recoverLostJobs(outbox, queuesByEventType),
    },
  ];
  const maintenance = startMaintenance(tasks, { connection, prefix, logger });
  logger.info('background jobs started', {
    queues: [...Object.keys(queues), maintenance.queue.name],
    schedulers: maintenance.tasks.map((task) => ({ name: task.name, everyMs: task.everyMs })),
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
  });

  let stopping: Promise<void> | undefined;
  return {
    relay,
    queues,
    handlers,
    maintenance,
    stop() {
      stopping ??= (async () => {
        await relay.stop();
        // A job still running after the timeout is left to BullMQ's stalled-job recovery (another worker retries it).
        // The schedulers' registration is awaited too (bounded: it waits for Redis), so no queue closes under it.
        const closed = await within(
          Promise.all([
            maintenance.ready,
            ...[...workers, maintenance.worker].map((worker) => worker.close()),
          ]),
          config.SHUTDOWN_TIMEOUT_MS,
        );
        if (!closed) logger.warn('workers did not finish their jobs in time; they will be retried');
        await Promise.all(
          [...Object.values(queues), maintenance.queue].map((queue) => queue.close().catch(() => undefined)),
        );
        logger.info('background jobs stopped');
      })();
      return stopping;
    },
  };
}
