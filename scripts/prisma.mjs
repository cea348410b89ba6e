#!/usr/bin/env node
// Runs the project's Prisma CLI with our WebAssembly schema-engine shim instead of the native engine, which
// prisma would try to download from binaries.prisma.sh (unreachable here).
//
//   node scripts/prisma.mjs <prisma arguments…>      e.g. `node scripts/prisma.mjs migrate dev --name init`
//
// Loads <project root>/.env first (variables already set win), and gives `generate`, which never connects, a
// placeholder DATABASE_URL, because prisma.config.ts's env('DATABASE_URL') throws when it is unset.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prismaCli = path.join(projectRoot, 'node_modules/prisma/build/index.js');
const schemaEngineShim = path.join(projectRoot, 'scripts/schema-engine/schema-engine.mjs');

const envFile = path.join(projectRoot, '.env');
if (existsSync(envFile)) process.loadEnvFile(envFile); // never overrides variables that are already set

const args = process.argv.slice(2);

/** The prisma command (e.g. "generate"), skipping global options and their values. */
function commandOf(argv) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--config' || argv[i] === '--schema') i++;
    else if (!argv[i].startsWith('-')) return argv[i];
  }
  return undefined;
}

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: schemaEngineShim };
if (!env.DATABASE_URL && commandOf(args) === 'generate') {
  env.DATABASE_URL = 'postgresql://placeholder:placeholder@localhost:5432/placeholder';
}

const child = spawn(process.execPath, [prismaCli, ...args], { cwd: process.cwd(), env, stdio: 'inherit' });

// Pass termination requests on, so the CLI (and the engine it started) can clean up.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}

child.on('error', (error) => {
  console.error(`Could not start the Prisma CLI (${prismaCli}): ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  // Like a shell: 128 + signal number when the CLI was killed by a signal.
  process.exit(code ?? 128 + (constants.signals[signal] ?? 0));
});
