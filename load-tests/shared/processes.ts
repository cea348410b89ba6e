/**
 * Child processes of the benchmarks: the app (and the bare reference app) in server processes of their own, so the
 * load driver never shares an event loop with what it measures.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { findFreePort } from '../../src/lib/embedded/free-port';

const ROOT = path.resolve(__dirname, '../..');
const children: ChildProcess[] = [];

/** Starts load-tests/shared/server.ts (MODE=api|bare) on a free port and waits for its `ready` line. */
export async function startServer(
  env: Record<string, string>,
): Promise<{ port: number; child: ChildProcess }> {
  const port = await findFreePort();
  // SERVER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) reaches the servers only, not the load driver.
  const nodeArgs = process.env.SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(__dirname, 'server.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('ready')) resolve();
      // The server's own log lines (warnings and errors at the benchmarks' LOG_LEVEL) stay visible.
      process.stderr.write(chunk);
    });
    child.once('exit', (code) => reject(new Error(`server (${env.MODE}) exited early with code ${code}`)));
  });
  return { port, child };
}

export function stopServers(): void {
  for (const child of children) child.kill('SIGTERM');
}
