import type { Pool } from 'pg';
import type { Redis } from '../../lib/redis';

export type DependencyName = 'database' | 'redis' | 'queue';

export interface DependencyHealth {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
}

export type DependencyProbe = () => Promise<unknown>;

const PROBE_TIMEOUT_MS = 2_000;

async function probe(check: DependencyProbe): Promise<DependencyHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), PROBE_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      status: 'down',
      latencyMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : 'unreachable',
    };
  } finally {
    clearTimeout(timer);
  }
}

export class HealthService {
  private readonly startedAt = Date.now();
  private readonly probes: Record<DependencyName, DependencyProbe>;

  constructor(
    private readonly version: string,
    pool: Pool,
    redis: Redis,
    queueProbe: DependencyProbe,
  ) {
    this.probes = {
      database: () => pool.query('SELECT 1'),
      redis: () => redis.ping(),
      queue: queueProbe,
    };
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
      probe(this.probes.database),
      probe(this.probes.redis),
      probe(this.probes.queue),
    ]);
    const dependencies = { database, redis, queue };
    const allUp = Object.values(dependencies).every((d) => d.status === 'up');
    return { ...this.summary(), status: allUp ? 'ok' : 'degraded', dependencies };
  }

  /** Ready when the dependencies every request needs (Postgres and Redis) answer. */
  async readiness(): Promise<{ ready: boolean; database: DependencyHealth; redis: DependencyHealth }> {
    const [database, redis] = await Promise.all([probe(this.probes.database), probe(this.probes.redis)]);
    return { ready: database.status === 'up' && redis.status === 'up', database, redis };
  }
}
