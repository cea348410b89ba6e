import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { Prisma, PrismaClient } from '../generated/prisma/client';

export { Prisma, PrismaClient };
export type Db = PrismaClient;
/** The client handed to repositories inside `prisma.$transaction(async (tx) => …)`. */
export type Tx = Prisma.TransactionClient;
/** A repository method accepts either the root client or a transaction client. */
export type DbClient = Db | Tx;
/** Runs `work` in one database transaction; services receive it instead of the client. */
export type TransactionRunner = <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;

export interface Database {
  prisma: Db;
  pool: Pool;
  close(): Promise<void>;
}

/**
 * Prisma 7 talks to Postgres through the `pg` driver adapter. We own the pool so health checks can ping it
 * and tests can observe the statements a request issues.
 */
export function createDatabase(options: { url: string; poolSize: number; pool?: Pool }): Database {
  const pool =
    options.pool ??
    new Pool({ connectionString: options.url, max: options.poolSize, connectionTimeoutMillis: 5_000 });
  // A broken idle connection (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}

/** True for a Prisma unique-constraint violation (P2002), optionally on a given field. */
export function isUniqueViolation(error: unknown, field?: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return false;
  if (!field) return true;
  return JSON.stringify(error.meta ?? {}).includes(field);
}
