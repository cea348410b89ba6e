import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { checkMigrationsInSync } from '../../scripts/migrate-check-core.cjs';
import { migrateDatabase } from '../../src/bootstrap';
import { startEmbeddedPostgres } from '../../src/lib/embedded/embedded-postgres';
import { spawnRedis } from '../../src/lib/embedded/spawned-redis';
import { createLogger } from '../../src/lib/logger';
import { databaseUrl, TEST_ENV } from './test-env';

/** Handles the teardown (same process) uses to stop what this setup started. */
export interface TestServices {
  stops: Array<() => Promise<void>>;
  serverUrl: string;
  runId: string;
  redisUrl: string;
}

declare global {
  var __ECOM_TEST_SERVICES__: TestServices | undefined;
}

/**
 * Once per `jest` run: TEST_DATABASE_URL / TEST_REDIS_URL when given, otherwise an embedded PostgreSQL in a temp
 * directory and a spawned redis-server. A template database is migrated once; each worker copies it.
 */
export default async function globalSetup(): Promise<void> {
  const logger = createLogger({ level: 'warn', pretty: false, service: 'test-setup' });
  const stops: Array<() => Promise<void>> = [];
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const pg = await startEmbeddedPostgres({
      dataDir: path.join(os.tmpdir(), `ecom-test-pg-${runId}`),
      persistent: false,
      logger,
    });
    stops.push(pg.stop);
    serverUrl = pg.url;
  }
  let redisUrl = process.env.TEST_REDIS_URL;
  if (!redisUrl) {
    const redis = await spawnRedis({ logger });
    stops.push(redis.stop);
    redisUrl = redis.url;
  }

  const templateDb = `ecom_test_${runId}_template`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${templateDb}"`);
  } finally {
    await admin.end();
  }
  await migrateDatabase(databaseUrl(serverUrl, templateDb), logger);
  // Prisma's schema engine replays the migrations into a shadow database here, before the workers start: under the
  // workers' concurrent CREATE/DROP DATABASE load its WebAssembly build was seen to panic.
  const migrationCheck = await checkMigrationsInSync({ databaseUrl: serverUrl });

  process.env[TEST_ENV.serverUrl] = serverUrl;
  process.env[TEST_ENV.templateDb] = templateDb;
  process.env[TEST_ENV.redisUrl] = redisUrl;
  process.env[TEST_ENV.runId] = runId;
  process.env[TEST_ENV.migrationCheck] = JSON.stringify(migrationCheck);
  globalThis.__ECOM_TEST_SERVICES__ = { stops, serverUrl, runId, redisUrl };
}
