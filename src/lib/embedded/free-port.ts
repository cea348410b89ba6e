import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/** Ports we never hand out: 5432 belongs to a system PostgreSQL on most machines, 6379 to a system Redis. */
const RESERVED_PORTS = new Set([5432, 6379]);

export interface FindFreePortOptions {
  /** Returned when it is free (e.g. a stable 54329 for `npm start`); otherwise any free port is returned. */
  preferred?: number;
  /** Defaults to 127.0.0.1, where the embedded services listen. */
  host?: string;
}

/** Resolves to the bound port, or null when the port is taken (or not ours to take). */
function tryListen(port: number, host: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(null);
      else reject(err);
    });
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : null;
      server.close(() => resolve(bound));
    });
  });
}

/** True when nothing listens on host:port right now. */
export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return (await tryListen(port, host)) !== null;
}

/**
 * A TCP port that is free on `host` at the time of the call. There is an unavoidable window between this check and
 * the service binding it, so callers that picked the port themselves should retry once on "address in use".
 */
export async function findFreePort(options: FindFreePortOptions = {}): Promise<number> {
  const host = options.host ?? '127.0.0.1';
  if (options.preferred !== undefined && (await isPortFree(options.preferred, host)))
    return options.preferred;
  // Port 0 lets the kernel choose from the ephemeral range; loop only to skip the reserved ports.
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const port = await tryListen(0, host);
    if (port !== null && !RESERVED_PORTS.has(port)) return port;
  }
  throw new Error(`Could not find a free TCP port on ${host}.`);
}

// ---------------------------------------------------------------------------------------------------------------
// Process helpers shared by the embedded services (kept here so both services depend on one small module).

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** argv as the process shows it now (daemons such as redis-server rewrite it). */
  args: string[];
  /** True for a zombie: exited, but not yet reaped by its parent. */
  zombie: boolean;
}

function readLinuxProcessInfo(pid: number): ProcessInfo | null {
  try {
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    // The command name in /proc/<pid>/stat may contain spaces and parentheses: parse after the last ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]), args, zombie: fields[0] === 'Z' };
  } catch {
    return null;
  }
}

function readPsProcessInfo(pid: number): ProcessInfo | null {
  const result = spawnSync('ps', ['-o', 'ppid=,stat=,command=', '-p', String(pid)], { encoding: 'utf8' });
  const match = /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(result.stdout ?? '');
  if (result.status !== 0 || !match) return null;
  // ps cannot give the argv boundaries; a space split is good enough for the "does it name X" checks below.
  return {
    pid,
    ppid: Number(match[1]),
    args: match[3].trim().split(/\s+/),
    zombie: match[2].startsWith('Z'),
  };
}

/** What the OS says about a pid, or null when no such process exists. Linux reads /proc, others ask `ps`. */
export function readProcessInfo(pid: number): ProcessInfo | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return process.platform === 'linux' ? readLinuxProcessInfo(pid) : readPsProcessInfo(pid);
}

/** Alive means it exists and is not a zombie: a killed child of ours stays a zombie until Node reaps it. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  const info = readProcessInfo(pid);
  return info === null ? true : !info.zombie;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until the pid is gone; resolves false on timeout. Works for processes that are not our children. */
export async function waitForProcessExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(25);
  }
  return true;
}

/** Sends `signal`, waits, then SIGKILLs after `timeoutMs`. Resolves once the process is gone. */
export async function terminateProcess(
  pid: number,
  signal: NodeJS.Signals,
  timeoutMs: number,
): Promise<void> {
  try {
    process.kill(pid, signal);
  } catch {
    return; // already gone
  }
  if (await waitForProcessExit(pid, timeoutMs)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  if (!(await waitForProcessExit(pid, 5000))) throw new Error(`Process ${pid} did not exit after SIGKILL.`);
}
