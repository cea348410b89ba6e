import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { Prisma, PrismaClient } from '../generated/prisma/client';

export { Prisma, PrismaClient };
export type Db = PrismaClient;
/** The client handed to repositories inside `prisma.$transaction(async (tx) => …)`. */
export type Tx = Prisma.TransactionClient;
/** A repository method accepts either the root client or a transaction client. */
export type DbClient = Db | Tx;
/**
 * "Now" for raw SQL against our columns: they are `timestamp(3)` without time zone holding UTC (Prisma writes them
 * so). Bare `now()` would be compared in the session's time zone, which is the machine's local zone on an embedded
 * development database: an expiry or a due time would be off by hours west or east of Greenwich.
 */
export const SQL_UTC_NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

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
export interface DatabaseOptions {
  url: string;
  poolSize: number;
  /** Longest a statement may run: the server cancels it, and the client gives up on a server that stopped answering. */
  statementTimeoutMs?: number;
  /** Longest a query waits for a pooled connection (and a new connection for its handshake). */
  poolTimeoutMs?: number;
  pool?: Pool;
}

export function createDatabase(options: DatabaseOptions): Database {
  const statementTimeoutMs = options.statementTimeoutMs ?? 10_000;
  const pool =
    options.pool ??
    new Pool({
      connectionString: options.url,
      max: options.poolSize,
      connectionTimeoutMillis: options.poolTimeoutMs ?? 5_000,
      statement_timeout: statementTimeoutMs,
      // A hung (e.g. SIGSTOPped) server never sends the cancellation: the client stops waiting a little later.
      query_timeout: statementTimeoutMs + 1_000,
    });
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

/**
 * Prisma's codes for "the database cannot be reached or did not answer in time": P1001 unreachable, P1002 timed
 * out, P1008 operation timed out, P1017 server closed the connection, P2024 no pooled connection in time, P2028
 * transaction API error (a transaction that could not start or was cut off), P2037 too many connections.
 */
const PRISMA_UNAVAILABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2037']);
/**
 * PostgreSQL SQLSTATEs of the same kind: class 08 (connection exception), 57P01–57P05 (admin/crash shutdown,
 * cannot connect now, idle session timeout…), 57014 (statement cancelled: our statement_timeout), 53300 (too many
 * connections), 40P01 is not here (a deadlock is the caller's to retry).
 */
const SQLSTATE_UNAVAILABLE = /^(08...|57P0[1-5]|57014|53300)$/;
/** Socket-level failures of the pg driver or ioredis. */
const ERRNO_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** Driver messages without a code: pg's pool/client timeouts and closed connections, ioredis' command timeout. */
const MESSAGE_UNAVAILABLE =
  /Connection terminated|Connection is closed|timeout exceeded when trying to connect|Query read timeout|Command timed out|Client has encountered a connection error|the database system is (shutting down|starting up)/i;

/**
 * True when the error (or anything it wraps: `cause`, Prisma's driver-adapter error in `meta`) says a database
 * or Redis is down, hung, restarting or out of connections — a dependency failure (503), not a bug (500).
 */
export function isDependencyFailure(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  const { code, originalCode, name, message, cause, meta } = error as Record<string, unknown>;
  for (const value of [code, originalCode]) {
    if (typeof value !== 'string') continue;
    if (PRISMA_UNAVAILABLE.has(value) || SQLSTATE_UNAVAILABLE.test(value) || ERRNO_UNAVAILABLE.has(value)) {
      return true;
    }
  }
  if (name === 'MaxRetriesPerRequestError') return true;
  if (typeof message === 'string' && MESSAGE_UNAVAILABLE.test(message)) return true;
  const adapterError = (meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError;
  return [cause, adapterError].some((inner) => isDependencyFailure(inner, depth + 1));
}
