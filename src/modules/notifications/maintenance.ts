import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { jobContext } from '../../common/request-context';
import type { Logger } from '../../lib/logger';
import type { AuthService } from '../auth/auth.service';
import type { IdempotencyService } from '../idempotency/idempotency.service';
import type { OrderService } from '../orders/orders.service';
import type { PaymentService } from '../payments/payments.service';
import { errorMessage } from './outbox-relay';

export const MAINTENANCE_QUEUE = 'maintenance';

/** A sweep run on a schedule. Each must be safe to run twice at once (several workers, a slow previous run). */
export interface MaintenanceTask {
  /** The job scheduler's id and the job name. */
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

export interface MaintenanceConfig {
  ORDER_EXPIRY_INTERVAL_MS: number;
  PAYMENT_RECONCILE_INTERVAL_MS: number;
  IDEMPOTENCY_CLEANUP_INTERVAL_MS: number;
  TOKEN_CLEANUP_INTERVAL_MS: number;
}

export interface MaintenanceServices {
  orders: Pick<OrderService, 'expireUnpaidOrders'>;
  payments: Pick<PaymentService, 'reconcile'>;
  idempotency: Pick<IdempotencyService, 'purgeExpired'>;
  auth: Pick<AuthService, 'purgeExpiredTokens'>;
}

/** The scheduled sweeps and why each is safe in parallel. */
export function maintenanceTasks(
  config: MaintenanceConfig,
  services: MaintenanceServices,
): MaintenanceTask[] {
  return [
    {
      // Orders are locked with SKIP LOCKED and re-checked under the lock (OrderService.expireUnpaidOrders).
      name: 'expire-unpaid-orders',
      everyMs: config.ORDER_EXPIRY_INTERVAL_MS,
      run: () => services.orders.expireUnpaidOrders(jobContext('expire-unpaid-orders')),
    },
    {
      // Outcomes are applied with conditional status writes; Stripe calls carry idempotency keys.
      name: 'reconcile-payments',
      everyMs: config.PAYMENT_RECONCILE_INTERVAL_MS,
      run: () => services.payments.reconcile(jobContext('reconcile-payments')),
    },
    {
      name: 'purge-idempotency-keys',
      everyMs: config.IDEMPOTENCY_CLEANUP_INTERVAL_MS,
      run: () => services.idempotency.purgeExpired(),
    },
    {
      name: 'purge-expired-tokens',
      everyMs: config.TOKEN_CLEANUP_INTERVAL_MS,
      run: () => services.auth.purgeExpiredTokens(),
    },
  ];
}

export interface Maintenance {
  queue: Queue;
  worker: Worker;
  tasks: MaintenanceTask[];
  /** Resolves once every job scheduler is registered. */
  ready: Promise<void>;
}

/**
 * The `maintenance` queue: one BullMQ job scheduler per task (upserted by id, so every worker process registering
 * them at start-up leaves one scheduler each, with the latest interval) and a worker running whichever is due. A
 * failed run is not retried: the next one comes within the interval.
 */
export function startMaintenance(
  tasks: MaintenanceTask[],
  deps: { connection: ConnectionOptions; prefix: string; logger: Logger },
): Maintenance {
  const { connection, prefix, logger } = deps;
  const byName = new Map(tasks.map((task) => [task.name, task]));
  const queue = new Queue(MAINTENANCE_QUEUE, { connection, prefix });
  queue.on('error', (error) => logger.warn('maintenance queue error', { error: error.message }));

  const ready = Promise.all(
    tasks.map((task) =>
      queue.upsertJobScheduler(
        task.name,
        { every: task.everyMs },
        {
          name: task.name,
          opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 500 } },
        },
      ),
    ),
  ).then(
    () => undefined,
    (error: unknown) => {
      logger.error('job schedulers not registered', { error: errorMessage(error) });
    },
  );

  const worker = new Worker(
    MAINTENANCE_QUEUE,
    async (job) => {
      const task = byName.get(job.name);
      if (!task) throw new Error(`unknown maintenance job "${job.name}"`);
      return task.run();
    },
    { connection, prefix, concurrency: tasks.length },
  );
  worker.on('error', (error) => logger.warn('maintenance worker error', { error: error.message }));
  worker.on('completed', (job, result) => logger.info('maintenance job done', { job: job.name, result }));
  worker.on('failed', (job, error) =>
    logger.error('maintenance job failed', { job: job?.name, error: error.message }),
  );
  return { queue, worker, tasks, ready };
}
