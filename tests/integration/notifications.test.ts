import { Pool } from 'pg';
import { createDatabase } from '../../src/lib/prisma';
import { startBackgroundJobs, type BackgroundJobs } from '../../src/modules/notifications/background-jobs';
import { EMAIL_EVENT } from '../../src/modules/notifications/outbox-events';
import { outboxJobId } from '../../src/modules/notifications/outbox-jobs';
import type { EmailMessage } from '../../src/modules/notifications/notifications.types';
import { OutboxRelay, type OutboxHandler } from '../../src/modules/notifications/outbox-relay';
import {
  address,
  doneRows as doneRowsOf,
  outboxRows as outboxRowsOf,
  queueCommitted as queueCommittedIn,
  verifyEmail,
  waitUntil,
} from '../helpers/outbox';
import { sentTo, startSmtpCapture, type SmtpCapture } from '../helpers/smtp-capture';
import { createTestContext, type TestContext } from '../helpers/test-app';

jest.setTimeout(30_000);

const STOREFRONT_URL = 'https://shop.example.test';

let smtp: SmtpCapture;
let ctx: TestContext;
let jobs: BackgroundJobs;

beforeAll(async () => {
  smtp = await startSmtpCapture();
  ctx = await createTestContext({
    SMTP_HOST: smtp.host,
    SMTP_PORT: String(smtp.port),
    STOREFRONT_URL,
    OUTBOX_POLL_INTERVAL_MS: '100',
    EMAIL_JOB_ATTEMPTS: '8',
    EMAIL_JOB_BACKOFF_MS: '100',
  });
  jobs = startBackgroundJobs(ctx.container.jobDeps);
});

afterAll(async () => {
  await jobs?.stop();
  await ctx?.close();
  await smtp?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const outboxRows = (to: string) => outboxRowsOf(ctx, to);
const doneRows = (to: string, count = 1) => doneRowsOf(ctx, to, count);
const queueCommitted = (message: EmailMessage) => queueCommittedIn(ctx, message);

describe('e-mail through the outbox', () => {
  test('a message queued in a committed transaction is delivered once, rendered with its link', async () => {
    const to = address('committed');
    await queueCommitted(verifyEmail(to, 'tok-123'));

    const mail = await smtp.waitFor(sentTo(to));
    expect(mail.subject).toBe('Verify your e-mail address');
    expect(mail.text).toContain(`${STOREFRONT_URL}/verify-email?token=tok-123`);
    expect(mail.html).toContain(`href="${STOREFRONT_URL}/verify-email?token=tok-123"`);
    expect(mail.from).toContain('no-reply@ecommerce.local');

    const [row] = await doneRows(to);
    expect(row).toMatchObject({ type: EMAIL_EVENT, status: 'DONE', attempts: 1, lastError: null });
    expect(row.processedAt).toBeInstanceOf(Date);

    await sleep(300);
    expect(smtp.find(sentTo(to))).toHaveLength(1);
  });

  test('a message queued in a rolled-back transaction is never sent', async () => {
    const rolledBack = address('rolled-back');
    const marker = address('marker');
    await expect(
      ctx.container.prisma.$transaction(async (tx) => {
        await ctx.container.services.notifications.queueEmail(verifyEmail(rolledBack), tx);
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    // A message committed afterwards arrives: the relay has run past the point where the other would have been.
    await queueCommitted(verifyEmail(marker));
    await smtp.waitFor(sentTo(marker));

    expect(await outboxRows(rolledBack)).toHaveLength(0);
    expect(smtp.find(sentTo(rolledBack))).toHaveLength(0);
  });

  test('a temporary SMTP failure is retried and the message arrives exactly once', async () => {
    const to = address('retry');
    smtp.failNext(2, sentTo(to));
    await queueCommitted({
      template: 'password-reset',
      to,
      data: { firstName: 'Grace', token: 'reset-tok' },
    });

    const mail = await smtp.waitFor(sentTo(to));
    expect(mail.subject).toBe('Reset your password');
    expect(mail.text).toContain(`${STOREFRONT_URL}/reset-password?token=reset-tok`);
    expect(smtp.rejected.filter(sentTo(to))).toHaveLength(2);

    // Each attempt is counted on the row; the worker marks it DONE only after the successful one.
    const [row] = await doneRows(to);
    expect(row).toMatchObject({ attempts: 3, lastError: null });
    const job = await jobs.queues.email.getJob(outboxJobId(row.id));
    await waitUntil(async () => (await job?.isCompleted()) ?? false);
    expect(job?.attemptsMade).toBe(3);

    await sleep(500);
    expect(smtp.find(sentTo(to))).toHaveLength(1);
  });

  test('an event type without a handler and an invalid e-mail payload end FAILED with the reason', async () => {
    const unknown = await ctx.container.prisma.outboxEvent.create({
      data: { type: 'mystery.event', aggregateType: 'x', aggregateId: address('unknown'), payload: {} },
    });
    const invalid = await ctx.container.prisma.outboxEvent.create({
      data: {
        type: EMAIL_EVENT,
        aggregateType: 'email',
        aggregateId: address('invalid'),
        payload: { template: 'no-such-template', to: 'x@example.test', data: {} },
      },
    });
    jobs.relay.kick();

    const find = (id: bigint) => ctx.container.prisma.outboxEvent.findUniqueOrThrow({ where: { id } });
    const failedUnknown = await waitUntil(async () => {
      const row = await find(unknown.id);
      return row.status === 'FAILED' && row;
    });
    expect(failedUnknown.lastError).toContain('no handler for event type "mystery.event"');
    const failedInvalid = await waitUntil(async () => {
      const row = await find(invalid.id);
      return row.status === 'FAILED' && row;
    });
    expect(failedInvalid.lastError).toContain('not a valid email.send payload');
    expect(await jobs.queues.email.getJob(outboxJobId(invalid.id))).toBeUndefined();
  });

  describe('with the background relay paused', () => {
    beforeEach(() => jobs.relay.stop());
    afterEach(() => jobs.relay.start());

    function relayWith(handler: OutboxHandler, batchSize = 100) {
      return new OutboxRelay({
        prisma: ctx.container.prisma,
        logger: ctx.container.logger,
        handlers: { [EMAIL_EVENT]: handler },
        batchSize,
        pollIntervalMs: 60_000,
      });
    }

    test('two relays draining the same rows concurrently publish and deliver each message exactly once', async () => {
      const recipients = Array.from({ length: 24 }, (_, i) => address(`concurrent-${i}`));
      await ctx.container.prisma.$transaction(async (tx) => {
        for (const to of recipients)
          await ctx.container.services.notifications.queueEmail(verifyEmail(to), tx);
      });

      const publish = jobs.handlers[EMAIL_EVENT];
      const published: string[] = [];
      const counting: OutboxHandler = async (event) => {
        published.push(String(event.id));
        await sleep(5); // widen the window in which both relays hold a batch
        await publish(event);
      };
      const relays = [relayWith(counting, 4), relayWith(counting, 4)];
      const claims = [0, 0];
      await Promise.all(
        relays.map(async (relay, i) => {
          for (;;) {
            const { claimed } = await relay.runOnce();
            claims[i] += claimed;
            if (claimed === 0) return;
          }
        }),
      );

      expect(new Set(published).size).toBe(recipients.length);
      expect(published).toHaveLength(recipients.length);
      expect(claims[0] + claims[1]).toBe(recipients.length);
      expect(claims.every((n) => n > 0)).toBe(true); // both relays really worked the same rows at once

      await Promise.all(recipients.map((to) => smtp.waitFor(sentTo(to))));
      const rows = await waitUntil(async () => {
        const found = await ctx.container.prisma.outboxEvent.findMany({
          where: { aggregateId: { in: recipients } },
        });
        return found.every((row) => row.status === 'DONE') && found;
      });
      expect(rows).toHaveLength(recipients.length);
      expect(rows.every((row) => row.attempts === 1)).toBe(true);
      await sleep(500);
      for (const to of recipients) expect(smtp.find(sentTo(to))).toHaveLength(1);
    });

    test('a relay that dies after publishing: the worker still marks the row DONE and it is not published again', async () => {
      const to = address('crash');
      await queueCommitted(verifyEmail(to));
      const publish = jobs.handlers[EMAIL_EVENT];

      // Publishes, then fails before the row is marked: as if the process died between the two steps.
      const crashing = relayWith(async (event) => {
        await publish(event);
        throw new Error('connection lost after publish');
      });
      expect(await crashing.runOnce()).toMatchObject({ claimed: 1, published: 0, retried: 1 });
      await smtp.waitFor(sentTo(to));
      // The worker waited for the relay's row lock, then recorded the delivery: one failed publication + one run.
      const [done] = await doneRows(to);
      expect(done).toMatchObject({ attempts: 2, lastError: null });

      // Even with its backoff skipped, a DONE row is never claimed again.
      await ctx.container.prisma.outboxEvent.update({
        where: { id: done.id },
        data: { availableAt: new Date(0) },
      });
      expect(await relayWith(publish).runOnce()).toMatchObject({ claimed: 0 });

      await sleep(500);
      expect(smtp.find(sentTo(to))).toHaveLength(1);
    });

    test('due rows are found and stamped in UTC whatever the session time zone', async () => {
      // Embedded development databases run in the machine's local zone; Prisma stores these columns as UTC.
      const pool = new Pool({
        connectionString: ctx.container.endpoints.databaseUrl,
        max: 2,
        options: '-c TimeZone=America/New_York',
      });
      const database = createDatabase({ url: ctx.container.endpoints.databaseUrl, poolSize: 2, pool });
      try {
        const to = address('timezone');
        await queueCommitted(verifyEmail(to));
        const relay = new OutboxRelay({
          prisma: database.prisma,
          logger: ctx.container.logger,
          handlers: jobs.handlers,
          batchSize: 100,
          pollIntervalMs: 60_000,
        });
        expect(await relay.runOnce()).toMatchObject({ claimed: 1, published: 1 });
        const [row] = await doneRows(to);
        expect(Math.abs(row.processedAt!.getTime() - Date.now())).toBeLessThan(60_000);
        await smtp.waitFor(sentTo(to));
      } finally {
        await database.close();
      }
    });
  });
});
