import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from '../../lib/logger';
import type { Mailer } from '../../lib/mailer';
import { isEmailMessage, renderEmail, templateContext, type TemplateContext } from './email-templates';
import { bullPrefix, EMAIL_QUEUE_NAME, type EMAIL_JOB_NAME } from './email.queue';
import type { EmailMessage } from './notifications.types';

export type EmailWorker = Worker<EmailMessage, void, typeof EMAIL_JOB_NAME>;

export interface EmailWorkerConfig {
  REDIS_KEY_PREFIX: string;
  STOREFRONT_URL: string;
  SHOP_NAME: string;
  SUPPORT_EMAIL: string;
  EMAIL_WORKER_CONCURRENCY: number;
}

export interface EmailWorkerDeps {
  connection: ConnectionOptions;
  mailer: Mailer;
  logger: Logger;
  config: EmailWorkerConfig;
}

/** Renders the message and hands it to the mailer; a throw makes BullMQ retry with the job's backoff. */
export async function processEmailJob(
  job: Pick<Job<EmailMessage>, 'data'>,
  mailer: Mailer,
  context: TemplateContext,
): Promise<void> {
  const message: unknown = job.data;
  if (!isEmailMessage(message)) throw new UnrecoverableError('invalid e-mail job payload');
  const rendered = renderEmail(message, context);
  await mailer.send({ to: message.to, ...rendered });
}

/** Consumer side of the e-mail queue. Close it with `worker.close()` (waits for the jobs in progress). */
export function createEmailWorker({ connection, mailer, logger, config }: EmailWorkerDeps): EmailWorker {
  const context: TemplateContext = templateContext(config);
  const worker: EmailWorker = new Worker(EMAIL_QUEUE_NAME, (job) => processEmailJob(job, mailer, context), {
    connection,
    prefix: bullPrefix(config),
    concurrency: config.EMAIL_WORKER_CONCURRENCY,
  });
  worker.on('error', (error) => logger.warn('email worker error', { error: error.message }));
  worker.on('completed', (job) =>
    logger.info('email sent', { jobId: job.id, template: job.data.template, attempts: job.attemptsMade }),
  );
  worker.on('failed', (job, error) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error instanceof UnrecoverableError;
    const meta = {
      jobId: job.id,
      template: job.data.template,
      attemptsMade: job.attemptsMade,
      error: error.message,
    };
    if (final) logger.error('email delivery failed permanently', meta);
    else logger.warn('email delivery failed, will retry', meta);
  });
  return worker;
}
