import { Queue, type ConnectionOptions, type DefaultJobOptions } from 'bullmq';
import type { Logger } from '../../lib/logger';
import { isEmailMessage } from './email-templates';
import type { EmailMessage } from './notifications.types';
import { OutboxPermanentError, type OutboxHandler } from './outbox-relay';

export const EMAIL_QUEUE_NAME = 'email';
export const EMAIL_JOB_NAME = 'send';

export type EmailQueue = Queue<EmailMessage, void, typeof EMAIL_JOB_NAME>;

export interface EmailQueueConfig {
  REDIS_KEY_PREFIX: string;
  EMAIL_JOB_ATTEMPTS: number;
  EMAIL_JOB_BACKOFF_MS: number;
}

/** Every BullMQ key lives under the application's Redis prefix: `<prefix>:bull:<queue>:…`. */
export function bullPrefix(config: Pick<EmailQueueConfig, 'REDIS_KEY_PREFIX'>): string {
  return `${config.REDIS_KEY_PREFIX}:bull`;
}

/** The job id of an outbox event: BullMQ ignores an add whose job id exists, so a re-publication is a no-op. */
export function outboxJobId(eventId: bigint | number | string): string {
  return `outbox-${eventId}`;
}

export function emailJobOptions(config: EmailQueueConfig): DefaultJobOptions {
  return {
    attempts: config.EMAIL_JOB_ATTEMPTS,
    // delay · 2^(attempt-1): with 5 s and 8 attempts the last retry comes ~10 min after the first failure.
    backoff: { type: 'exponential', delay: config.EMAIL_JOB_BACKOFF_MS, jitter: 0.2 },
    // Finished jobs stay a day (the dedupe window for a re-published outbox row), bounded in number.
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 14 * 24 * 3600, count: 10_000 },
  };
}

/** Producer side of the e-mail queue. It opens its own Redis connection, closed by `queue.close()`. */
export function createEmailQueue(
  connection: ConnectionOptions,
  config: EmailQueueConfig,
  logger: Logger,
): EmailQueue {
  const queue: EmailQueue = new Queue(EMAIL_QUEUE_NAME, {
    connection,
    prefix: bullPrefix(config),
    defaultJobOptions: emailJobOptions(config),
  });
  queue.on('error', (error) => logger.warn('email queue error', { error: error.message }));
  return queue;
}

/** Outbox handler of `email.send` rows: one e-mail job per row, job id derived from the row id. */
export function emailOutboxHandler(queue: EmailQueue): OutboxHandler {
  return async (event) => {
    if (!isEmailMessage(event.payload)) {
      throw new OutboxPermanentError(
        'payload is not a valid EmailMessage (unknown template or missing recipient)',
      );
    }
    await queue.add(EMAIL_JOB_NAME, event.payload, { jobId: outboxJobId(event.id) });
  };
}

/**
 * Connection options for BullMQ classes. Each Queue/Worker opens (and on close, closes) its own connections with
 * the ioredis version BullMQ ships; `maxRetriesPerRequest: null` as BullMQ requires for blocking commands.
 */
export function bullConnection(redisUrl: string): ConnectionOptions {
  return { url: redisUrl, maxRetriesPerRequest: null };
}
