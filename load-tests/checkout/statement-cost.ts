/**
 * What one SQL statement costs the API process on this machine, by the path it takes (see load-tests/README.md,
 * "Where the checkout's time goes"). One connection, sequential statements, the CPU time of this process (user and
 * system) per statement, after a warm-up:
 *
 *   npx tsx load-tests/checkout/statement-cost.ts [--count 3000]
 *
 * Creates a throw-away database on ADMIN_DATABASE_URL's server (default: the machine's PostgreSQL), migrates it and
 * drops it at the end.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { createDatabase } from '../../src/lib/prisma';

const run = promisify(execFile);
const WARM_UP = 300;

async function main(): Promise<void> {
  const countFlag = process.argv.indexOf('--count');
  const count = countFlag === -1 ? 3000 : Number(process.argv[countFlag + 1]);
  if (!Number.isInteger(count) || count < 100) throw new Error('--count must be an integer ≥ 100');

  const adminUrl = process.env.ADMIN_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const databaseName = `statement_cost_${randomBytes(4).toString('hex')}`;
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${databaseName}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  try {
    await run(process.execPath, ['scripts/prisma.mjs', 'migrate', 'deploy'], {
      env: { ...process.env, DATABASE_URL: databaseUrl.toString() },
    });
    const { prisma, pool, close } = createDatabase({ url: databaseUrl.toString(), poolSize: 1 });
    try {
      const { id } = await prisma.user.create({
        data: { email: 'cost@example.test', passwordHash: 'x', firstName: 'Cost', lastName: 'Probe' },
      });
      const cases: Array<[string, () => Promise<unknown>]> = [
        ['pg pool.query (the driver alone)', () => pool.query('SELECT * FROM users WHERE id = $1', [id])],
        ['Prisma $queryRaw', () => prisma.$queryRaw`SELECT * FROM users WHERE id = ${id}`],
        ['Prisma findUnique', () => prisma.user.findUnique({ where: { id } })],
        [
          'Prisma $transaction with one $queryRaw',
          () => prisma.$transaction((tx) => tx.$queryRaw`SELECT * FROM users WHERE id = ${id}`),
        ],
      ];
      console.log(`${count} statements each, one connection; µs of this process's CPU per statement\n`);
      console.log('| path | wall µs | user µs | system µs |\n|---|---:|---:|---:|');
      for (const [label, statement] of cases) {
        for (let i = 0; i < WARM_UP; i += 1) await statement();
        const cpu = process.cpuUsage();
        const started = performance.now();
        for (let i = 0; i < count; i += 1) await statement();
        const wall = ((performance.now() - started) * 1000) / count;
        const used = process.cpuUsage(cpu);
        console.log(
          `| ${label} | ${wall.toFixed(0)} | ${(used.user / count).toFixed(0)} | ${(used.system / count).toFixed(0)} |`,
        );
      }
    } finally {
      await close();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
