import { resolveServices } from './bootstrap';
import { loadConfig } from './config/env';
import { createContainer } from './container';
import { createConfiguredLogger } from './lib/logger';
import {
  exitOnStartupFailure,
  installFaultHandlers,
  loadDotEnv,
  onShutdownSignal,
} from './lib/process-lifecycle';
import { startBackgroundJobs } from './modules/notifications/background-jobs';

loadDotEnv();

/**
 * The background worker process: outbox relay, queue consumers and the scheduled sweeps, no HTTP. Run it beside
 * API processes started with RUN_JOBS_IN_API=false (docker-compose does). Migrations are the API's / the migrate
 * service's job.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createConfiguredLogger(config, `${config.APP_NAME}-worker`);

  const services = await resolveServices(config, logger);
  const container = createContainer(config, services.endpoints, { logger });
  const jobs = startBackgroundJobs(container.jobDeps);
  logger.info('worker started');

  const shutdown = onShutdownSignal(logger, config.SHUTDOWN_TIMEOUT_MS, async () => {
    await jobs.stop();
    await container.close();
    await services.stop();
  });
  installFaultHandlers(logger, shutdown);
}

main().catch(exitOnStartupFailure('ecommerce-api worker'));
