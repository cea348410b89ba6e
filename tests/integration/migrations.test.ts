import { cp, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { checkMigrationsInSync } from '../../scripts/migrate-check-core.cjs';
import { readTestEnv } from '../helpers/test-env';

const ROOT = path.resolve(__dirname, '../..');

// `npm run db:migrate:check` as a test. The jest global setup ran it on the test PostgreSQL server before the
// workers started; this asserts its verdict.
it('prisma/migrations produce exactly prisma/schema.prisma', () => {
  const { inSync, drift } = JSON.parse(readTestEnv('migrationCheck')) as { inSync: boolean; drift: string };
  expect(drift).toBe('');
  expect(inSync).toBe(true);
});

it('reports the drift when the newest migration is missing', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'migrate-check-test-'));
  try {
    const migrations = (await readdir(path.join(ROOT, 'prisma/migrations')))
      .filter((name) => /^\d/.test(name))
      .sort();
    await cp(path.join(ROOT, 'prisma/migrations'), path.join(dir, 'migrations'), { recursive: true });
    await rm(path.join(dir, 'migrations', migrations[migrations.length - 1]), { recursive: true });
    await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    await writeFile(
      path.join(dir, 'prisma.config.ts'),
      `import { defineConfig, env } from 'prisma/config';
export default defineConfig({
  schema: ${JSON.stringify(path.join(ROOT, 'prisma/schema.prisma'))},
  migrations: { path: ${JSON.stringify(path.join(dir, 'migrations'))} },
  datasource: { url: env('DATABASE_URL') },
});
`,
    );
    const result = await checkMigrationsInSync({
      databaseUrl: readTestEnv('serverUrl'),
      configPath: path.join(dir, 'prisma.config.ts'),
    });
    expect(result.inSync).toBe(false);
    expect(result.drift).toMatch(/^only in schema: /m);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 120_000);
