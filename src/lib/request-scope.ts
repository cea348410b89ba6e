import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request being handled, followed through every await of its handling, so a log line written far from the
 * request (a repository, an unhandled rejection) still names it.
 */
const scope = new AsyncLocalStorage<{ requestId: string }>();

export function runInRequestScope<T>(requestId: string, work: () => T): T {
  return scope.run({ requestId }, work);
}

/** The id of the request whose handling is running now, if any. */
export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}
