import { z } from 'zod';
import { ApiRouter } from '../../middleware/api-router';
import { AppError } from '../../common/errors';
import { sendData } from '../../common/http';
import type { RouterDeps } from '../../middleware/router-deps';
import { HealthService } from './health.service';

const dependencyHealth = z.object({
  status: z.enum(['up', 'down']),
  latencyMs: z.number(),
});

export function healthRoutes({ docs, guards }: RouterDeps, health: HealthService): ApiRouter {
  const api = new ApiRouter(docs, guards, '', 'Operations');

  api.get(
    '/health',
    {
      summary: 'Liveness summary',
      response: z.object({ status: z.literal('ok'), uptime: z.number(), version: z.string() }),
    },
    ({ res }) => sendData(res, health.summary()),
  );

  api.get(
    '/health/detailed',
    {
      summary: 'Status and latency of every dependency',
      response: z.object({
        status: z.enum(['ok', 'degraded']),
        uptime: z.number(),
        version: z.string(),
        dependencies: z.object({
          database: dependencyHealth,
          redis: dependencyHealth,
          queue: dependencyHealth,
        }),
      }),
    },
    async ({ res }) => sendData(res, await health.detailed()),
  );

  api.get(
    '/ready',
    {
      summary:
        'Readiness: 503 while PostgreSQL or Redis is unreachable, or once the process is shutting down',
      response: z.object({
        ready: z.boolean(),
        shuttingDown: z.boolean(),
        database: dependencyHealth,
        redis: dependencyHealth,
      }),
      errors: [503],
    },
    async ({ res }) => {
      const report = await health.readiness();
      if (!report.ready) {
        throw new AppError(
          503,
          'SERVICE_UNAVAILABLE',
          report.shuttingDown
            ? 'Not ready: shutting down'
            : 'Not ready: a required dependency is unreachable',
          report,
        );
      }
      sendData(res, report);
    },
  );

  api.get(
    '/live',
    { summary: 'Liveness: the process is up', response: z.object({ status: z.literal('ok') }) },
    ({ res }) => sendData(res, { status: 'ok' as const }),
  );

  return api;
}
