import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { findFreePort, readProcessInfo, terminateProcess } from './free-port';

export interface SpawnRedisLogger {
  info(msg: string, meta?: object): void;
  warn(msg: string, meta?: object): void;
  /** Optional: receives every line redis-server prints. */
  debug?(msg: string, meta?: object): void;
}

export interface SpawnRedisOptions {
  /** Used as given; default: any free port on 127.0.0.1 (never 6379). */
  port?: number;
  /** Where the child's pid is kept, so a run after a SIGKILLed parent can stop the orphan. */
  pidFile?: string;
  logger?: SpawnRedisLogger;
  /** Default `redis-server`, looked up on PATH. */
  binary?: string;
  /** How long to wait for the first PONG. Default 10 s. */
  startTimeoutMs?: number;
}

export interface SpawnedRedis {
  /** redis://127.0.0.1:<port> */
  url: string;
  port: number;
  pid: number;
  /** Milliseconds from spawn to the first PONG. */
  startMs: number;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. Idempotent. */
  stop(): Promise<void>;
}

export const REDIS_NOT_FOUND_MESSAGE =
  'redis-server not found. Set REDIS_URL, install redis-server (apt-get install redis-server / brew install redis), ' +
  'or run `docker compose up -d redis`.';

const STOP_TIMEOUT_MS = 5000;
const noopLogger: SpawnRedisLogger = { info: () => undefined, warn: () => undefined };

/**
 * PING over a raw socket (no client library, no reconnect noise while the server starts), plus INFO to check that
 * the answer comes from our child and not from another server already on that port.
 */
function answersPing(port: number, pid: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\nINFO server\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (!reply.startsWith('+PONG\r\n')) {
        if (reply.includes('\r\n')) done(false);
        return;
      }
      const match = /\r\nprocess_id:(\d+)\r\n/.exec(reply);
      if (match) done(Number(match[1]) === pid);
    });
  });
}

/** A redis-server left behind by a SIGKILLed parent still holds memory (and maybe our port): stop it. */
async function stopOrphan(pidFile: string, logger: SpawnRedisLogger): Promise<void> {
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').trim(), 10);
  } catch {
    return;
  }
  const info = readProcessInfo(pid);
  // Only a redis-server: after a reboot the pid may belong to anything. Its title reads "redis-server 127.0.0.1:p".
  if (info !== null && !info.zombie && /(^|\/)redis-server( |$)/.test(info.args.join(' '))) {
    logger.warn('Stopping a redis-server left running by an earlier run', { pid });
    await terminateProcess(pid, 'SIGTERM', STOP_TIMEOUT_MS);
  }
  fs.rmSync(pidFile, { force: true });
}

function describeFailure(output: string[], code: number | null, signal: NodeJS.Signals | null): string {
  const text = output.join('\n');
  const reason = /address already in use/i.test(text)
    ? 'its port is already in use'
    : `it exited (code ${code ?? 'null'}, signal ${signal ?? 'null'})`;
  const tail = output.slice(-8).join('\n');
  return `redis-server failed to start: ${reason}.${tail ? `\nLast output:\n${tail}` : ''}`;
}

function exitOf(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function spawnOnce(
  options: SpawnRedisOptions,
  port: number,
  logger: SpawnRedisLogger,
): Promise<SpawnedRedis> {
  const began = Date.now();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
  ];
  // env passed explicitly so that PATH is read from this process's (possibly sandboxed, e.g. jest) environment.
  const child = spawn(options.binary ?? 'redis-server', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
  });

  const output: string[] = [];
  const collect = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      const trimmed = line.trim();
      if (!trimmed) continue;
      output.push(trimmed);
      if (output.length > 50) output.shift();
      logger.debug?.(`redis: ${trimmed}`);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  // A safety net only: if the process exits without stop(), do not leave the server running. Signals are sync-safe.
  const killOnExit = (): void => {
    child.kill('SIGTERM');
  };
  process.once('exit', killOnExit);

  let stopping = false;
  const failed = new Promise<never>((_, reject) => {
    // ENOENT from spawn arrives as an 'error' event, not as a throw.
    child.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'ENOENT' ? new Error(REDIS_NOT_FOUND_MESSAGE) : err);
    });
    child.once('exit', (code, signal) => {
      if (!stopping) reject(new Error(describeFailure(output, code, signal)));
    });
  });
  failed.catch(() => undefined); // after readiness, exits are reported through the logger instead

  const timeoutMs = options.startTimeoutMs ?? 10_000;
  const ready = (async (): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // No pid: spawn failed; exited: it could not start. Either way `failed` (maybe a tick later) has the reason.
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return failed;
      if (await answersPing(port, child.pid)) return;
      if (Date.now() >= deadline) throw new Error(`redis-server did not answer PING within ${timeoutMs} ms.`);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  })();

  try {
    await Promise.race([ready, failed]);
  } catch (err) {
    process.removeListener('exit', killOnExit);
    stopping = true;
    if (child.pid !== undefined) {
      child.kill('SIGKILL');
      await exitOf(child);
    }
    throw err;
  }

  const pid = child.pid as number; // it answered PING, so it was spawned
  child.once('exit', (code, signal) => {
    if (!stopping) logger.warn('redis-server exited unexpectedly', { code, signal, port });
  });
  if (options.pidFile) {
    fs.mkdirSync(path.dirname(options.pidFile), { recursive: true });
    fs.writeFileSync(options.pidFile, `${pid}\n`);
  }

  const stopServer = async (): Promise<void> => {
    stopping = true;
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = exitOf(child);
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        exited.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), STOP_TIMEOUT_MS);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    if (options.pidFile) {
      // Remove it only if it is still ours: another run may have taken the file over meanwhile.
      try {
        if (fs.readFileSync(options.pidFile, 'utf8').trim() === String(pid)) fs.rmSync(options.pidFile);
      } catch {
        // already gone
      }
    }
  };
  let stopped: Promise<void> | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid,
    startMs: Date.now() - began,
    stop: () => (stopped ??= stopServer()),
  };
}

/**
 * Spawns a throwaway redis-server (no persistence) on 127.0.0.1 and resolves once it answers PING. For machines
 * without REDIS_URL; the caller owns shutdown and must call stop().
 */
export async function spawnRedis(options: SpawnRedisOptions = {}): Promise<SpawnedRedis> {
  const logger = options.logger ?? noopLogger;
  if (options.pidFile) await stopOrphan(options.pidFile, logger);
  let port = options.port ?? (await findFreePort());
  for (let attempt = 1; ; attempt += 1) {
    try {
      const redis = await spawnOnce(options, port, logger);
      logger.info('redis-server ready', { port, pid: redis.pid, startMs: redis.startMs });
      return redis;
    } catch (err) {
      // A port we picked ourselves can be taken between the check and the bind: pick again, once.
      const lostRace = err instanceof Error && /port is already in use/.test(err.message);
      if (options.port !== undefined || !lostRace || attempt >= 2) throw err;
      port = await findFreePort();
    }
  }
}
