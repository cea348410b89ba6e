import { loadConfig } from '../config/env';
import { resolveServices } from '../bootstrap';
import { AppError } from '../common/errors';
import { jobContext, type RequestContext } from '../common/request-context';
import { createContainer } from '../container';
import { createConfiguredLogger } from '../lib/logger';
import { loadDotEnv } from '../lib/process-lifecycle';
import type { OutboxAdminService } from '../modules/notifications/outbox-admin.service';
import { outboxIdParams } from '../modules/notifications/outbox.schemas';

const USAGE = 'usage: npm run outbox:retry -- <outbox event id> | --all-failed';

export class UsageError extends Error {}

/**
 * `npm run outbox:retry -- <id>|--all-failed`: sends dead letters (FAILED outbox rows) back to the relay, exactly
 * as POST /admin/outbox/:id/retry does (audited, under this script's job context). Returns the ids sent back.
 */
export async function outboxRetry(
  args: string[],
  outbox: Pick<OutboxAdminService, 'retry' | 'retryAllFailed'>,
  context: RequestContext = jobContext('outbox-retry-cli'),
): Promise<string[]> {
  const [target, ...rest] = args;
  if (rest.length > 0 || target === undefined) throw new UsageError(USAGE);
  if (target === '--all-failed') return outbox.retryAllFailed(context);
  const id = outboxIdParams.safeParse({ id: target });
  if (!id.success) throw new UsageError(`not an outbox event id: ${target}\n${USAGE}`);
  const retried = await outbox.retry(context, id.data.id);
  return [retried.id];
}

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const logger = createConfiguredLogger(config, `${config.APP_NAME}-outbox-retry`);
  const services = await resolveServices(config, logger);
  const container = createContainer(config, services.endpoints, { logger });
  try {
    const ids = await outboxRetry(process.argv.slice(2), container.services.outbox);
    process.stdout.write(
      ids.length > 0
        ? `queued again (a running worker publishes them): ${ids.join(', ')}\n`
        : 'no FAILED outbox events\n',
    );
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof AppError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  } finally {
    await container.close();
    await services.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`outbox:retry failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
