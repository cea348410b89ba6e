import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/lib/embedded/embedded-postgres';
import { findFreePort, isProcessAlive } from '../../src/lib/embedded/free-port';
import { REDIS_NOT_FOUND_MESSAGE, spawnRedis } from '../../src/lib/embedded/spawned-redis';

jest.setTimeout(30_000);

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-services-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function postmasterPid(dataDir: string): number {
  return Number.parseInt(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0], 10);
}

describe('startEmbeddedPostgres', () => {
  test('starts a UTF-8 cluster in a temp dir and removes it on stop', async () => {
    const dataDir = path.join(tmpRoot, 'ephemeral');
    const pg = await startEmbeddedPostgres({ dataDir, persistent: false });
    try {
      expect(pg.url).toMatch(
        new RegExp(`^postgresql://postgres:[^@]+@127\\.0\\.0\\.1:${pg.port}/ecommerce$`),
      );
      expect(pg.port).not.toBe(5432);
      expect(await query(pg.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
      expect(await query(pg.url, 'SHOW server_encoding')).toEqual([{ server_encoding: 'UTF8' }]);
    } finally {
      await pg.stop();
    }
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  test('starts again over a postmaster that was never stopped, keeping the data', async () => {
    const dataDir = path.join(tmpRoot, 'left-running');
    const first = await startEmbeddedPostgres({ dataDir, persistent: true });
    await query(first.url, 'CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)');
    const leftRunning = postmasterPid(dataDir);

    // No first.stop(): the server keeps running and holds the data directory, as after a crash of its owner.
    const second = await startEmbeddedPostgres({ dataDir, persistent: false });
    try {
      expect(isProcessAlive(leftRunning)).toBe(false);
      expect(await query(second.url, 'SELECT v FROM kept')).toEqual([{ v: 42 }]);
    } finally {
      await second.stop();
      await first.stop(); // must not hang on a server that is already gone
    }
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  test('stops the orphaned postmaster of a SIGKILLed parent process', async () => {
    const dataDir = path.join(tmpRoot, 'orphan');
    const modulePath = path.resolve(__dirname, '../../src/lib/embedded/embedded-postgres.ts');
    const script =
      `require(${JSON.stringify(modulePath)}).startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, ` +
      `persistent: true }).then((pg) => process.stdout.write(pg.url + '\\n'), (e) => { console.error(e); process.exit(1); });`;
    const parent = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      parent.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('\n')) resolve(out.trim());
      });
      parent.once('exit', (code) => reject(new Error(`parent exited early (code ${code})`)));
    });
    expect(url).toMatch(/^postgresql:\/\//);
    const orphan = postmasterPid(dataDir);
    const parentExited = new Promise((resolve) => parent.once('exit', resolve));
    parent.kill('SIGKILL');
    await parentExited;
    expect(isProcessAlive(orphan)).toBe(true);

    const pg = await startEmbeddedPostgres({ dataDir, persistent: false });
    try {
      expect(isProcessAlive(orphan)).toBe(false);
      expect(await query(pg.url, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await pg.stop();
    }
  });

  test('a busy port becomes a readable error', async () => {
    const blocker = net.createServer();
    const port = await findFreePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    const dataDir = path.join(tmpRoot, 'busy-port');
    try {
      await expect(startEmbeddedPostgres({ dataDir, port, persistent: false })).rejects.toThrow(
        `port ${port} on 127.0.0.1 is already in use`,
      );
      expect(fs.existsSync(dataDir)).toBe(false); // a throwaway cluster that never started is not left behind
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('spawnRedis', () => {
  test('answers PING and stops', async () => {
    const redis = await spawnRedis();
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await client.connect();
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
      await redis.stop();
    }
    expect(isProcessAlive(redis.pid)).toBe(false);
  });

  test('stops a leftover redis-server recorded in the pid file', async () => {
    const pidFile = path.join(tmpRoot, 'redis.pid');
    const first = await spawnRedis({ pidFile });
    expect(fs.readFileSync(pidFile, 'utf8').trim()).toBe(String(first.pid));

    // Never stopped, as if its parent had been SIGKILLed: the next start finds it through the pid file.
    const second = await spawnRedis({ pidFile });
    try {
      expect(isProcessAlive(first.pid)).toBe(false);
      expect(fs.readFileSync(pidFile, 'utf8').trim()).toBe(String(second.pid));
    } finally {
      await second.stop();
      await first.stop();
    }
    expect(fs.existsSync(pidFile)).toBe(false);
  });

  test('a missing redis-server binary says how to fix it', async () => {
    const savedPath = process.env.PATH;
    process.env.PATH = '';
    try {
      await expect(spawnRedis()).rejects.toThrow(REDIS_NOT_FOUND_MESSAGE);
    } finally {
      process.env.PATH = savedPath;
    }
  });
});
