import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import { Client } from 'pg';
import { createApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config/env';
import { createContainer, type Container, type ContainerOverrides } from '../../src/container';
import { createLogger } from '../../src/lib/logger';
import { databaseUrl, readTestEnv } from './test-env';

export interface TestContext {
  app: Express;
  container: Container;
  config: Config;
  /** Empties every table and this context's Redis keys. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

let workerDatabase: Promise<string> | undefined;

/** One random signing secret per test process: every context of a file accepts the others' tokens, and no published
 * constant is ever a valid secret (production configs refuse those). */
const TEST_JWT_SECRET = randomBytes(32).toString('hex');

/** One database per jest worker, copied from the migrated template (fast: a file copy inside Postgres). */
function ensureWorkerDatabase(): Promise<string> {
  workerDatabase ??= (async () => {
    const serverUrl = readTestEnv('serverUrl');
    const name = `ecom_test_${readTestEnv('runId')}_w${process.env.JEST_WORKER_ID ?? '1'}`;
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!rowCount) await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${readTestEnv('templateDb')}"`);
    } finally {
      await admin.end();
    }
    return databaseUrl(serverUrl, name);
  })();
  return workerDatabase;
}

export async function truncateAllTables(container: Container): Promise<void> {
  await container.prisma.$executeRawUnsafe(`
    DO $$ DECLARE tables text;
    BEGIN
      SELECT string_agg(format('%I.%I', schemaname, tablename), ', ') INTO tables
        FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations';
      IF tables IS NOT NULL THEN EXECUTE 'TRUNCATE ' || tables || ' RESTART IDENTITY CASCADE'; END IF;
    END $$;`);
}

async function deleteKeys(container: Container): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await container.redis.scan(
      cursor,
      'MATCH',
      `${container.keys.prefix}:*`,
      'COUNT',
      1000,
    );
    cursor = next;
    if (keys.length > 0) await container.redis.del(...keys);
  } while (cursor !== '0');
}

export interface TestContextOptions {
  /**
   * Another Redis for this context, e.g. `redis://127.0.0.1:<dead port>` to test behaviour while Redis is down.
   * Its keys are then not cleaned up by reset()/close().
   */
  redisUrl?: string;
}

/**
 * A real app on the real test database and Redis, with its own Redis key prefix. Call once per test file
 * (`beforeAll`), `reset()` where tests need a clean slate, `close()` in `afterAll`.
 */
export async function createTestContext(
  env: Record<string, string> = {},
  overrides: ContainerOverrides = {},
  options: TestContextOptions = {},
): Promise<TestContext> {
  const url = await ensureWorkerDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    BCRYPT_COST: '4',
    JWT_SECRET: TEST_JWT_SECRET,
    REDIS_KEY_PREFIX: `test:${readTestEnv('runId')}:${randomBytes(4).toString('hex')}`,
    RATE_LIMIT_MAX: '100000',
    AUTH_RATE_LIMIT_MAX: '100000',
    ...env,
  });
  const container = createContainer(
    config,
    { databaseUrl: url, redisUrl: options.redisUrl ?? readTestEnv('redisUrl') },
    { logger: createLogger({ level: 'silent', pretty: false, service: 'test' }), ...overrides },
  );
  const app = createApp(container);
  const context: TestContext = {
    app,
    container,
    config,
    async reset() {
      await truncateAllTables(container);
      if (!options.redisUrl) await deleteKeys(container);
      container.cache.clearLocal();
    },
    async close() {
      if (!options.redisUrl) await deleteKeys(container).catch(() => undefined);
      await container.close();
    },
  };
  await context.reset();
  return context;
}
