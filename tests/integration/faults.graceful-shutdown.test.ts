import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { findFreePort } from '../../src/lib/embedded/free-port';
import { createTestContext, type TestContext } from '../helpers/test-app';
import { readTestEnv } from '../helpers/test-env';

jest.setTimeout(90_000);

const ROOT = path.join(__dirname, '../..');
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx.close();
});

interface Reply {
  status: number;
  connection?: string;
}

function get(agent: http.Agent, port: number, urlPath: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
    });
    req.on('error', reject);
  });
}

/** Resolves with the stdout seen so far once a line matches. */
function waitForOutput(child: ChildProcess, pattern: RegExp, seen: { text: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pattern.test(seen.text)) {
        child.stdout!.off('data', check);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) =>
      reject(new Error(`server exited (${code}) before ${pattern}: ${seen.text}`)),
    );
    check();
  });
}

test('SIGTERM under load: /ready 503 at once, every keep-alive client told Connection: close, no reset, exit 0', async () => {
  const port = await findFreePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: ctx.container.endpoints.databaseUrl,
      REDIS_URL: readTestEnv('redisUrl'),
      REDIS_KEY_PREFIX: `${ctx.container.keys.prefix}:server`,
      JWT_SECRET: 'test-secret-0123456789abcdefghijklmnopqrstuvwxyz',
      SEED_ON_START: 'false',
      RUN_JOBS_IN_API: 'false',
      RATE_LIMIT_MAX: '10000000',
      SHUTDOWN_TIMEOUT_MS: '8000',
    },
  });
  const seen = { text: '' };
  child.stdout!.on('data', (chunk) => (seen.text += chunk));
  child.stderr!.on('data', (chunk) => (seen.text += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    await waitForOutput(child, /listening on/, seen);

    const readyAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    // Ready once its probes answer (on a loaded machine the first probe may exceed the Redis command timeout).
    let readyStatus = 0;
    for (let attempt = 0; attempt < 50 && readyStatus !== 200; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      readyStatus = (await get(readyAgent, port, '/api/v1/ready')).status;
    }
    expect(readyStatus).toBe(200);

    // 20 keep-alive clients, each sending its next request as soon as the previous answer arrives (distinct
    // queries: each one reaches PostgreSQL), until an answer says Connection: close.
    const errors: string[] = [];
    let served = 0;
    let query = 0;
    const clients = Array.from({ length: 20 }, async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (;;) {
          const reply = await get(agent, port, `/api/v1/products?limit=5&minPrice=${++query}`);
          served++;
          if (reply.status !== 200) errors.push(`status ${reply.status}`);
          if (reply.connection === 'close') return true;
        }
      } catch (error) {
        errors.push((error as NodeJS.ErrnoException).code ?? String(error));
        return false;
      } finally {
        agent.destroy();
      }
    });
    while (served < 200) await new Promise((resolve) => setTimeout(resolve, 20));

    child.kill('SIGTERM');
    await waitForOutput(child, /shutting down/, seen);
    const ready = await get(readyAgent, port, '/api/v1/ready');
    expect(ready.status).toBe(503);
    readyAgent.destroy();

    const toldToClose = await Promise.all(clients);
    expect(errors).toEqual([]);
    expect(toldToClose).toEqual(Array(20).fill(true));
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
