import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { AuthGuards } from './auth';

/** What every module's route factory needs besides its own controller/service. */
export interface RouterDeps {
  docs: OpenAPIRegistry;
  guards: AuthGuards;
}
