import { checkMigrationsInSync } from '../../scripts/migrate-check-core.cjs';
import { readTestEnv } from '../helpers/test-env';

// `npm run db:migrate:check` as a test, on the test PostgreSQL server: Prisma's own engine replays
// prisma/migrations into a throw-away shadow database and diffs the result against prisma/schema.prisma.
it('prisma/migrations produce exactly prisma/schema.prisma', async () => {
  const { inSync, drift } = await checkMigrationsInSync({ databaseUrl: readTestEnv('serverUrl') });
  expect(drift).toBe('');
  expect(inSync).toBe(true);
}, 120_000);
