import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { findFreePort } from '../../src/lib/embedded/free-port';
import { closeRedis, createRedis } from '../../src/lib/redis';
import { API, bearer, registerAdmin } from '../helpers/auth';
import { createProduct } from '../helpers/catalogue-fixtures';
import { createTestContext, type TestContext } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

jest.setTimeout(60_000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-redis-'));
let port: number;
let server: ChildProcess | undefined;
let ctx: TestContext;

/** A redis-server of this test's own that loads (and SAVE writes) `dump.rdb` in `dir`: restarts bring old data. */
async function startRedis(): Promise<void> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  server = child;
  const probe = createRedis(`redis://127.0.0.1:${port}`);
  try {
    await waitFor(async () => (await probe.ping().catch(() => '')) === 'PONG');
  } finally {
    await closeRedis(probe);
  }
}

async function stopRedis(): Promise<void> {
  const child = server;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  port = await findFreePort();
  await startRedis();
  // No periodic check: the reconnect alone must reveal the restart.
  ctx = await createTestContext(
    { REDIS_RUN_ID_CHECK_INTERVAL_MS: '3600000' },
    {},
    { redisUrl: `redis://127.0.0.1:${port}` },
  );
});

afterAll(async () => {
  await ctx.close();
  await stopRedis();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('Redis restarted from an older snapshot: the next read is a MISS with the price written since', async () => {
  const admin = await registerAdmin(ctx);
  const product = await createProduct(ctx, { price: '298.00' });
  const read = () => request(ctx.app).get(`${API}/products/${product.id}`);
  expect((await read()).body.data.price).toBe(298);
  const cached = await read();
  expect(cached.headers['x-cache']).toBe('HIT');
  expect(cached.body.data.price).toBe(298);

  await ctx.container.redis.save();
  const write = await request(ctx.app)
    .put(`${API}/products/${product.id}`)
    .set(bearer(admin.token))
    .send({ price: 398 });
  expect(write.status).toBe(200);
  expect((await read()).body.data.price).toBe(398);

  // Redis dies and comes back from the snapshot taken before the write: price 298 cached, version bump lost.
  await stopRedis();
  await startRedis();
  await waitFor(() => ctx.container.redis.status === 'ready');

  const afterRestart = await read();
  expect(afterRestart.headers['x-cache']).toBe('MISS');
  expect(afterRestart.body.data.price).toBe(398);
  const again = await read();
  expect(again.headers['x-cache']).toBe('HIT');
  expect(again.body.data.price).toBe(398);
});
