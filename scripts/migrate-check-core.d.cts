// Types for migrate-check-core.cjs, so TypeScript tests can `import { checkMigrationsInSync } from '…/scripts/migrate-check-core.cjs'`.

export interface CheckMigrationsOptions {
  /** PostgreSQL server to use (two throw-away databases are created and dropped there). Default: TEST_DATABASE_URL, else DATABASE_URL. */
  databaseUrl?: string;
  /** Directory the paths below are relative to. Default: the project root. */
  cwd?: string;
  /** Default: prisma/schema.prisma */
  schemaPath?: string;
  /** A Prisma config file (its migrations path is used). Default: the one prisma finds in `cwd`. */
  configPath?: string;
}

export interface MigrationsCheckResult {
  inSync: boolean;
  /** The differences between the migrated and the declared database, one per line; '' when in sync. */
  drift: string;
}

/** Rejects when the check itself cannot run (e.g. no database server, invalid schema). */
export declare function checkMigrationsInSync(
  options?: CheckMigrationsOptions,
): Promise<MigrationsCheckResult>;
