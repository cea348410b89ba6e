import fs from 'node:fs';
import type { Logger } from './logger';

/** `.env` in the working directory, if present; variables already in the environment win. */
export function loadDotEnv(): void {
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
}

/**
 * Runs `shutdown` once on the first SIGTERM/SIGINT, then exits 0. A watchdog exits 1 if shutting down hangs
 * well past the configured timeout.
 */
export function onShutdownSignal(logger: Logger, timeoutMs: number, shutdown: () => Promise<void>): void {
  let shuttingDown = false;
  const handle = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info('shutting down', { signal });
    setTimeout(() => process.exit(1), timeoutMs * 2).unref();
    await shutdown();
    logger.info('shutdown complete');
    process.exit(0);
  };
  process.once('SIGTERM', () => void handle('SIGTERM'));
  process.once('SIGINT', () => void handle('SIGINT'));
}

/** A start-up failure (bad configuration, unreachable dependency): one readable message, exit 1. */
export function exitOnStartupFailure(processName: string): (error: unknown) => never {
  return (error) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`\n${processName} failed to start:\n${message}\n\n`);
    process.exit(1);
  };
}
