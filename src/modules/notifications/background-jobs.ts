import type { Config } from '../../config/env';
import type { Logger } from '../../lib/logger';
import type { Mailer } from '../../lib/mailer';
import type { Db } from '../../lib/prisma';
import { bullConnection, createEmailQueue, emailOutboxHandler, type EmailQueue } from './email.queue';
import { createEmailWorker, type EmailWorker } from './email.worker';
import { EMAIL_EVENT } from './notifications.service';
import { OutboxRelay } from './outbox-relay';

export interface BackgroundJobDeps {
  config: Config;
  logger: Logger;
  prisma: Db;
  mailer: Mailer;
  /** BullMQ opens its own connections to this Redis. */
  redisUrl: string;
}

export interface BackgroundJobs {
  relay: OutboxRelay;
  emailQueue: EmailQueue;
  emailWorker: EmailWorker;
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
 * Starts everything that runs outside the request cycle: the outbox relay (outbox rows → BullMQ queues) and the
 * queue workers. Runs in the worker process (src/worker.ts) and, with RUN_JOBS_IN_API, inside the API process.
 * Several instances may run side by side: the relay claims rows with SKIP LOCKED and jobs are deduplicated by id.
 */
export function startBackgroundJobs({
  config,
  logger,
  prisma,
  mailer,
  redisUrl,
}: BackgroundJobDeps): BackgroundJobs {
  const connection = bullConnection(redisUrl);

  const emailQueue = createEmailQueue(connection, config, logger);
  const emailWorker = createEmailWorker({ connection, mailer, logger, config });
  const relay = new OutboxRelay({
    prisma,
    logger,
    handlers: { [EMAIL_EVENT]: emailOutboxHandler(emailQueue) },
    batchSize: config.OUTBOX_BATCH_SIZE,
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
  });
  relay.start();
  logger.info('background jobs started', {
    queues: [emailQueue.name],
    pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
  });

  let stopping: Promise<void> | undefined;
  return {
    relay,
    emailQueue,
    emailWorker,
    stop() {
      stopping ??= (async () => {
        await relay.stop();
        // A job still running after the timeout is left to BullMQ's stalled-job recovery (another worker retries it).
        if (!(await within(emailWorker.close(), config.SHUTDOWN_TIMEOUT_MS))) {
          logger.warn('email worker did not finish its jobs in time; they will be retried');
        }
        await emailQueue.close().catch(() => undefined);
        logger.info('background jobs stopped');
      })();
      return stopping;
    },
  };
}
