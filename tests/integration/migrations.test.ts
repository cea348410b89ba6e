import { readTestEnv } from '../helpers/test-env';

// `npm run db:migrate:check` as a test. The jest global setup ran it on the test PostgreSQL server (Prisma's own
// engine replays prisma/migrations into a throw-away shadow database and diffs the result against
// prisma/schema.prisma); this asserts its verdict.
it('prisma/migrations produce exactly prisma/schema.prisma', () => {
  const { inSync, drift } = JSON.parse(readTestEnv('migrationCheck')) as { inSync: boolean; drift: string };
  expect(drift).toBe('');
  expect(inSync).toBe(true);
});
