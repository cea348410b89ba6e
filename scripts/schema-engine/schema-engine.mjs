#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, which prisma downloads from binaries.prisma.sh (not
// reachable here). Point PRISMA_SCHEMA_ENGINE_BINARY at this file (scripts/prisma.mjs does) and the CLI runs it
// like the native engine; it forwards the work to the WebAssembly build of the same engine, which talks to
// PostgreSQL through @prisma/adapter-pg. Invocations the CLI makes:
//
//   schema-engine.mjs --version
//   schema-engine.mjs --datasource '{"url":…}' cli can-connect-to-database | create-database | drop-database
//   schema-engine.mjs --datamodels <schema file>… [--datasource '{"url":…,"shadowDatabaseUrl":…}'] [--enabled-preview-features …] [--extension-types …]
//
// The last form is a JSON-RPC 2.0 server: one JSON message per line on stdin/stdout. stdout must carry ONLY those
// messages, so everything else (engine logs, warnings) goes to stderr as JSON log records, which is also where
// the CLI looks for the reason when a one-shot command fails.
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { setTimeout } from 'node:timers';
import {
  EngineError,
  canConnect,
  createAdapterFactory,
  createDatabase,
  dropDatabase,
  parseDatabaseUrl,
} from './postgres.mjs';
import { createSchemaEngine, engineHash, expectedEngineHash, panicMessageOf } from './wasm-engine.mjs';

// Anything a dependency prints with console.log would corrupt the JSON-RPC stream: send it to stderr.
console.log = console.info = console.debug = console.error;

/** Writes one log record to stderr in the engine's format (the CLI parses these lines as JSON). */
function log(level, message, fields = {}) {
  const record = { timestamp: new Date().toISOString(), level, fields: { message, ...fields } };
  process.stderr.write(`${JSON.stringify({ ...record, target: 'schema_engine::logger' })}\n`);
}

function parseArgs(argv) {
  const args = { datamodels: [], datasource: undefined, version: false, cliCommand: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case '--datamodels':
        args.datamodels.push(argv[++i]);
        break;
      case '--datasource':
        args.datasource = JSON.parse(argv[++i]);
        break;
      case '--enabled-preview-features':
      case '--extension-types':
        i++; // accepted for compatibility; the wasm engine takes neither
        break;
      case '--version':
      case '-V':
        args.version = true;
        break;
      case 'cli':
        args.cliCommand = argv[++i] ?? '';
        break;
      default:
        throw new Error(`schema-engine shim: unexpected argument "${arg}"`);
    }
  }
  return args;
}

/** `cli <command>`: exit 0 on success; on failure exit 1 with an ERROR record the CLI turns into its message. */
async function runCliCommand(command, datasource) {
  log('INFO', `Starting schema engine shim (${command})`); // the CLI skips the first stderr line
  try {
    const target = parseDatabaseUrl(datasource?.url);
    switch (command) {
      case 'can-connect-to-database':
        await canConnect(target);
        break;
      case 'create-database':
        log('INFO', `Database '${await createDatabase(target)}' was successfully created.`);
        break;
      case 'drop-database':
        await dropDatabase(target);
        log('INFO', `The database was successfully dropped.`);
        break;
      default:
        throw new EngineError(null, `Unknown cli command: ${command}`);
    }
    return 0;
  } catch (error) {
    log('ERROR', error.message, isPrismaCode(error.code) ? { error_code: error.code } : {});
    return 1;
  }
}

const isPrismaCode = (code) => typeof code === 'string' && /^P\d{4}$/.test(code);

// RPC methods that map 1:1 onto a wasm SchemaEngine method with the same params and result.
const PASSTHROUGH_METHODS = new Set([
  'applyMigrations',
  'createMigration',
  'dbExecute',
  'devDiagnostic',
  'diagnoseMigrationHistory',
  'ensureConnectionValidity',
  'evaluateDataLoss',
  'introspect',
  'introspectSql',
  'markMigrationApplied',
  'markMigrationRolledBack',
  'reset',
  'schemaPush',
]);

// In the wasm engine, evaluateDataLoss and createMigration cannot use the shadow-database factory: they only
// read "the schema the migrations produce" from a cache that devDiagnostic / diagnoseMigrationHistory fill —
// for the APPLIED migrations only. So after `migrate dev` applied pending migrations they fail with
// "PostgreSQL shadow DB must be provided through an external factory".
const MIGRATIONS_CACHE_METHODS = new Set(['evaluateDataLoss', 'createMigration']);
const SHADOW_CACHE_MISS = /shadow DB must be provided through an external factory/;

async function runServer({ datamodels: schemaPaths, datasource }) {
  const expected = expectedEngineHash();
  if (expected && expected !== engineHash()) {
    log(
      'WARN',
      `@prisma/schema-engine-wasm is built from engine ${engineHash()}, the prisma CLI expects ${expected}.`,
    );
  }
  // The CLI starts us with cwd = the schema's directory and passes paths as it resolved them.
  const datamodels = await Promise.all(schemaPaths.map(async (path) => [path, await readFile(path, 'utf8')]));

  let adapterFactory;
  let externalError = () => undefined;
  let enginePromise;
  // Created on first use so that a connection problem becomes that request's error (with its P-code), as
  // with the native engine, instead of a crash.
  function getEngine() {
    enginePromise ??= (async () => {
      const target = parseDatabaseUrl(datasource?.url);
      const shadowUrl = datasource?.shadowDatabaseUrl;
      await canConnect(target); // the wasm engine's own connection errors carry no error code
      adapterFactory = createAdapterFactory({
        target,
        shadowTarget: shadowUrl ? parseDatabaseUrl(shadowUrl) : undefined,
        log,
      });
      const created = await createSchemaEngine({
        datamodels,
        adapterFactory,
        onLog: (line) => process.stderr.write(line.endsWith('\n') ? line : `${line}\n`),
      });
      externalError = created.externalError;
      return created.engine;
    })();
    enginePromise.catch(() => (enginePromise = undefined)); // retry on the next request
    return enginePromise;
  }

  const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

  // Requests we send to the CLI (only `print`), awaiting its answer.
  let nextRequestId = 1;
  const pendingRequests = new Map();
  const requestCli = (method, params) =>
    new Promise((resolve, reject) => {
      const id = nextRequestId++;
      pendingRequests.set(id, { resolve, reject });
      send({ jsonrpc: '2.0', id, method, params });
    });

  async function dispatch({ method, params }) {
    if (PASSTHROUGH_METHODS.has(method)) {
      const engine = await getEngine();
      try {
        return await engine[method](params);
      } catch (error) {
        if (!MIGRATIONS_CACHE_METHODS.has(method) || !SHADOW_CACHE_MISS.test(error?.message)) throw error;
        // See MIGRATIONS_CACHE_METHODS. By now (`migrate dev` applies pending migrations before calling these)
        // every migration is applied, so diagnosing fills the cache for the whole list. Then retry once.
        await engine.diagnoseMigrationHistory({
          migrationsList: params.migrationsList,
          optInToShadowDatabase: true,
          filters: params.filters,
        });
        return engine[method](params);
      }
    }
    switch (method) {
      case 'getDatabaseVersion':
        return (await getEngine()).version(params ?? null);
      case 'diff': {
        // The wasm engine returns the diff in `stdout`; the native engine instead asks the CLI to print it
        // (so the CLI can capture it for --output) and returns stdout: null. Behave like the native one.
        const result = await (await getEngine()).diff(params);
        if (typeof result.stdout === 'string') await requestCli('print', { content: result.stdout });
        return { exitCode: result.exitCode, stdout: null };
      }
      case 'createDatabase': {
        const url = params?.datasource?.tag === 'ConnectionString' ? params.datasource.url : datasource?.url;
        return { databaseName: await createDatabase(parseDatabaseUrl(url)) };
      }
      case 'debugPanic':
        (await getEngine()).debugPanic();
        return {};
      default:
        throw Object.assign(new Error(`Method not found: ${method}`), { rpcCode: -32601 });
    }
  }

  function errorResponse(error) {
    if (error.rpcCode) return { code: error.rpcCode, message: error.message };
    const panic = panicMessageOf(error);
    let errorCode = isPrismaCode(error.code) ? error.code : null;
    // Errors thrown by our JS adapter code (e.g. EngineError from connectToShadowDb) reach us from the engine
    // only as "External error id#N"; put the original message (and Prisma code) back.
    const message = (panic ?? error.message ?? String(error)).replace(
      /External error id#(\d+)/g,
      (text, id) => {
        const original = externalError(Number(id));
        if (original === undefined) return text;
        if (!errorCode && isPrismaCode(original.code)) errorCode = original.code;
        return original.message ?? String(original);
      },
    );
    return {
      code: 4466,
      message: panic ?? 'An error happened. Check the data field for details.',
      data: { is_panic: panic !== undefined, message, meta: error.meta ?? null, error_code: errorCode },
    };
  }

  let shuttingDown = false;
  async function shutdown(exitCode) {
    if (shuttingDown) return;
    shuttingDown = true;
    setTimeout(() => process.exit(exitCode), 10_000).unref(); // never hang on the way out
    try {
      await adapterFactory?.cleanup(); // drops shadow databases an interrupted command left behind
    } finally {
      process.exit(exitCode);
    }
  }
  // The CLI is gone (killed, crashed) when writing to it fails (EPIPE): clean up rather than crash.
  process.stdout.on('error', () => shutdown(1));
  process.on('uncaughtException', (error) => {
    log('ERROR', error?.stack ?? String(error));
    if (shuttingDown) process.exit(1);
    shutdown(1);
  });

  // Requests run one at a time, in order (like the native engine's stdio server); responses to our own
  // requests are handled immediately, since a running request may be waiting for one.
  let queue = Promise.resolve();
  const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
  input.on('line', (line) => {
    if (line.trim() === '') return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    if (message.method === undefined) {
      const pending = pendingRequests.get(message.id);
      pendingRequests.delete(message.id);
      if (message.error) pending?.reject(new Error(message.error.message));
      else pending?.resolve(message.result);
      return;
    }
    if (message.id === undefined || message.id === null) return; // a notification: nothing to answer
    queue = queue.then(async () => {
      if (shuttingDown) return; // e.g. after a panic: leave the request unanswered, we are exiting
      try {
        const result = await dispatch(message);
        send({ jsonrpc: '2.0', id: message.id, result: result === undefined ? {} : result });
      } catch (error) {
        send({ jsonrpc: '2.0', id: message.id, error: errorResponse(error) });
        if (panicMessageOf(error) !== undefined) {
          // After a Rust panic the wasm instance cannot be trusted; exit like the native engine (code 101).
          log('ERROR', panicMessageOf(error), { is_panic: true });
          process.stdout.write('', () => shutdown(101));
        }
      }
    });
  });
  // The CLI ends our stdin and then sends SIGTERM when it is done with us. Stdin also ends when the CLI dies:
  // then nobody will answer our requests any more.
  input.on('close', () => {
    for (const { reject } of pendingRequests.values())
      reject(new Error('The Prisma CLI closed the connection.'));
    pendingRequests.clear();
    queue.then(() => shutdown(0));
  });
  process.on('SIGTERM', () => shutdown(0));
  process.on('SIGINT', () => shutdown(130));
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    log('ERROR', error.message);
    return 1;
  }
  if (args.version) {
    process.stdout.write(`schema-engine-cli ${engineHash()}\n`);
    return 0;
  }
  if (args.cliCommand !== undefined) return runCliCommand(args.cliCommand, args.datasource);
  await runServer(args);
  return undefined; // keep running until stdin closes
}

main().then(
  (exitCode) => {
    if (exitCode !== undefined) process.exit(exitCode);
  },
  (error) => {
    log('ERROR', error?.stack ?? String(error));
    process.exit(1);
  },
);
