// PostgreSQL side of the schema-engine shim: connection settings, the one-shot database commands
// (`cli can-connect-to-database | create-database | drop-database`) and the driver-adapter factory that the
// WebAssembly schema engine runs its SQL through.
//
// The factory works around two defects of @prisma/adapter-pg 7.10 (see /work/shared/prisma-offline.md):
//  1. the adapter rejects Postgres's one-byte "char" type (OID 18), which the engine's schema describer selects
//     (e.g. pg_class.relkind) -> we report such columns as text;
//  2. PrismaPg#connectToShadowDb drops the shadow database before closing its pool (so the drop fails and the
//     database leaks) and, when built from a connection string, its "shadow" pool connects to the MAIN database
//     -> we create and drop our own shadow database from explicit connection fields.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';

// Parse URLs exactly as pg itself does (sslmode, ?host=/socket/dir, …) by using the copy of
// pg-connection-string that pg depends on, rather than relying on how npm hoisted it.
const requireFromPg = createRequire(createRequire(import.meta.url).resolve('pg'));
const { parse: parseConnectionString } = requireFromPg('pg-connection-string');

const OID_CHAR = 18; // Postgres's internal one-byte "char" type
const OID_TEXT = 25;

/** An error carrying a Prisma error code (P1001, …); the shim reports `code` as the CLI's `error_code`. */
export class EngineError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'EngineError';
    this.code = code ?? undefined;
  }
}

const quoteIdent = (name) => `"${String(name).replaceAll('"', '""')}"`;

/**
 * Turns a Prisma datasource URL into explicit pg connection fields. Explicit fields (not `connectionString`)
 * matter: pg lets a connectionString override `database`, which is how adapter-pg's shadow pool ended up on
 * the main database.
 */
export function parseDatabaseUrl(url) {
  if (typeof url !== 'string' || url === '') {
    throw new EngineError(
      null,
      'No datasource URL was given to the schema engine (set datasource.url in prisma.config.ts).',
    );
  }
  let protocol;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new EngineError('P1013', 'The provided database string is invalid. The URL could not be parsed.');
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new EngineError(
      null,
      `This schema engine (WebAssembly shim) only supports PostgreSQL URLs, not "${protocol}".`,
    );
  }
  // Prisma-only URL parameters (connection_limit, pool_timeout, pgbouncer, …) are ignored by pg; `schema` is ours.
  const { schema, ...config } = parseConnectionString(url);
  if (config.port) config.port = Number(config.port);
  if (schema && !config.options) {
    // The native engine sets search_path to the URL's schema; do the same so unqualified names (e.g. the
    // _prisma_migrations table) resolve to it.
    config.options = `-c search_path=${quoteIdent(schema)}`;
  }
  return {
    config,
    schema: schema || undefined,
    database: config.database,
    user: config.user,
    address: `${config.host || 'localhost'}:${config.port || 5432}`,
  };
}

/** Maps pg / socket errors to the Prisma error codes and messages the CLI knows (it acts on P1003, for one). */
export function toEngineError(error, target) {
  if (error instanceof EngineError) return error;
  const { address, database, user } = target;
  switch (error?.code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case 'EAI_AGAIN':
      return new EngineError(
        'P1001',
        `Can't reach database server at \`${address}\`\n\nPlease make sure your database server is running at \`${address}\`.`,
      );
    case '3D000':
      return new EngineError(
        'P1003',
        `Database \`${database}\` does not exist on the database server at \`${address}\`.`,
      );
    case '28P01':
    case '28000':
      return new EngineError(
        'P1000',
        `Authentication failed against database server, the provided database credentials for \`${user}\` are not valid.\n\n` +
          'Please make sure to provide valid database credentials for the database server at the configured address.',
      );
    case '42501':
      return new EngineError('P1010', `User \`${user}\` was denied access on the database \`${database}\``);
    case '42P04':
      return new EngineError(
        'P1009',
        `Database \`${database}\` already exists on the database server at \`${address}\``,
      );
    default:
      return new EngineError(null, error?.message ?? String(error));
  }
}

async function withClient(config, fn) {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `cli can-connect-to-database`; also run before starting the engine so connection errors carry P-codes. */
export async function canConnect(target) {
  try {
    await withClient(target.config, (client) => client.query('SELECT 1'));
  } catch (error) {
    throw toEngineError(error, target);
  }
}

// CREATE/DROP DATABASE cannot run inside the database concerned; like the native engine, use the
// `postgres` maintenance database, falling back to `template1` where `postgres` does not exist.
async function withMaintenanceClient(target, fn) {
  try {
    return await withClient({ ...target.config, database: 'postgres' }, fn);
  } catch (error) {
    if (error?.code !== '3D000') throw error;
    return withClient({ ...target.config, database: 'template1' }, fn);
  }
}

/** `cli create-database` and the `createDatabase` RPC method. */
export async function createDatabase(target) {
  try {
    await withMaintenanceClient(target, (client) =>
      client.query(`CREATE DATABASE ${quoteIdent(target.database)}`),
    );
    return target.database;
  } catch (error) {
    throw toEngineError(error, target);
  }
}

/** `cli drop-database`. */
export async function dropDatabase(target) {
  try {
    await withMaintenanceClient(target, (client) =>
      client.query(`DROP DATABASE ${quoteIdent(target.database)}`),
    );
  } catch (error) {
    throw toEngineError(error, target);
  }
}

/**
 * Defect 1: report "char" (OID 18) columns as text (OID 25). pg already parsed the values as strings; only the
 * type id the adapter maps to a Prisma column type changes. As the pool's Client class this covers both
 * pool.query() and transaction connections.
 */
class CharAsTextClient extends pg.Client {
  query(config, values, callback) {
    if (typeof values === 'function') {
      callback = values;
      values = undefined;
    }
    if (typeof callback === 'function') {
      return super.query(config, values, (error, result) =>
        callback(error, error ? result : relabelChar(result)),
      );
    }
    const pending = super.query(config, values);
    return typeof pending?.then === 'function' ? pending.then(relabelChar) : pending;
  }
}

function relabelChar(result) {
  for (const { fields } of Array.isArray(result) ? result : [result]) {
    for (const field of fields ?? []) if (field.dataTypeID === OID_CHAR) field.dataTypeID = OID_TEXT;
  }
  return result;
}

async function connectAdapter(config, schema) {
  const pool = new pg.Pool({ ...config, Client: CharAsTextClient });
  const adapter = await new PrismaPg(pool, { schema, disposeExternalPool: true }).connect();
  // adapter-pg's executeScript splits the script on every ";" (breaking semicolons inside strings and function
  // bodies) and sends the pieces to arbitrary pool connections. The native engine sends a migration script as one
  // simple-protocol query on one connection (Postgres then runs it as one implicit transaction); do the same.
  adapter.executeScript = async (script) => {
    try {
      await pool.query(script);
    } catch (error) {
      adapter.onError(error); // throws the adapter's DriverAdapterError, as its own implementation would
    }
  };
  return adapter;
}

/**
 * The factory given to the wasm SchemaEngine (wrapped by bindMigrationAwareSqlAdapterFactory).
 * `cleanup()` drops any shadow database still around (e.g. the CLI killed us mid-command).
 */
export function createAdapterFactory({ target, shadowTarget, log }) {
  const liveShadowDatabases = new Set();
  let closed = false;

  async function dropShadowDatabase(name) {
    const drop = (force) => (client) =>
      client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}${force ? ' WITH (FORCE)' : ''}`);
    try {
      await withClient(target.config, drop(false)).catch((error) => {
        // 55006 = still in use (a session we did not close); PG ≥ 13 can terminate it.
        if (error?.code === '55006') return withClient(target.config, drop(true));
        throw error;
      });
      liveShadowDatabases.delete(name);
    } catch (error) {
      log('WARN', `Could not drop shadow database ${name}: ${error.message}`);
    }
  }

  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',

    connect: () => connectAdapter(target.config, target.schema),

    async connectToShadowDb() {
      if (shadowTarget) {
        // A configured shadowDatabaseUrl is used in place, wiped first (as the native engine resets it).
        if (shadowTarget.address === target.address && shadowTarget.database === target.database) {
          throw new EngineError(
            null,
            'The shadow database you configured appears to be the same as the main database. Please specify another shadow database.',
          );
        }
        const schema = quoteIdent(shadowTarget.schema ?? 'public');
        await withClient(shadowTarget.config, (client) =>
          client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`),
        ).catch((error) => {
          throw toEngineError(error, shadowTarget);
        });
        return connectAdapter(shadowTarget.config, shadowTarget.schema);
      }

      // Defect 2: our own throw-away database, on the main database's server, with explicit fields.
      const name = `prisma_migrate_shadow_db_${randomUUID()}`;
      try {
        await withClient(target.config, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
      } catch (error) {
        throw new EngineError(
          'P3014',
          'Prisma Migrate could not create the shadow database. Please make sure the database user has permission to ' +
            'create databases. Read more about the shadow database (and workarounds) at https://pris.ly/d/migrate-shadow\n\n' +
            `Original error: \n${error.message}`,
        );
      }
      liveShadowDatabases.add(name);
      if (closed) {
        // cleanup() ran while we were creating it (the shim is exiting): do not leave it behind
        await dropShadowDatabase(name);
        throw new EngineError(null, 'The schema engine is shutting down.');
      }
      const adapter = await connectAdapter({ ...target.config, database: name }, target.schema);
      const closePool = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        // Close the pool FIRST: Postgres refuses to drop a database that still has sessions.
        try {
          await closePool();
        } finally {
          await dropShadowDatabase(name);
        }
      };
      return adapter;
    },

    async cleanup() {
      closed = true;
      await Promise.all([...liveShadowDatabases].map(dropShadowDatabase));
    },
  };
}
