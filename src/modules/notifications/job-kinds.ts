import { jobContext } from '../../common/request-context';
import type { Mailer } from '../../lib/mailer';
import {
  refundRequestedPayload,
  type PaymentService,
  type RefundRequestedPayload,
} from '../payments/payments.service';
import { isEmailMessage, renderEmail, templateContext } from './email-templates';
import type { EmailMessage } from './notifications.types';
import { EMAIL_EVENT, REFUND_REQUESTED_EVENT } from './outbox-events';
import { jobKind, retriedJobOptions, type JobKind } from './outbox-jobs';

export const EMAIL_QUEUE = 'email';
export const PAYMENTS_QUEUE = 'payments';

export interface JobKindsConfig {
  STOREFRONT_URL: string;
  SHOP_NAME: string;
  SUPPORT_EMAIL: string;
  EMAIL_JOB_ATTEMPTS: number;
  EMAIL_JOB_BACKOFF_MS: number;
  EMAIL_WORKER_CONCURRENCY: number;
  PAYMENT_JOB_ATTEMPTS: number;
  PAYMENT_JOB_BACKOFF_MS: number;
}

export interface JobKindsDeps {
  config: JobKindsConfig;
  mailer: Mailer;
  payments: Pick<PaymentService, 'handleRefundRequested'>;
}

const isRefundRequest = (payload: unknown): payload is RefundRequestedPayload =>
  refundRequestedPayload.safeParse(payload).success;

/**
 * The registry: every outbox event type the shop writes, with the queue and processor that carry it out. The relay
 * publishes only these types (any other row ends FAILED) and one worker runs per entry.
 */
export function jobKinds({ config, mailer, payments }: JobKindsDeps): JobKind[] {
  const templates = templateContext(config);
  return [
    jobKind<EmailMessage>({
      eventType: EMAIL_EVENT,
      queue: EMAIL_QUEUE,
      jobName: 'send',
      jobOptions: retriedJobOptions({
        attempts: config.EMAIL_JOB_ATTEMPTS,
        backoffMs: config.EMAIL_JOB_BACKOFF_MS,
      }),
      concurrency: config.EMAIL_WORKER_CONCURRENCY,
      accepts: isEmailMessage,
      process: (message) => mailer.send({ to: message.to, ...renderEmail(message, templates) }),
    }),
    jobKind<RefundRequestedPayload>({
      eventType: REFUND_REQUESTED_EVENT,
      queue: PAYMENTS_QUEUE,
      jobName: 'refund',
      jobOptions: retriedJobOptions({
        attempts: config.PAYMENT_JOB_ATTEMPTS,
        backoffMs: config.PAYMENT_JOB_BACKOFF_MS,
      }),
      // Refunds of one order serialise on its payment row; a few at a time keeps Stripe's rate limit far away.
      concurrency: 2,
      accepts: isRefundRequest,
      process: async (request) => {
        await payments.handleRefundRequested(jobContext('refund-requested'), request);
      },
    }),
  ];
}
