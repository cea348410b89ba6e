import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { Queue, Worker } from 'bullmq';
import request from 'supertest';
import { startBackgroundJobs, type BackgroundJobs } from '../../src/modules/notifications/background-jobs';
import { maintenanceTasks } from '../../src/modules/notifications/maintenance';
import {
  bullConnection,
  bullPrefix,
  outboxJobId,
  recoverLostJobs,
  type OutboxJobData,
} from '../../src/modules/notifications/outbox-jobs';
import { EMAIL_EVENT, REFUND_REQUESTED_EVENT } from '../../src/modules/notifications/outbox-events';
import { outboxRetry, UsageError } from '../../src/scripts/outbox-retry';
import { API, bearer, expectError, register, registerAdmin, type TestUser } from '../helpers/auth';
import { startFakeStripe, webhookSecret, type FakeStripe } from '../helpers/fake-stripe';
import { address, doneRows, outboxRows, queueCommitted, verifyEmail, waitUntil } from '../helpers/outbox';
import { createIntent, intentEvent, placeOrder, postWebhook } from '../helpers/payments';
import { sentTo, startSmtpCapture, type SmtpCapture } from '../helpers/smtp-capture';
import { createTestContext, type TestContext } from '../helpers/test-app';
import { readTestEnv } from '../helpers/test-env';

jest.setTimeout(60_000);

const ROOT = path.resolve(__dirname, '../..');
const EMAIL_ATTEMPTS = 3;
const secret = webhookSecret();

/** The job settings of this file, shared by the in-process jobs and the worker processes it spawns. */
const JOB_ENV = {
  OUTBOX_POLL_INTERVAL_MS: '50',
  EMAIL_JOB_ATTEMPTS: String(EMAIL_ATTEMPTS),
  EMAIL_JOB_BACKOFF_MS: '50',
  PAYMENT_JOB_BACKOFF_MS: '50',
  ORDER_EXPIRY_INTERVAL_MS: '1000',
};

let smtp: SmtpCapture;
let fake: FakeStripe;
let ctx: TestContext;
let admin: TestUser;
let running: BackgroundJobs[] = [];

beforeAll(async () => {
  [smtp, fake] = await Promise.all([startSmtpCapture(), startFakeStripe()]);
  ctx = await createTestContext({
    ...fake.env,
    ...JOB_ENV,
    STRIPE_WEBHOOK_SECRET: secret,
    STRIPE_MAX_NETWORK_RETRIES: '0',
    SMTP_HOST: smtp.host,
    SMTP_PORT: String(smtp.port),
  });
  admin = await registerAdmin(ctx);
});

afterEach(async () => {
  await Promise.all(running.map((jobs) => jobs.stop()));
  running = [];
});

afterAll(async () => {
  await ctx?.close();
  await Promise.all([smtp?.close(), fake?.close()]);
});

const db = () => ctx.container.prisma;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function startJobs(): BackgroundJobs {
  const jobs = startBackgroundJobs(ctx.container.jobDeps);
  running.push(jobs);
  return jobs;
}

async function failedRow(to: string) {
  const [row] = await waitUntil(async () => {
    const rows = await outboxRows(ctx, to);
    return rows.length === 1 && rows[0].status === 'FAILED' && rows;
  });
  return row;
}

describe('outbox delivery', () => {
  test('a row committed while no worker runs is delivered exactly once after a worker starts', async () => {
    const to = address('offline');
    await queueCommitted(ctx, verifyEmail(to));
    await sleep(300);
    expect((await outboxRows(ctx, to)).map((row) => row.status)).toEqual(['PENDING']);
    expect(smtp.find(sentTo(to))).toHaveLength(0);

    startJobs();
    await smtp.waitFor(sentTo(to));
    const [row] = await doneRows(ctx, to);
    expect(row).toMatchObject({ attempts: 1, lastError: null, retryCount: 0 });
    await sleep(300);
    expect(smtp.find(sentTo(to))).toHaveLength(1);
  });

  test('an SMTP server failing twice then recovering gets the mail once; a redelivered job sends nothing', async () => {
    const jobs = startJobs();
    const to = address('flaky');
    smtp.failNext(2, sentTo(to));
    await queueCommitted(ctx, verifyEmail(to));

    await smtp.waitFor(sentTo(to));
    const [row] = await doneRows(ctx, to);
    expect(row).toMatchObject({ attempts: 3, lastError: null });
    expect(smtp.rejected.filter(sentTo(to))).toHaveLength(2);

    // The same row delivered again under another job id (a second publication, a stalled job taken over).
    const data: OutboxJobData = { outboxId: String(row.id), payload: row.payload };
    const again = await jobs.queues.email.add('send', data, { jobId: `${outboxJobId(row.id)}-again` });
    await waitUntil(async () => (await again.isCompleted()) || undefined);
    expect(smtp.find(sentTo(to))).toHaveLength(1);
    expect((await outboxRows(ctx, to))[0]).toMatchObject({ status: 'DONE', attempts: 3 });
  });

  test('a mail that keeps failing ends FAILED with its last error; the admin retry delivers it once', async () => {
    const jobs = startJobs();
    const to = address('dead-letter');
    smtp.failNext(EMAIL_ATTEMPTS, sentTo(to));
    await queueCommitted(ctx, verifyEmail(to));

    const dead = await failedRow(to);
    expect(dead.attempts).toBe(EMAIL_ATTEMPTS);
    expect(dead.lastError).toContain('Try again later');
    expect(await (await jobs.queues.email.getJob(outboxJobId(dead.id)))?.isFailed()).toBe(true);

    const list = await request(ctx.app)
      .get(`${API}/admin/outbox`)
      .query({ status: 'FAILED' })
      .set(bearer(admin.token));
    expect(list.status).toBe(200);
    expect(list.body.data).toMatchObject({ total: 1, skip: 0, limit: 30 });
    expect(list.body.data.events[0]).toMatchObject({
      id: String(dead.id),
      status: 'FAILED',
      attempts: EMAIL_ATTEMPTS,
      lastError: expect.stringContaining('Try again later'),
    });
    expect(list.body.data.events[0]).not.toHaveProperty('payload');

    const customer = await register(ctx.app);
    const retryAs = (user: TestUser, id: string) =>
      request(ctx.app).post(`${API}/admin/outbox/${id}/retry`).set(bearer(user.token));
    expectError(await retryAs(customer, String(dead.id)), 403, 'FORBIDDEN');
    expectError(await retryAs(admin, '999999999'), 404, 'OUTBOX_EVENT_NOT_FOUND');

    const retried = await retryAs(admin, String(dead.id));
    expect(retried.status).toBe(200);
    expect(retried.body.data).toMatchObject({ status: 'PENDING', retryCount: 1, attempts: EMAIL_ATTEMPTS });

    await smtp.waitFor(sentTo(to));
    const [done] = await doneRows(ctx, to);
    expect(done).toMatchObject({ attempts: EMAIL_ATTEMPTS + 1, retryCount: 1, lastError: null });
    expect(await (await jobs.queues.email.getJob(outboxJobId(dead.id, 1)))?.isCompleted()).toBe(true);
    expectError(await retryAs(admin, String(dead.id)), 422, 'OUTBOX_EVENT_NOT_FAILED');
    const audits = await db().auditLog.findMany({ where: { action: 'outbox.retried' } });
    expect(audits).toEqual([
      expect.objectContaining({ actorId: admin.id, entityType: 'outbox_event', entityId: String(dead.id) }),
    ]);
    await sleep(300);
    expect(smtp.find(sentTo(to))).toHaveLength(1);
  });

  test('the outbox:retry script sends one dead letter or all of them back, each delivered once', async () => {
    startJobs();
    const [one, two, three] = [address('script-1'), address('script-2'), address('script-3')];
    for (const to of [one, two, three]) {
      smtp.failNext(EMAIL_ATTEMPTS, sentTo(to));
      await queueCommitted(ctx, verifyEmail(to));
    }
    const [deadOne, deadTwo, deadThree] = await Promise.all([one, two, three].map(failedRow));
    const outbox = ctx.container.services.outbox;

    await expect(outboxRetry([], outbox)).rejects.toBeInstanceOf(UsageError);
    await expect(outboxRetry(['12abc'], outbox)).rejects.toBeInstanceOf(UsageError);
    expect(await outboxRetry([String(deadOne.id)], outbox)).toEqual([String(deadOne.id)]);
    await doneRows(ctx, one);
    expect((await outboxRetry(['--all-failed'], outbox)).sort()).toEqual(
      [String(deadTwo.id), String(deadThree.id)].sort(),
    );
    await Promise.all([doneRows(ctx, two), doneRows(ctx, three)]);
    expect(await outboxRetry(['--all-failed'], outbox)).toEqual([]);

    await sleep(300);
    for (const to of [one, two, three]) expect(smtp.find(sentTo(to))).toHaveLength(1);
    const audits = await db().auditLog.findMany({ where: { action: { startsWith: 'outbox.retried' } } });
    expect(audits.filter((row) => row.requestId === 'job:outbox-retry-cli')).toHaveLength(2);
  });
});

describe('two worker processes', () => {
  function spawnWorker(): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
    let text = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...JOB_ENV,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATABASE_URL: ctx.container.endpoints.databaseUrl,
        REDIS_URL: readTestEnv('redisUrl'),
        // The same prefix as this file's context: the same BullMQ queues.
        REDIS_KEY_PREFIX: ctx.container.keys.prefix,
        JWT_SECRET: ctx.config.JWT_SECRET,
        SMTP_HOST: smtp.host,
        SMTP_PORT: String(smtp.port),
        OUTBOX_BATCH_SIZE: '4',
      },
    });
    child.stdout!.on('data', (chunk) => (text += chunk));
    child.stderr!.on('data', (chunk) => (text += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { child, output: () => text, exited };
  }

  test('draining the same rows, they never send one mail twice', async () => {
    const recipients = Array.from({ length: 30 }, (_, i) => address(`two-workers-${i}`));
    await db().$transaction(async (tx) => {
      for (const to of recipients) await ctx.container.services.notifications.queueEmail(verifyEmail(to), tx);
    });

    const workers = [spawnWorker(), spawnWorker()];
    try {
      await Promise.all(recipients.map((to) => smtp.waitFor(sentTo(to), 45_000)));
      const rows = await waitUntil(async () => {
        const found = await db().outboxEvent.findMany({ where: { aggregateId: { in: recipients } } });
        return found.every((row) => row.status === 'DONE') && found;
      });
      expect(rows.every((row) => row.attempts === 1)).toBe(true);
      await sleep(500);
      for (const to of recipients) expect(smtp.find(sentTo(to))).toHaveLength(1);
      const started = workers.filter((worker) => worker.output().includes('worker started'));
      expect(started).toHaveLength(2);
    } finally {
      for (const worker of workers) worker.child.kill('SIGTERM');
      expect(await Promise.all(workers.map((worker) => worker.exited))).toEqual([0, 0]);
    }
  });
});

describe('refunds on the payments queue', () => {
  test('a customer cancel of a paid order is refunded once through the payments queue', async () => {
    const jobs = startJobs();
    fake.reset();
    const buyer = await register(ctx.app);
    const { order } = await placeOrder(ctx, buyer);
    const intent = await createIntent(ctx, buyer, order.id);
    expect(intent.status).toBe(200);
    const paid = await postWebhook(
      ctx,
      intentEvent(fake, secret, 'payment_intent.succeeded', intent.body.data.paymentIntentId),
    );
    expect(paid.status).toBe(200);

    const cancelled = await request(ctx.app)
      .post(`${API}/orders/${order.id}/cancel`)
      .set(bearer(buyer.token))
      .send({ reason: 'Changed my mind' });
    expect(cancelled.status).toBe(200);

    const row = await waitUntil(async () => {
      const found = await db().outboxEvent.findFirst({
        where: { type: REFUND_REQUESTED_EVENT, aggregateId: order.id },
      });
      return found?.status === 'DONE' && found;
    });
    expect(row).toMatchObject({ attempts: 1, lastError: null });
    expect(await (await jobs.queues.payments.getJob(outboxJobId(row.id)))?.isCompleted()).toBe(true);
    const payment = await db().payment.findFirstOrThrow({
      where: { orderId: order.id },
      include: { refunds: true },
    });
    expect(payment.status).toBe('REFUNDED');
    expect(payment.refunds).toHaveLength(1);
    await sleep(300);
    expect(fake.calls('POST /v1/refunds')).toHaveLength(1);
    expect([...fake.refunds.values()].map((refund) => refund.amount)).toEqual([
      Math.round(order.total * 100),
    ]);
    expect((await db().order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('CANCELLED');
  });
});

describe('scheduled sweeps', () => {
  async function oldPendingOrders(count: number, stock = 10) {
    const buyer = await register(ctx.app);
    const placed = [];
    for (let i = 0; i < count; i++) placed.push(await placeOrder(ctx, buyer, { quantity: 2, stock }));
    await db().order.updateMany({
      where: { id: { in: placed.map((p) => p.order.id) } },
      data: { createdAt: new Date(Date.now() - 31 * 60_000) },
    });
    return placed;
  }

  async function expectCancelledOnce(placed: Awaited<ReturnType<typeof oldPendingOrders>>, stock = 10) {
    for (const { order, product } of placed) {
      expect((await db().order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe('CANCELLED');
      const cancels = await db().orderStatusHistory.findMany({
        where: { orderId: order.id, toStatus: 'CANCELLED' },
      });
      expect(cancels).toHaveLength(1);
      expect((await db().product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(stock);
    }
  }

  test('the job schedulers are registered and the expiry job cancels an old PENDING order once', async () => {
    const jobs = startJobs();
    await jobs.maintenance.ready;
    const schedulers = await jobs.maintenance.queue.getJobSchedulers();
    expect(Object.fromEntries(schedulers.map((s) => [s.key, Number(s.every)]))).toEqual({
      'expire-unpaid-orders': 1000,
      'reconcile-payments': ctx.config.PAYMENT_RECONCILE_INTERVAL_MS,
      'purge-idempotency-keys': ctx.config.IDEMPOTENCY_CLEANUP_INTERVAL_MS,
      'purge-expired-tokens': ctx.config.TOKEN_CLEANUP_INTERVAL_MS,
      'recover-outbox-jobs': ctx.config.OUTBOX_RECOVERY_INTERVAL_MS,
    });
    // A second process registering them again leaves one scheduler per task.
    const second = startJobs();
    await second.maintenance.ready;
    expect(await jobs.maintenance.queue.getJobSchedulersCount()).toBe(5);

    const placed = await oldPendingOrders(1);
    await waitUntil(async () => {
      const order = await db().order.findUniqueOrThrow({ where: { id: placed[0].order.id } });
      return order.status === 'CANCELLED';
    });
    // A few more runs of the schedule find nothing left to do.
    await sleep(2500);
    await expectCancelledOnce(placed);
    const completed = await jobs.maintenance.queue.getCompleted();
    expect(completed.filter((job) => job.name === 'expire-unpaid-orders').length).toBeGreaterThanOrEqual(2);
  });

  test('two expiry sweeps at once cancel and restock each order once', async () => {
    const placed = await oldPendingOrders(8);
    const [expiry] = maintenanceTasks(ctx.config, ctx.container.services).filter(
      (task) => task.name === 'expire-unpaid-orders',
    );
    const results = (await Promise.all([expiry.run(), expiry.run()])) as Array<{ cancelled: number }>;
    expect(results[0].cancelled + results[1].cancelled).toBe(placed.length);
    await expectCancelledOnce(placed);
  });

  test('the cleanup sweeps delete expired idempotency keys and tokens, and keep live ones', async () => {
    const user = await register(ctx.app);
    const past = new Date(Date.now() - 60_000);
    const future = new Date(Date.now() + 3_600_000);
    const hash = (label: string) => createHash('sha256').update(`${label}-${Math.random()}`).digest('hex');
    await db().idempotencyKey.createMany({
      data: [past, future].map((expiresAt, i) => ({
        userId: user.id,
        scope: 'POST /orders',
        key: `key-${i}`,
        requestHash: hash('request'),
        expiresAt,
      })),
    });
    await db().userToken.createMany({
      data: [past, future].map((expiresAt) => ({
        userId: user.id,
        type: 'PASSWORD_RESET' as const,
        tokenHash: hash('user-token'),
        expiresAt,
      })),
    });
    const family = (await db().refreshToken.findFirstOrThrow({ where: { userId: user.id } })).familyId;
    await db().refreshToken.create({
      data: { userId: user.id, tokenHash: hash('refresh'), familyId: family, expiresAt: past },
    });

    const tasks = maintenanceTasks(ctx.config, ctx.container.services);
    for (const task of tasks.filter((t) => t.name.startsWith('purge-'))) await task.run();

    const keys = await db().idempotencyKey.findMany({ where: { userId: user.id } });
    expect(keys.map((row) => row.key)).toEqual(['key-1']);
    const userTokens = await db().userToken.findMany({ where: { userId: user.id, type: 'PASSWORD_RESET' } });
    expect(userTokens.map((row) => row.expiresAt)).toEqual([future]);
    const refreshTokens = await db().refreshToken.findMany({ where: { userId: user.id } });
    expect(refreshTokens.length).toBeGreaterThan(0);
    expect(refreshTokens.every((row) => row.expiresAt > new Date())).toBe(true);
    // The login that made them is still a live session.
    expect((await request(ctx.app).get(`${API}/auth/me`).set(bearer(user.token))).status).toBe(200);
  });

  describe('outbox recovery', () => {
    /** A row the relay published (as if): PUBLISHED, its job expected on the email queue. */
    async function publishedRow(to: string) {
      return db().outboxEvent.create({
        data: {
          type: EMAIL_EVENT,
          aggregateType: 'email',
          aggregateId: to,
          payload: verifyEmail(to) as object,
          status: 'PUBLISHED',
        },
      });
    }

    test('a PUBLISHED row whose job Redis lost is published again and delivered once', async () => {
      const jobs = startJobs();
      const to = address('lost-job');
      const row = await publishedRow(to);
      const [recovery] = jobs.maintenance.tasks.filter((task) => task.name === 'recover-outbox-jobs');
      expect(await recovery.run()).toEqual({ requeued: 1, failed: 0 });

      await smtp.waitFor(sentTo(to));
      const [done] = await doneRows(ctx, to);
      expect(done).toMatchObject({ id: row.id, attempts: 1 });
      expect(await recovery.run()).toEqual({ requeued: 0, failed: 0 });
      await sleep(300);
      expect(smtp.find(sentTo(to))).toHaveLength(1);
    });

    test('a PUBLISHED row whose job failed without marking it (stalled twice) becomes FAILED', async () => {
      const name = `recovery-${randomUUID()}`;
      const connection = bullConnection(readTestEnv('redisUrl'));
      const prefix = bullPrefix(ctx.config);
      const queue = new Queue<OutboxJobData>(name, { connection, prefix });
      const worker = new Worker<OutboxJobData>(name, null, { connection, prefix, autorun: false });
      try {
        const to = address('stalled');
        const row = await publishedRow(to);
        await queue.add(
          'send',
          { outboxId: String(row.id), payload: row.payload },
          {
            jobId: outboxJobId(row.id),
            attempts: 1,
          },
        );
        // What BullMQ's stalled-job check does to a job that stalled once too often: no processor runs.
        const token = randomUUID();
        const job = await worker.getNextJob(token);
        await job!.moveToFailed(new Error('job stalled more than allowable limit'), token);

        expect(await recoverLostJobs(ctx.container.jobDeps.outbox, { [EMAIL_EVENT]: queue })).toEqual({
          requeued: 0,
          failed: 1,
        });
        const [failed] = await outboxRows(ctx, to);
        expect(failed).toMatchObject({ status: 'FAILED', attempts: 1 });
        expect(failed.lastError).toContain('stalled more than allowable limit');
      } finally {
        await worker.close();
        await queue.obliterate({ force: true });
        await queue.close();
      }
    });
  });
});
