/**
 * One server process of the benchmarks (started by run.ts; not meant to be run by hand).
 *
 *   MODE=api   the real app (createContainer + createApp), as src/server.ts builds it, minus migrations/seeding/jobs
 *              plus GET /api/v1/bench/bare: BARE_BODY_FILE's bytes behind all of the app's middleware
 *   MODE=bare  a bare Express app whose only route returns BARE_BODY_FILE's bytes as JSON — the reference
 *
 * Listens on 127.0.0.1:$PORT and prints `ready` on stdout.
 */
import fs from 'node:fs';
import express from 'express';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config/env';
import { createContainer } from '../../src/container';

const port = Number(process.env.PORT);
const mode = process.env.MODE ?? 'api';

async function main(): Promise<void> {
  if (mode === 'bare') {
    const body = fs.readFileSync(String(process.env.BARE_BODY_FILE));
    const app = express();
    app.get('/bare', (_req, res) => {
      res.type('application/json').send(body);
    });
    const server = app.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        server.closeAllConnections();
        process.exit(0);
      });
    }
    return;
  }

  const config = loadConfig(process.env);
  const databaseUrl = config.DATABASE_URL;
  const redisUrl = config.REDIS_URL;
  if (!databaseUrl || !redisUrl) throw new Error('DATABASE_URL and REDIS_URL are required');
  const container = createContainer(config, { databaseUrl, redisUrl });
  // Read on first use: run.ts writes the file from this server's own cached response after it has started.
  let body: Buffer | undefined;
  const app = createApp(container, {
    extraApiRoutes: (api) =>
      api.get('/bench/bare', (_req, res) => {
        body ??= fs.readFileSync(String(process.env.BARE_BODY_FILE));
        res.type('application/json').send(body);
      }),
  });
  const server = app.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
  const stop = () => {
    setTimeout(() => process.exit(0), 2_000).unref();
    server.close();
    server.closeAllConnections();
    void container.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
