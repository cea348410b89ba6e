/**
 * What the jest global setup hands to the test workers through the environment.
 * The setup runs in the parent process; workers inherit its environment.
 */
export const TEST_ENV = {
  /** A Postgres server URL whose credentials may create databases. */
  serverUrl: 'ECOM_TEST_PG_SERVER_URL',
  /** The migrated template database every worker database is copied from. */
  templateDb: 'ECOM_TEST_TEMPLATE_DB',
  redisUrl: 'ECOM_TEST_REDIS_URL',
  /** Unique per `jest` run: prefixes every database and Redis key the run creates. */
  runId: 'ECOM_TEST_RUN_ID',
  /** JSON `{ inSync, drift }` of the schema ↔ migrations check the setup ran (see tests/integration/migrations). */
  migrationCheck: 'ECOM_TEST_MIGRATION_CHECK',
} as const;

export function readTestEnv(name: keyof typeof TEST_ENV): string {
  const value = process.env[TEST_ENV[name]];
  if (!value) throw new Error(`${TEST_ENV[name]} is not set: run the tests through jest (global setup).`);
  return value;
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
