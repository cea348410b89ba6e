'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: jest tests (CommonJS TypeScript) require this file */
// Core of `npm run db:migrate:check` (scripts/migrate-check.mjs): proves that prisma/schema.prisma and
// prisma/migrations agree, i.e. that applying every migration to an empty database yields exactly the schema.
//
// How: two throw-away databases on the given server. One gets `prisma migrate deploy` (the migrations as they will
// run in production); the other gets the SQL Prisma generates from the schema alone (`migrate diff --from-empty
// --to-schema`). Their catalogues — tables, columns (type, nullability, default), indexes, primary/unique/foreign
// keys, enums — must be identical. Prisma's own `--from-migrations` diff was not used: its WebAssembly build was
// seen here to report "in sync" with a migration missing, and to panic at random. Objects Prisma cannot model
// (CHECK constraints, triggers, functions, extensions, generated-column expressions) are not compared; the indexes
// that exist in the migrations only are listed in MIGRATION_ONLY_INDEXES. Both databases are dropped afterwards.
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdtemp, readFile, rm } = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');

const PROJECT_ROOT = path.resolve(module.path, '..');

/** Indexes the schema cannot declare (Prisma 7.10's engine panics on a GiST index with an operator class). */
const MIGRATION_ONLY_INDEXES = new Set(['search_terms_term_trgm_idx']);

/**
 * @param {object} [options]
 * @param {string} [options.databaseUrl]  PostgreSQL server to use; default TEST_DATABASE_URL, else DATABASE_URL
 * @param {string} [options.cwd]  directory the paths below are relative to; default the project root
 * @param {string} [options.schemaPath]  default prisma/schema.prisma
 * @param {string} [options.configPath]  a Prisma config file (its migrations path is used); default: prisma.config.ts
 * @returns {Promise<{ inSync: boolean, drift: string }>}  drift: the differences, one per line ('' if in sync)
 */
async function checkMigrationsInSync(options = {}) {
  const {
    databaseUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL,
    cwd = PROJECT_ROOT,
    schemaPath = 'prisma/schema.prisma',
    configPath,
  } = options;
  if (!databaseUrl) {
    throw new Error('checkMigrationsInSync needs a PostgreSQL URL (TEST_DATABASE_URL or DATABASE_URL).');
  }
  const serverUrl = await urlOfExistingDatabase(databaseUrl);
  const suffix = randomBytes(4).toString('hex');
  const fromMigrations = `migrate_check_${suffix}_migrations`;
  const fromSchema = `migrate_check_${suffix}_schema`;
  const prismaArgs = (...args) => [
    path.join(PROJECT_ROOT, 'scripts/prisma.mjs'),
    ...args,
    ...(configPath ? ['--config', path.resolve(cwd, configPath)] : []),
  ];

  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'migrate-check-'));
  try {
    await admin.query(`CREATE DATABASE "${fromMigrations}"`);
    await admin.query(`CREATE DATABASE "${fromSchema}"`);

    const deployed = await run(process.execPath, prismaArgs('migrate', 'deploy'), {
      cwd,
      env: { ...process.env, DATABASE_URL: withDatabase(serverUrl, fromMigrations) },
    });
    if (deployed.code !== 0) throw new Error(`prisma migrate deploy failed:\n${deployed.output.trim()}`);

    const outFile = path.join(outDir, 'schema.sql');
    // prettier-ignore
    const diffArgs = prismaArgs('migrate', 'diff', '--from-empty', '--to-schema', path.resolve(cwd, schemaPath), '--script', '--output', outFile);
    await runEngine(diffArgs, {
      cwd,
      env: { ...process.env, DATABASE_URL: withDatabase(serverUrl, fromSchema) },
    });
    await query(withDatabase(serverUrl, fromSchema), await readFile(outFile, 'utf8'));

    const [migrated, declared] = await Promise.all([
      catalogue(withDatabase(serverUrl, fromMigrations)),
      catalogue(withDatabase(serverUrl, fromSchema)),
    ]);
    const drift = [
      ...[...migrated].filter((line) => !declared.has(line)).map((line) => `only in migrations: ${line}`),
      ...[...declared].filter((line) => !migrated.has(line)).map((line) => `only in schema:     ${line}`),
    ].join('\n');
    return { inSync: drift === '', drift };
  } finally {
    await rm(outDir, { recursive: true, force: true });
    for (const name of [fromMigrations, fromSchema]) {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    }
    await admin.end();
  }
}

/** The engine's WebAssembly build occasionally panics ("RuntimeError: unreachable"): that is no verdict, retry. */
async function runEngine(args, options, attempts = 3) {
  for (let attempt = 1; ; attempt += 1) {
    const result = await run(process.execPath, args, options);
    if (result.code === 0) return result;
    if (attempt >= attempts || !result.output.includes('RuntimeError: unreachable')) {
      throw new Error(
        `prisma ${args.slice(1, 3).join(' ')} failed (exit code ${result.code}):\n${result.output.trim()}`,
      );
    }
  }
}

function withDatabase(url, database) {
  const next = new URL(url);
  next.pathname = `/${database}`;
  return next.toString();
}

async function query(url, sql) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** One line per table column, index, key and enum of the public schema, as a set to compare. */
async function catalogue(url) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const lines = new Set();
    const columns = await client.query(`
      SELECT table_name, column_name, udt_name, is_nullable, is_generated, column_default
        FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`);
    for (const c of columns.rows) {
      // A generated column's expression is the migration's business; the schema declares it dbgenerated().
      const defaultValue = c.is_generated === 'ALWAYS' ? '' : (c.column_default ?? '');
      lines.add(
        `column ${c.table_name}.${c.column_name} ${c.udt_name} null=${c.is_nullable} default=${defaultValue}`,
      );
    }
    const indexes = await client.query(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    );
    for (const i of indexes.rows)
      if (!MIGRATION_ONLY_INDEXES.has(i.indexname)) lines.add(`index ${i.indexdef}`);
    const constraints = await client.query(`
      SELECT conrelid::regclass::text AS tbl, conname, pg_get_constraintdef(oid) AS def
        FROM pg_constraint
       WHERE contype IN ('p', 'u', 'f') AND connamespace = 'public'::regnamespace
         AND conrelid::regclass::text <> '_prisma_migrations'`);
    for (const k of constraints.rows) lines.add(`constraint ${k.tbl}.${k.conname} ${k.def}`);
    const enums = await client.query(`
      SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS labels
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
       WHERE t.typnamespace = 'public'::regnamespace GROUP BY t.typname`);
    for (const e of enums.rows) lines.add(`enum ${e.typname} (${e.labels})`);
    return lines;
  } finally {
    await client.end();
  }
}

/**
 * The engine connects to the URL's database before it does anything (although the diff never reads it); when
 * that database does not exist yet, use the server's `postgres` maintenance database instead.
 */
async function urlOfExistingDatabase(url) {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    return url;
  } catch (error) {
    if (error.code !== '3D000') return url; // other problems: let prisma report them
    const maintenance = new URL(url);
    maintenance.pathname = '/postgres';
    return maintenance.toString();
  } finally {
    await client.end().catch(() => undefined);
  }
}

function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

module.exports = { checkMigrationsInSync };
