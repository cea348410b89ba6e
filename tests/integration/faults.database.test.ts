import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/app';
import { migrateDatabase } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/env';
import { createContainer, type Container } from '../../src/container';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/lib/embedded/embedded-postgres';
import { createLogger } from '../../src/lib/logger';
import { readTestEnv } from '../helpers/test-env';
import { signalTree } from '../helpers/process-tree';

jest.setTimeout(60_000);

/** A throw-away PostgreSQL cluster of this test's own, frozen (SIGSTOP) and stopped under a running app. */
let pg: EmbeddedPostgres;
let container: Container;
let app: ReturnType<typeof createApp>;
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-db-'));
const logger = createLogger({ level: 'silent', pretty: false, service: 'test' });

let postmaster: number;
const postmasterPid = () => postmaster;

beforeAll(async () => {
  pg = await startEmbeddedPostgres({ dataDir: path.join(tmpRoot, 'pg'), persistent: false });
  postmaster = Number.parseInt(
    fs.readFileSync(path.join(pg.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0],
    10,
  );
  await migrateDatabase(pg.url, logger);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'test-secret-0123456789abcdefghijklmnopqrstuvwxyz',
    REDIS_KEY_PREFIX: `test:${readTestEnv('runId')}:faults-db`,
    DATABASE_POOL_SIZE: '2',
    DATABASE_STATEMENT_TIMEOUT_MS: '1000',
    DATABASE_POOL_TIMEOUT_MS: '1000',
  });
  container = createContainer(config, { databaseUrl: pg.url, redisUrl: readTestEnv('redisUrl') }, { logger });
  app = createApp(container);
});

afterAll(async () => {
  signalTree(postmasterPid(), 'SIGCONT');
  await container.close();
  await pg.stop();
  fs.rmSync(tmpRoot, { recursive: true, force: true });
});

// Distinct queries: each one misses the cache and goes to PostgreSQL.
let query = 0;
const productList = () => request(app).get(`/api/v1/products?limit=${++query}`);

test('a hung database (SIGSTOP) answers 503 SERVICE_UNAVAILABLE within the statement/pool timeouts', async () => {
  expect((await productList()).status).toBe(200);

  signalTree(postmasterPid(), 'SIGSTOP');
  try {
    // Several at once: more requests than pooled connections, so some wait for the pool and some for a reply.
    const responses = await Promise.all(Array.from({ length: 4 }, () => productList()));
    for (const res of responses) {
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(JSON.stringify(res.body)).not.toMatch(/timeout|ECONN|terminated|P\d{4}/i);
    }
    const ready = await request(app).get('/api/v1/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.details.database.status).toBe('down');
  } finally {
    signalTree(postmasterPid(), 'SIGCONT');
  }
  // Thawed: the pool replaces what it gave up on and the shop serves again.
  expect((await productList()).status).toBe(200);
});

test('a stopped database answers 503, and /ready names no driver message', async () => {
  expect((await productList()).status).toBe(200);
  await pg.stop();

  for (const res of [await productList(), await productList()]) {
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
  }
  const admin = await request(app).get('/api/v1/products/1');
  expect(admin.status).toBe(503);

  const ready = await request(app).get('/api/v1/ready');
  expect(ready.status).toBe(503);
  expect(ready.body.details.database).toEqual({ status: 'down', latencyMs: expect.any(Number) });
  expect(JSON.stringify(ready.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|connect/);
  const detailed = await request(app).get('/api/v1/health/detailed');
  expect(detailed.body.data.dependencies.database).toEqual({ status: 'down', latencyMs: expect.any(Number) });
  expect(JSON.stringify(detailed.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|connect/);
});
