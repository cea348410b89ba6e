'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: jest tests (CommonJS TypeScript) require this file */
// Core of `npm run db:migrate:check` (scripts/migrate-check.mjs): proves that prisma/schema.prisma and
// prisma/migrations agree, i.e. that applying every migration to an empty database yields exactly the schema.
// It runs `prisma migrate diff --from-migrations … --to-schema … --script --exit-code` through scripts/prisma.mjs;
// the schema engine replays the migrations in a throw-away shadow database that it creates (and drops) on the
// PostgreSQL server given here. Nothing else on that server is touched.
const { spawn } = require('node:child_process');
const { mkdtemp, readFile, rm } = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');

const PROJECT_ROOT = path.resolve(module.path, '..');

/**
 * @param {object} [options]
 * @param {string} [options.databaseUrl]  PostgreSQL server to use; default TEST_DATABASE_URL, else DATABASE_URL
 * @param {string} [options.cwd]  directory the paths below are relative to; default the project root
 * @param {string} [options.schemaPath]  default prisma/schema.prisma
 * @param {string} [options.migrationsPath]  default prisma/migrations
 * @param {string} [options.configPath]  a Prisma config file; default: the one prisma finds in `cwd`
 * @returns {Promise<{ inSync: boolean, drift: string }>}  drift: the SQL the migrations are missing ('' if in sync)
 */
async function checkMigrationsInSync(options = {}) {
  const {
    databaseUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL,
    cwd = PROJECT_ROOT,
    schemaPath = 'prisma/schema.prisma',
    migrationsPath = 'prisma/migrations',
    configPath,
  } = options;
  if (!databaseUrl) {
    throw new Error('checkMigrationsInSync needs a PostgreSQL URL (TEST_DATABASE_URL or DATABASE_URL).');
  }

  const outDir = await mkdtemp(path.join(os.tmpdir(), 'migrate-check-'));
  const outFile = path.join(outDir, 'drift.sql');
  // prettier-ignore
  const args = [
    path.join(PROJECT_ROOT, 'scripts/prisma.mjs'), 'migrate', 'diff',
    '--from-migrations', path.resolve(cwd, migrationsPath),
    '--to-schema', path.resolve(cwd, schemaPath),
    '--script', '--exit-code',
    '--output', outFile, // only the SQL, without the CLI's "Loaded Prisma config …" chatter
  ];
  if (configPath) args.push('--config', path.resolve(cwd, configPath));
  try {
    const env = { ...process.env, DATABASE_URL: await urlOfExistingDatabase(databaseUrl) };
    const { code, output } = await run(process.execPath, args, { cwd, env });
    // --exit-code: 0 = no difference, 2 = difference, anything else = error
    if (code === 0) return { inSync: true, drift: '' };
    if (code === 2) return { inSync: false, drift: (await readFile(outFile, 'utf8')).trim() };
    throw new Error(`prisma migrate diff failed (exit code ${code}):\n${output.trim()}`);
  } finally {
    await rm(outDir, { recursive: true, force: true });
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
