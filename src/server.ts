import type { Server } from 'node:http';
import { seedIfEmpty } from '../prisma/seed';
import { createApp } from './app';
import { migrateDatabase, resolveServices } from './bootstrap';
import { loadConfig } from './config/env';
import { createContainer } from './container';
import { createConfiguredLogger } from './lib/logger';
import { exitOnStartupFailure, loadDotEnv, onShutdownSignal } from './lib/process-lifecycle';
import { startBackgroundJobs } from './modules/notifications/background-jobs';

loadDotEnv();

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createConfiguredLogger(config);

  const services = await resolveServices(config, logger);
  await migrateDatabase(services.endpoints.databaseUrl, logger);
  const container = createContainer(config, services.endpoints, { logger });
  if (config.SEED_ON_START) await seedIfEmpty(container.prisma, { logger });

  // Outbox relay + queue workers in this process unless a separate worker (src/worker.ts) runs them.
  const jobs = config.RUN_JOBS_IN_API ? startBackgroundJobs(container.jobDeps) : undefined;

  const app = createApp(container);
  const server: Server = app.listen(config.PORT, config.HOST, () => {
    logger.info(`listening on http://localhost:${config.PORT}/api/v1 (docs: /api/v1/docs)`);
  });

  onShutdownSignal(logger, config.SHUTDOWN_TIMEOUT_MS, async () => {
    // Stop accepting connections; in-flight requests finish, idle keep-alive sockets are closed.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timeout = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS);
    await closed;
    clearTimeout(timeout);
    await jobs?.stop();
    await container.close();
    await services.stop();
  });
}

main().catch(exitOnStartupFailure('ecommerce-api'));
