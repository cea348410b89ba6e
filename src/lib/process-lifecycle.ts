import fs from 'node:fs';
import type { Logger } from './logger';
import { currentRequestId } from './request-scope';

/** `.env` in the working directory, if present; variables already in the environment win. */
export function loadDotEnv(): void {
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
}

/** Starts the graceful shutdown (once; later calls are ignored) and exits with `exitCode` when it is done. */
export type ShutdownTrigger = (reason: string, exitCode: number) => Promise<void>;

/**
 * Runs `shutdown` once on the first SIGTERM/SIGINT, then exits 0. A watchdog exits 1 if shutting down hangs
 * well past the configured timeout. Returns the trigger, for other reasons to shut down (installFaultHandlers).
 */
export function onShutdownSignal(
  logger: Logger,
  timeoutMs: number,
  shutdown: () => Promise<void>,
): ShutdownTrigger {
  let shuttingDown = false;
  const trigger: ShutdownTrigger = async (reason, exitCode) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info('shutting down', { reason });
    setTimeout(() => process.exit(1), timeoutMs * 2).unref();
    try {
      await shutdown();
      logger.info('shutdown complete');
    } catch (error) {
      logger.error('shutdown failed', { error });
      exitCode = 1;
    }
    process.exit(exitCode);
  };
  process.once('SIGTERM', () => void trigger('SIGTERM', 0));
  process.once('SIGINT', () => void trigger('SIGINT', 0));
  return trigger;
}

/**
 * A rejection nobody handled or an exception nobody caught leaves the process in an unknown state: log it (with
 * the request it happened in, when there is one) and leave through the graceful shutdown, exit code 1, so
 * in-flight requests still finish and the supervisor starts a clean process.
 */
export function installFaultHandlers(logger: Logger, shutdown: ShutdownTrigger): void {
  const fault = (kind: string) => (error: unknown) => {
    logger.error(kind, { requestId: currentRequestId(), error });
    void shutdown(kind, 1);
  };
  process.on('unhandledRejection', fault('unhandledRejection'));
  process.on('uncaughtException', fault('uncaughtException'));
}

/** A start-up failure (bad configuration, unreachable dependency): one readable message, exit 1. */
export function exitOnStartupFailure(processName: string): (error: unknown) => never {
  return (error) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`\n${processName} failed to start:\n${message}\n\n`);
    process.exit(1);
  };
}
