import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Config } from './config/env';
import type { Endpoints } from './container';
import { startEmbeddedPostgres } from './lib/embedded/embedded-postgres';
import { spawnRedis } from './lib/embedded/spawned-redis';
import type { Logger } from './lib/logger';

const PROJECT_ROOT = path.resolve(
  __dirname,
  __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..',
);

export interface ResolvedServices {
  endpoints: Endpoints;
  /** Stops whatever this process started (nothing when the URLs were configured). */
  stop(): Promise<void>;
}

/**
 * DATABASE_URL / REDIS_URL when configured; otherwise an embedded PostgreSQL in `<DATA_DIR>/postgres` and a
 * redis-server child on a free port, so `npm start` works on a machine with nothing installed.
 */
export async function resolveServices(config: Config, logger: Logger): Promise<ResolvedServices> {
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      logger.info('DATABASE_URL not set: starting an embedded PostgreSQL', { dataDir: config.DATA_DIR });
      const pg = await startEmbeddedPostgres({
        dataDir: path.resolve(PROJECT_ROOT, config.DATA_DIR, 'postgres'),
        port: config.EMBEDDED_PG_PORT,
        persistent: true,
        logger,
      });
      stops.push(pg.stop);
      databaseUrl = pg.url;
    }
    let redisUrl = config.REDIS_URL;
    if (!redisUrl) {
      logger.info('REDIS_URL not set: spawning redis-server');
      const redis = await spawnRedis({
        pidFile: path.resolve(PROJECT_ROOT, config.DATA_DIR, 'redis.pid'),
        logger,
      });
      stops.push(redis.stop);
      redisUrl = redis.url;
    }
    return { endpoints: { databaseUrl, redisUrl }, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Applies pending migrations with Prisma's own migrate engine (see scripts/prisma.mjs). */
export function migrateDatabase(databaseUrl: string, logger: Logger): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(PROJECT_ROOT, 'scripts/prisma.mjs'), 'migrate', 'deploy'],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, DATABASE_URL: databaseUrl },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) {
        logger.info('database migrations applied');
        resolve();
      } else {
        reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${output.trim()}`));
      }
    });
  });
}
