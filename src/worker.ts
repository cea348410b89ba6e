import fs from 'node:fs';
import { resolveServices } from './bootstrap';
import { ConfigError, loadConfig } from './config/env';
import { createContainer } from './container';
import { createLogger } from './lib/logger';
import { startBackgroundJobs } from './modules/notifications/background-jobs';

if (fs.existsSync('.env')) process.loadEnvFile('.env');

/**
 * The background worker process: outbox relay and queue consumers, no HTTP. Run it beside API processes started
 * with RUN_JOBS_IN_API=false (docker-compose does). Migrations are the API's / the migrate service's job.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({
    level: config.LOG_LEVEL,
    pretty: config.NODE_ENV === 'development',
    service: `${config.APP_NAME}-worker`,
  });

  const services = await resolveServices(config, logger);
  const container = createContainer(config, services.endpoints, { logger });
  const jobs = startBackgroundJobs(container);
  logger.info('worker started');

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info('shutting down', { signal });
    // Last resort if something hangs: jobs.stop() is already bounded by SHUTDOWN_TIMEOUT_MS.
    setTimeout(() => process.exit(1), config.SHUTDOWN_TIMEOUT_MS * 2).unref();
    await jobs.stop();
    await container.close();
    await services.stop();
    logger.info('shutdown complete');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`\necommerce-api worker failed to start:\n${message}\n\n`);
  process.exit(1);
});
