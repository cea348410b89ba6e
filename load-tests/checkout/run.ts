/**
 * Checkout benchmark (issue 8, point 8). See load-tests/README.md.
 *
 *   npx tsx load-tests/checkout/run.ts [--repetitions 10] [--duration 20] [--buyers 500] [--steady-buyers 50]
 *
 * Creates a throw-away database on ADMIN_DATABASE_URL's server (default: the machine's PostgreSQL), migrates it,
 * spawns a Redis of its own and the real app in a server process of its own (load-tests/shared/server.ts), and then:
 *   (a) flash sale: `--buyers` signed-in buyers, each with one unit of one fresh SKU (stock 100) in their cart, all
 *       sending POST /orders at once; repeated `--repetitions` times, the invariant checked in PostgreSQL after each
 *       (exactly 100 orders of the SKU, stock 0, every other answer a 409 INSUFFICIENT_STOCK);
 *   (b) steady checkout: `--steady-buyers` buyers each ordering one random SKU of 200 (ample stock) in a loop for
 *       `--duration` seconds;
 *   (c) pgbench on the same server, same run: the bare conditional `UPDATE … WHERE stock >= 1` + an `INSERT`, as one
 *       transaction, on one row (the flash-sale reference) and on a random row of 200 (the steady reference).
 * Steady checkout and pgbench run interleaved (`--rounds`, default 3) and the median round is reported.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { spawnRedis } from '../../src/lib/embedded/spawned-redis';
import { startServer, stopServers } from '../shared/processes';

const run = promisify(execFile);

interface Options {
  repetitions: number;
  buyers: number;
  steadyBuyers: number;
  duration: number;
  rounds: number;
  flashStock: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    repetitions: 10,
    buyers: 500,
    steadyBuyers: 50,
    duration: 20,
    rounds: 3,
    flashStock: 100,
  };
  const flags: Record<string, keyof Options> = {
    '--repetitions': 'repetitions',
    '--buyers': 'buyers',
    '--steady-buyers': 'steadyBuyers',
    '--duration': 'duration',
    '--rounds': 'rounds',
    '--flash-stock': 'flashStock',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = flags[argv[i]];
    const value = Number(argv[i + 1]);
    if (!key || !Number.isInteger(value) || value < 1)
      throw new Error(`bad option ${argv[i]} ${argv[i + 1]}`);
    options[key] = value;
  }
  if (options.duration > 120) throw new Error('--duration must be ≤ 120 seconds');
  if (options.buyers > 2000 || options.steadyBuyers > 500) throw new Error('at most 2000 / 500 buyers');
  return options;
}

// ── HTTP driver: one keep-alive agent, a socket per concurrent buyer ────────────────────────────────────────────

interface Answer {
  status: number;
  body: { data?: unknown; code?: string };
  ms: number;
}

function createClient(port: number, sockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  return (method: string, url: string, token?: string, body?: unknown): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const started = process.hrtime.bigint();
      const request = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path: `/api/v1${url}`,
          agent,
          headers: {
            ...(payload ? { 'content-type': 'application/json' } : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : {}, ms });
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
}

type Call = ReturnType<typeof createClient>;

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

const SHIPPING_ADDRESS = {
  firstName: 'Bench',
  lastName: 'Buyer',
  address: '1 Load Street',
  city: 'Springfield',
  state: 'IL',
  zipCode: '62701',
  country: 'US',
  phone: '+15555550100',
};

/** Runs `count` tasks with at most `limit` in flight. */
async function inBatches<T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await task(index);
      }
    }),
  );
  return results;
}

async function registerBuyers(call: Call, count: number, tag: string): Promise<string[]> {
  return inBatches(count, 20, async (index) => {
    const answer = await call('POST', '/auth/register', undefined, {
      email: `buyer${index}.${tag}@bench.test`,
      password: 'BenchPass123!',
      firstName: 'Bench',
      lastName: `Buyer${index}`,
    });
    if (answer.status !== 201) throw new Error(`register → ${answer.status} ${JSON.stringify(answer.body)}`);
    return (answer.body.data as { token: string }).token;
  });
}

// ── Database set-up ─────────────────────────────────────────────────────────────────────────────────────────────

async function createProduct(db: Client, categoryId: number, sku: string, stock: number): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO products (title, description, price, stock, category_id, sku, slug, updated_at)
     VALUES ($1, 'Benchmark product', 19.99, $2, $3, $1, lower($1), now()) RETURNING id`,
    [sku, stock, categoryId],
  );
  return rows[0].id;
}

// ── Scenarios ───────────────────────────────────────────────────────────────────────────────────────────────────

interface FlashResult {
  seconds: number;
  ordersPerSecond: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  created: number;
  insufficient: number;
  other: number;
  invariant: boolean;
  detail: string;
}

async function flashSale(
  db: Client,
  port: number,
  tokens: string[],
  categoryId: number,
  repetition: number,
  stock: number,
): Promise<FlashResult> {
  const productId = await createProduct(db, categoryId, `FLASH-${repetition}-${Date.now()}`, stock);
  // Fresh sockets for every repetition: a kept-alive socket the server closes as idle while the driver reuses it
  // would be a reset of the driver's making.
  const call = createClient(port, tokens.length);
  await inBatches(tokens.length, 50, async (index) => {
    const answer = await call('POST', '/cart/items', tokens[index], { productId, quantity: 1 });
    if (answer.status !== 200 && answer.status !== 201)
      throw new Error(`cart → ${answer.status} ${JSON.stringify(answer.body)}`);
  });
  const started = process.hrtime.bigint();
  const answers = await Promise.all(
    tokens.map((token) => call('POST', '/orders', token, { shippingAddress: SHIPPING_ADDRESS })),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const latencies = answers.map((answer) => answer.ms).sort((a, b) => a - b);
  const created = answers.filter((answer) => answer.status === 201).length;
  const insufficient = answers.filter(
    (answer) => answer.status === 409 && answer.body.code === 'INSUFFICIENT_STOCK',
  ).length;
  const other = answers.length - created - insufficient;
  const otherCodes = [
    ...new Set(
      answers
        .filter((answer) => answer.status !== 201 && answer.body.code !== 'INSUFFICIENT_STOCK')
        .map((answer) => `${answer.status} ${answer.body.code}`),
    ),
  ];
  const { rows } = await db.query<{ stock: number; orders: number; units: number }>(
    `SELECT p.stock,
            (SELECT count(DISTINCT oi.order_id)::int FROM order_items oi WHERE oi.product_id = p.id) AS orders,
            (SELECT coalesce(sum(oi.quantity), 0)::int FROM order_items oi WHERE oi.product_id = p.id) AS units
     FROM products p WHERE p.id = $1`,
    [productId],
  );
  const [state] = rows;
  const expected = Math.min(stock, tokens.length);
  const invariant =
    state.orders === expected &&
    state.units === expected &&
    state.stock === stock - expected &&
    created === expected &&
    other === 0;
  // Empty the losers' carts so the next repetition starts from one line each.
  await inBatches(tokens.length, 50, (index) => call('DELETE', '/cart', tokens[index]));
  return {
    seconds,
    ordersPerSecond: created / seconds,
    requestsPerSecond: answers.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    created,
    insufficient,
    other,
    invariant,
    detail: `stock ${state.stock}, orders ${state.orders}, units ${state.units}, 201 ${created}, 409 ${insufficient}, other ${other}${otherCodes.length ? ` (${otherCodes.join(', ')})` : ''}`,
  };
}

interface SteadyResult {
  ordersPerSecond: number;
  p50: number;
  p99: number;
  orders: number;
  errors: number;
}

async function steadyCheckout(
  call: Call,
  tokens: string[],
  productIds: number[],
  seconds: number,
): Promise<SteadyResult> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(
    tokens.map(async (token) => {
      while (Date.now() < deadline) {
        const productId = productIds[Math.floor(Math.random() * productIds.length)];
        const answer = await call('POST', '/orders', token, {
          shippingAddress: SHIPPING_ADDRESS,
          items: [{ productId, quantity: 1 }],
        });
        if (answer.status === 201) latencies.push(answer.ms);
        else errors++;
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    ordersPerSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    orders: latencies.length,
    errors,
  };
}

/** pgbench's rate for the bare conditional decrement + insert, one transaction per order. */
async function pgbench(databaseUrl: string, rows: number, clients: number, seconds: number): Promise<number> {
  const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pgbench-')), 'order.sql');
  fs.writeFileSync(
    script,
    [
      `\\set id random(1, ${rows})`,
      'BEGIN;',
      'UPDATE bench_stock SET stock = stock - 1 WHERE id = :id AND stock >= 1;',
      'INSERT INTO bench_orders (product_id, quantity) VALUES (:id, 1);',
      'COMMIT;',
      '',
    ].join('\n'),
  );
  const { stdout } = await run(
    'pgbench',
    ['-n', '-f', script, '-c', String(clients), '-j', '2', '-T', String(seconds), databaseUrl],
    { maxBuffer: 1 << 20 },
  );
  const match = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout);
  if (!match) throw new Error(`unexpected pgbench output:\n${stdout}`);
  return Number(match[1]);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (value: number, digits = 0) => value.toFixed(digits);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const adminUrl = process.env.ADMIN_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const databaseName = `checkout_bench_${randomBytes(4).toString('hex')}`;
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${databaseName}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  const redis = await spawnRedis();
  let db: Client | undefined;
  try {
    await run(process.execPath, ['scripts/prisma.mjs', 'migrate', 'deploy'], {
      env: { ...process.env, DATABASE_URL: databaseUrl.toString() },
    });
    db = new Client({ connectionString: databaseUrl.toString() });
    await db.connect();
    const [{ id: categoryId }] = (
      await db.query<{ id: number }>(
        `INSERT INTO categories (slug, name, updated_at) VALUES ('bench', 'Bench', now()) RETURNING id`,
      )
    ).rows;
    const steadyProducts: number[] = [];
    for (let i = 0; i < 200; i++)
      steadyProducts.push(await createProduct(db, categoryId, `STEADY-${i}`, 10_000_000));
    await db.query(`CREATE TABLE bench_stock (id int PRIMARY KEY, stock int NOT NULL)`);
    await db.query(`INSERT INTO bench_stock SELECT g, 1000000000 FROM generate_series(1, 200) g`);
    await db.query(
      `CREATE TABLE bench_orders (id bigserial PRIMARY KEY, product_id int NOT NULL, quantity int NOT NULL,
                                  created_at timestamptz NOT NULL DEFAULT now())`,
    );

    const api = await startServer({
      MODE: 'api',
      NODE_ENV: 'production',
      JWT_SECRET: randomBytes(32).toString('hex'),
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: `bench:${randomBytes(4).toString('hex')}`,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      BCRYPT_COST: '4',
      // The limiters still run (counting every request); only their ceilings are out of the way.
      RATE_LIMIT_MAX: '10000000',
      AUTH_RATE_LIMIT_MAX: '10000000',
      ...(process.env.DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE } : {}),
    });
    const call = createClient(api.port, Math.max(options.buyers, options.steadyBuyers));
    const tag = randomBytes(3).toString('hex');
    process.stderr.write(`registering ${options.buyers} buyers…\n`);
    const buyers = await registerBuyers(call, options.buyers, tag);

    // (b) + (c) interleaved: steady checkout, pgbench on one row, pgbench on 200 rows — round after round.
    type Round = { steady: SteadyResult; oneRow: number; manyRows: number };
    const rounds: Round[] = [];
    const steadyBuyers = buyers.slice(0, options.steadyBuyers);
    process.stderr.write(`warm-up 3s…\n`);
    await steadyCheckout(call, steadyBuyers, steadyProducts, 3);
    for (let round = 0; round < options.rounds; round++) {
      process.stderr.write(
        `round ${round + 1}/${options.rounds}: steady ${options.duration}s, pgbench 2×10s\n`,
      );
      const steady = await steadyCheckout(call, steadyBuyers, steadyProducts, options.duration);
      const oneRow = await pgbench(databaseUrl.toString(), 1, options.steadyBuyers, 10);
      const manyRows = await pgbench(databaseUrl.toString(), 200, options.steadyBuyers, 10);
      rounds.push({ steady, oneRow, manyRows });
    }

    // (a) flash sale, repeated.
    const flash: FlashResult[] = [];
    for (let repetition = 0; repetition < options.repetitions; repetition++) {
      process.stderr.write(`flash sale ${repetition + 1}/${options.repetitions}\n`);
      flash.push(await flashSale(db, api.port, buyers, categoryId, repetition, options.flashStock));
    }

    const medianRound = [...rounds].sort((a, b) => a.steady.ordersPerSecond - b.steady.ordersPerSecond)[
      Math.floor(rounds.length / 2)
    ];
    const held = flash.filter((result) => result.invariant).length;
    const flashOrdersPerSecond = median(flash.map((result) => result.ordersPerSecond));
    const lines = [
      `${os.cpus().length} CPUs · Node ${process.version} · app, driver, PostgreSQL and Redis on one machine`,
      '',
      '| scenario | concurrency | orders/s | p50 ms | p99 ms | orders | errors | notes |',
      '|---|---:|---:|---:|---:|---:|---:|---|',
      `| steady checkout | ${options.steadyBuyers} | ${fmt(medianRound.steady.ordersPerSecond)} | ` +
        `${fmt(medianRound.steady.p50, 1)} | ${fmt(medianRound.steady.p99, 1)} | ${medianRound.steady.orders} | ` +
        `${medianRound.steady.errors} | ${options.duration}s, 1 random SKU of 200 per order; median of rounds: ` +
        `${rounds.map((r) => fmt(r.steady.ordersPerSecond)).join(' / ')} orders/s |`,
      `| flash sale | ${options.buyers} | ${fmt(flashOrdersPerSecond)} | ` +
        `${fmt(median(flash.map((r) => r.p50)), 1)} | ${fmt(median(flash.map((r) => r.p99)), 1)} | ` +
        `${flash.reduce((sum, r) => sum + r.created, 0)} | ${flash.reduce((sum, r) => sum + r.other, 0)} | ` +
        `stock ${options.flashStock}, all at once, medians of ${flash.length} repetitions; invariant held ` +
        `${held}/${flash.length} |`,
      `| pgbench, 1 row | ${options.steadyBuyers} | ${fmt(medianRound.oneRow)} | | | | | UPDATE … WHERE stock >= 1 + INSERT, one transaction |`,
      `| pgbench, 200 rows | ${options.steadyBuyers} | ${fmt(medianRound.manyRows)} | | | | | the same on a random row of 200 |`,
      '',
      `- steady checkout / pgbench 200 rows: ${fmt((medianRound.steady.ordersPerSecond / medianRound.manyRows) * 100, 1)}%`,
      `- flash sale orders/s / pgbench 1 row: ${fmt((flashOrdersPerSecond / median(rounds.map((r) => r.oneRow))) * 100, 1)}%`,
      '',
      'flash-sale repetitions:',
      ...flash.map(
        (result, index) =>
          `  ${index + 1}. ${fmt(result.seconds, 2)}s, ${fmt(result.requestsPerSecond)} req/s, ` +
          `${fmt(result.ordersPerSecond)} orders/s, p50 ${fmt(result.p50, 1)} ms, p99 ${fmt(result.p99, 1)} ms — ` +
          `${result.invariant ? 'invariant held' : 'INVARIANT BROKEN'} (${result.detail})`,
      ),
    ];
    console.log(lines.join('\n'));
    if (held !== flash.length) process.exitCode = 1;
  } finally {
    stopServers();
    await db?.end();
    await redis.stop();
    // Give the server a moment to close its pool before the database goes.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  stopServers();
  console.error(error);
  process.exit(1);
});
