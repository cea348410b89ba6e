import type { Pool } from 'pg';
import type { Logger } from '../../lib/logger';
import type { Redis } from '../../lib/redis';

export type DependencyName = 'database' | 'redis' | 'queue';

/** What a health answer says about a dependency: never the driver's message (that goes to the log). */
export interface DependencyHealth {
  status: 'up' | 'down';
  latencyMs: number;
}

export type DependencyProbe = () => Promise<unknown>;

const PROBE_TIMEOUT_MS = 2_000;

async function probe(
  name: DependencyName,
  check: DependencyProbe,
  timeoutMs: number,
  logger: Logger,
): Promise<DependencyHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    logger.warn('health check failed', { dependency: name, latencyMs, error });
    return { status: 'down', latencyMs };
  } finally {
    clearTimeout(timer);
  }
}

export class HealthService {
  private readonly startedAt = Date.now();
  private readonly probes: Record<DependencyName, DependencyProbe>;
  private shuttingDown = false;

  constructor(
    private readonly version: string,
    pool: Pool,
    redis: Redis,
    queueProbe: DependencyProbe,
    private readonly logger: Logger,
    /**
     * Redis and the queue's Redis are down for a probe once they miss the command timeout: the queue's connection
     * (BullMQ's settings: no retry limit) would otherwise hold a health answer for as long as Redis hangs.
     */
    private readonly redisTimeoutMs = PROBE_TIMEOUT_MS,
  ) {
    this.probes = {
      database: () => pool.query('SELECT 1'),
      redis: () => redis.ping(),
      queue: queueProbe,
    };
  }

  /** From now on the process is not ready: load balancers stop sending it traffic while it drains. */
  beginShutdown(): void {
    this.shuttingDown = true;
  }

  private check(name: DependencyName): Promise<DependencyHealth> {
    const timeoutMs =
      name === 'database' ? PROBE_TIMEOUT_MS : Math.min(this.redisTimeoutMs, PROBE_TIMEOUT_MS);
    return probe(name, this.probes[name], timeoutMs, this.logger);
  }

  summary(): { status: 'ok'; uptime: number; version: string } {
    return { status: 'ok', uptime: Math.round((Date.now() - this.startedAt) / 1000), version: this.version };
  }

  async detailed(): Promise<{
    status: 'ok' | 'degraded';
    uptime: number;
    version: string;
    dependencies: Record<DependencyName, DependencyHealth>;
  }> {
    const [database, redis, queue] = await Promise.all([
      this.check('database'),
      this.check('redis'),
      this.check('queue'),
    ]);
    const dependencies = { database, redis, queue };
    const allUp = Object.values(dependencies).every((d) => d.status === 'up');
    return { ...this.summary(), status: allUp ? 'ok' : 'degraded', dependencies };
  }

  /** Ready when the dependencies every request needs (Postgres and Redis) answer and no shutdown has begun. */
  async readiness(): Promise<{
    ready: boolean;
    shuttingDown: boolean;
    database: DependencyHealth;
    redis: DependencyHealth;
  }> {
    const [database, redis] = await Promise.all([this.check('database'), this.check('redis')]);
    const ready = !this.shuttingDown && database.status === 'up' && redis.status === 'up';
    return { ready, shuttingDown: this.shuttingDown, database, redis };
  }
}
