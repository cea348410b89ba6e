#!/usr/bin/env node
// `npm run db:migrate:check`: fails when prisma/schema.prisma and prisma/migrations disagree (someone changed the
// schema without creating a migration, or edited a migration). Needs a PostgreSQL server: TEST_DATABASE_URL if
// set, else DATABASE_URL (from the environment or .env). The logic lives in migrate-check-core.cjs.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import core from './migrate-check-core.cjs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const envFile = path.join(projectRoot, '.env');
if (existsSync(envFile)) process.loadEnvFile(envFile); // never overrides variables that are already set

try {
  const { inSync, drift } = await core.checkMigrationsInSync();
  if (inSync) {
    console.log('✔ prisma/migrations is in sync with prisma/schema.prisma');
  } else {
    console.error('✖ prisma/migrations does not produce prisma/schema.prisma:\n');
    console.error(drift);
    console.error('\nCreate a migration for the change: npm run db:migrate -- --name <what-changed>');
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`✖ Could not check the migrations: ${error.message}`);
  process.exitCode = 1;
}
