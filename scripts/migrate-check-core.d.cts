// Types for migrate-check-core.cjs, so TypeScript tests can `import { checkMigrationsInSync } from '…/scripts/migrate-check-core.cjs'`.

export interface CheckMigrationsOptions {
  /** PostgreSQL server to use (a throw-away shadow database is created there). Default: TEST_DATABASE_URL, else DATABASE_URL. */
  databaseUrl?: string;
  /** Directory the paths below are relative to. Default: the project root. */
  cwd?: string;
  /** Default: prisma/schema.prisma */
  schemaPath?: string;
  /** Default: prisma/migrations */
  migrationsPath?: string;
  /** A Prisma config file. Default: the one prisma finds in `cwd`. */
  configPath?: string;
}

export interface MigrationsCheckResult {
  inSync: boolean;
  /** The SQL that would bring the migrated database to the schema; '' when in sync. */
  drift: string;
}

/** Rejects when the check itself cannot run (e.g. no database server, invalid schema). */
export declare function checkMigrationsInSync(
  options?: CheckMigrationsOptions,
): Promise<MigrationsCheckResult>;
