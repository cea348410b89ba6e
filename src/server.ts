import { seedIfEmpty } from '../prisma/seed';
import { createApp } from './app';
import { migrateDatabase, resolveServices } from './bootstrap';
import { loadConfig } from './config/env';
import { createContainer } from './container';
import { createConfiguredLogger } from './lib/logger';
import { createHttpServer } from './lib/http-server';
import {
  exitOnStartupFailure,
  installFaultHandlers,
  loadDotEnv,
  onShutdownSignal,
} from './lib/process-lifecycle';
import { startBackgroundJobs } from './modules/notifications/background-jobs';

loadDotEnv();

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createConfiguredLogger(config);

  const services = await resolveServices(config, logger);
  await migrateDatabase(services.endpoints.databaseUrl, logger);
  const container = createContainer(config, services.endpoints, { logger });
  if (config.SEED_ON_START) await seedIfEmpty(container.prisma, { logger });

  // Outbox relay, queue workers and job schedulers in this process unless a separate worker (src/worker.ts) runs them.
  const jobs = config.RUN_JOBS_IN_API ? startBackgroundJobs(container.jobDeps) : undefined;

  const http = createHttpServer(createApp(container), logger);
  http.server.listen(config.PORT, config.HOST, () => {
    logger.info(`listening on http://localhost:${config.PORT}/api/v1 (docs: /api/v1/docs)`);
  });

  const shutdown = onShutdownSignal(logger, config.SHUTDOWN_TIMEOUT_MS, async () => {
    // /ready answers 503 at once (load balancers stop routing here); in-flight requests finish and every
    // kept-alive client is told `Connection: close` instead of being reset.
    container.services.health.beginShutdown();
    await http.drain({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
    await jobs?.stop();
    await container.close();
    await services.stop();
  });
  installFaultHandlers(logger, shutdown);
}

main().catch(exitOnStartupFailure('ecommerce-api'));
