import { randomBytes } from 'node:crypto';
import type { EmailMessage } from '../../src/modules/notifications/notifications.types';
import type { TestContext } from './test-app';

/** A fresh recipient: e-mails and their outbox rows (aggregate id = recipient) are told apart by it. */
export const address = (label: string) => `${label}-${randomBytes(4).toString('hex')}@example.test`;

export function verifyEmail(to: string, token = randomBytes(8).toString('hex')): EmailMessage {
  return { template: 'verify-email', to, data: { firstName: 'Ada', token } };
}

/** Polls until `check` returns a truthy value, and returns it. */
export async function waitUntil<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The outbox rows of the e-mails to `to`, oldest first. */
export function outboxRows(ctx: TestContext, to: string) {
  return ctx.container.prisma.outboxEvent.findMany({ where: { aggregateId: to }, orderBy: { id: 'asc' } });
}

/** Waits until `to` has `count` outbox rows, all DONE (the worker marks them after sending). */
export function doneRows(ctx: TestContext, to: string, count = 1, timeoutMs?: number) {
  return waitUntil(async () => {
    const rows = await outboxRows(ctx, to);
    return rows.length === count && rows.every((row) => row.status === 'DONE') && rows;
  }, timeoutMs);
}

/** Queues the e-mail in a committed transaction, as a service does. */
export async function queueCommitted(ctx: TestContext, message: EmailMessage): Promise<void> {
  await ctx.container.prisma.$transaction(async (tx) => {
    await ctx.container.services.notifications.queueEmail(message, tx);
  });
}
