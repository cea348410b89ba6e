/**
 * Catalogue benchmark (issue 3, point 8). See load-tests/README.md for how to prepare the 100k-product database.
 *
 *   DATABASE_URL=postgresql://…/<seeded db> npx tsx load-tests/catalogue/run.ts [--duration 10] [--connections 20]
 *
 * Starts, on 127.0.0.1 only: the real app (load-tests/shared/server.ts, MODE=api) on that database and a Redis
 * (REDIS_URL, or a redis-server of its own), and a bare Express app (MODE=bare) returning the exact bytes of the
 * cached product list; then drives each scenario with autocannon for a bounded duration after a short warm-up, and
 * prints a Markdown table (req/s, p50, p99) plus the cached-list / bare-Express ratio.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { encodeCursor } from '../../src/common/pagination';
import { spawnRedis } from '../../src/lib/embedded/spawned-redis';
import { startServer, stopServers } from '../shared/processes';

interface Options {
  duration: number;
  warmup: number;
  /** Concurrency of the throughput scenarios (bare Express vs cached list). */
  connections: number;
  /** Concurrency of the database-bound (cache-miss) scenarios, whose latency is what their targets are about. */
  uncachedConnections: number;
  /** The throughput scenarios run interleaved this many times (A B C A B C …): the machine's drift hits all alike. */
  rounds: number;
  only?: string[];
}

function parseOptions(argv: string[]): Options {
  const options: Options = { duration: 10, warmup: 3, connections: 20, uncachedConnections: 4, rounds: 3 };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--duration':
        options.duration = Number(value);
        i++;
        break;
      case '--warmup':
        options.warmup = Number(value);
        i++;
        break;
      case '--connections':
        options.connections = Number(value);
        i++;
        break;
      case '--uncached-connections':
        options.uncachedConnections = Number(value);
        i++;
        break;
      case '--rounds':
        options.rounds = Number(value);
        i++;
        break;
      case '--only':
        options.only = value.split(',');
        i++;
        break;
      default:
        throw new Error(`unknown option ${argv[i]}`);
    }
  }
  if (!(options.duration > 0 && options.duration <= 120))
    throw new Error('--duration must be 1..120 seconds');
  if (!(options.connections > 0 && options.connections <= 200))
    throw new Error('--connections must be 1..200');
  if (!(Number.isInteger(options.rounds) && options.rounds >= 1 && options.rounds <= 9))
    throw new Error('--rounds must be 1..9');
  return options;
}

interface Scenario {
  name: string;
  server: 'api' | 'bare';
  /** Cache misses by design: run at the lower, latency-oriented concurrency. */
  uncached?: boolean;
  /** A fixed path, or a generator called for every request. */
  path: string | (() => string);
  note: string;
}

interface Row {
  name: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  miss?: number;
  note: string;
}

async function runScenario(
  scenario: Scenario,
  port: number,
  options: Options,
  seconds: number,
): Promise<Row> {
  const counts = { hit: 0, miss: 0 };
  const connections = scenario.uncached ? options.uncachedConnections : options.connections;
  const generator = typeof scenario.path === 'function' ? scenario.path : undefined;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: [
      generator
        ? {
            setupRequest: (request: { path: string }) => ({ ...request, path: generator() }),
            onResponse: (
              _status: number,
              _body: string,
              _context: unknown,
              headers: Record<string, string>,
            ) => {
              const cache = headers['X-Cache'] ?? headers['x-cache'];
              if (cache === 'HIT') counts.hit++;
              else if (cache === 'MISS') counts.miss++;
            },
          }
        : { path: scenario.path as string },
    ],
  });
  const seen = counts.hit + counts.miss;
  return {
    name: scenario.name,
    connections,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    miss: seen > 0 ? counts.miss / seen : undefined,
    note: scenario.note,
  };
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const cents = (min: number, max: number) => (min + Math.random() * (max - min)).toFixed(2);

const SEARCHES = [
  'iphone',
  'iphnoe',
  'samsung galaxy',
  'samsnug',
  'macbook pro',
  'macbok',
  'wireless headphones',
  'headphnes',
  'running shoes',
  'yoga mat',
  'coffee machine',
  'coffe',
  'leather bag',
  'lether',
  'smart watch',
  'sunglasses',
  'perfume',
  'moisturizer',
  'desk lamp',
  'office chair',
  'air fryer',
  'tablet',
  'charger',
  'dress',
];

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL (a database seeded with SEED_PRODUCTS=100000) is required');

  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const [{ products, maxId }] = (
    await db.query<{ products: number; maxId: number }>(
      'SELECT count(*)::int AS products, max(id) AS "maxId" FROM products WHERE is_active',
    )
  ).rows;
  if (products < 1000)
    throw new Error(`only ${products} active products: seed with SEED_PRODUCTS=100000 first`);
  // A freshly seeded table has no visibility map yet; autovacuum would get there, this makes runs comparable.
  await db.query('VACUUM ANALYZE products');
  const deepOffset = Math.floor(products * 0.99);
  const [deep] = (
    await db.query<{ price: string; id: number }>(
      'SELECT price::text AS price, id FROM products WHERE is_active ORDER BY price, id OFFSET $1 LIMIT 1',
      [deepOffset - 1],
    )
  ).rows;
  await db.end();
  const deepCursor = encodeCursor({ s: 'price', o: 'asc', v: deep.price, i: deep.id });

  let stopRedis: (() => Promise<void>) | undefined;
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    const redis = await spawnRedis();
    stopRedis = redis.stop;
    redisUrl = redis.url;
  }

  try {
    const bodyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'body.json');
    const api = await startServer({
      MODE: 'api',
      BARE_BODY_FILE: bodyFile,
      NODE_ENV: 'production',
      JWT_SECRET: randomBytes(32).toString('hex'),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `bench:${randomBytes(4).toString('hex')}`,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      // The limiter still runs (counting every request); only its ceiling is out of the way.
      RATE_LIMIT_MAX: '10000000',
    });
    const base = `http://127.0.0.1:${api.port}/api/v1`;
    await fetch(`${base}/products`);
    const cached = await fetch(`${base}/products`);
    if (cached.headers.get('x-cache') !== 'HIT') throw new Error('the product list was not cached');
    fs.writeFileSync(bodyFile, Buffer.from(await cached.arrayBuffer()));
    const bare = await startServer({ MODE: 'bare', BARE_BODY_FILE: bodyFile, NODE_ENV: 'production' });

    const categories = (
      (await (await fetch(`${base}/products/categories`)).json()) as {
        data: Array<{ slug: string; parentSlug: string | null }>;
      }
    ).data;
    const leaves = categories.filter((category) => category.parentSlug !== null).map((c) => c.slug);
    const unique = () => `minPrice=${cents(0, 9.99)}&maxPrice=${cents(90_000, 99_999)}`;

    const scenarios: Scenario[] = [
      { name: 'bare Express, same bytes', server: 'bare', path: '/bare', note: 'reference' },
      {
        name: 'bare handler behind the app middleware',
        server: 'api',
        path: '/api/v1/bench/bare',
        note: 'same bytes; request id, security headers, CORS, JSON parser, rate limit, access-log hook',
      },
      { name: 'cached list', server: 'api', path: '/api/v1/products', note: 'GET /products, X-Cache HIT' },
      {
        name: 'uncached filtered list',
        server: 'api',
        uncached: true,
        path: () =>
          `/api/v1/products?category=${pick(leaves)}&minPrice=${cents(10, 150)}&maxPrice=${cents(300, 2000)}` +
          `&sortBy=${pick(['price', 'rating', 'createdAt'])}&order=${pick(['asc', 'desc'])}` +
          (Math.random() < 0.5 ? '&inStock=true' : ''),
        note: 'random leaf category + price range + sort (+ inStock)',
      },
      {
        name: 'search',
        server: 'api',
        uncached: true,
        path: () => `/api/v1/products/search?q=${encodeURIComponent(pick(SEARCHES))}&${unique()}`,
        note: `${SEARCHES.length} queries (a third misspelt); no-op price bounds make each request a cache miss`,
      },
      {
        name: 'detail',
        server: 'api',
        uncached: true,
        path: () => `/api/v1/products/${1 + Math.floor(Math.random() * maxId)}`,
        note: `random id of ${maxId} (with its 10 newest reviews; almost all misses)`,
      },
      {
        name: 'page 1 (uncached)',
        server: 'api',
        uncached: true,
        path: () => `/api/v1/products?sortBy=price&${unique()}`,
        note: 'sortBy=price, 30 items, whole catalogue',
      },
      {
        name: `cursor page at ${deepOffset} (uncached)`,
        server: 'api',
        uncached: true,
        path: () => `/api/v1/products?sortBy=price&${unique()}&cursor=${deepCursor}`,
        note: 'the same query continued deep with the keyset cursor',
      },
      {
        name: `skip=${deepOffset} (uncached)`,
        server: 'api',
        uncached: true,
        path: () => `/api/v1/products?sortBy=price&${unique()}&skip=${deepOffset}`,
        note: 'for comparison: OFFSET paging to the same place',
      },
    ];

    const selected = scenarios.filter(
      (scenario) => !options.only || options.only.some((name) => scenario.name.startsWith(name)),
    );
    const portOf = (scenario: Scenario) => (scenario.server === 'api' ? api.port : bare.port);
    const measure = async (scenario: Scenario, round?: number) => {
      const label = round === undefined ? '' : ` (round ${round + 1}/${options.rounds})`;
      process.stderr.write(
        `${scenario.name}${label}: warm-up ${options.warmup}s, measure ${options.duration}s\n`,
      );
      if (options.warmup > 0) await runScenario(scenario, portOf(scenario), options, options.warmup);
      return runScenario(scenario, portOf(scenario), options, options.duration);
    };

    // Throughput scenarios interleaved, round after round: their ratios are taken within a round.
    const throughput = selected.filter((scenario) => !scenario.uncached);
    const rounds: Row[][] = [];
    for (let round = 0; round < options.rounds && throughput.length > 0; round++) {
      const results: Row[] = [];
      for (const scenario of throughput) results.push(await measure(scenario, round));
      rounds.push(results);
    }
    const rows: Row[] = throughput.map((_, index) => medianRound(rounds.map((results) => results[index])));
    for (const scenario of selected.filter((s) => s.uncached)) rows.push(await measure(scenario));
    report(rows, rounds, options, products);
  } finally {
    stopServers();
    await stopRedis?.();
  }
}

/** The round with the median req/s, its other rounds' req/s noted. */
function medianRound(results: Row[]): Row {
  const sorted = [...results].sort((a, b) => a.rps - b.rps);
  const median = sorted[Math.floor(sorted.length / 2)];
  if (results.length === 1) return median;
  return { ...median, note: `${median.note}; rounds: ${results.map((r) => r.rps).join(' / ')} req/s` };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function report(rows: Row[], rounds: Row[][], options: Options, products: number): void {
  const lines = [
    `${products} active products · ${options.duration}s per scenario (after ${options.warmup}s warm-up), ` +
      `throughput scenarios in ${options.rounds} interleaved rounds (median shown) · ` +
      `${os.cpus().length} CPUs · Node ${process.version}`,
    '',
    '| scenario | connections | req/s | p50 ms | p99 ms | requests | errors | cache misses | notes |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (row) =>
        `| ${row.name} | ${row.connections} | ${row.rps} | ${row.p50} | ${row.p99} | ${row.requests} | ` +
        `${row.non2xx + row.errors} | ` +
        `${row.miss === undefined ? '–' : `${Math.round(row.miss * 100)}%`} | ${row.note} |`,
    ),
  ];
  // Ratios within each round (same machine state), then their median.
  const ratio = (name: string, reference: string) => {
    const perRound = rounds.flatMap((results) => {
      const a = results.find((row) => row.name === name);
      const b = results.find((row) => row.name === reference);
      return a && b ? [(a.rps / b.rps) * 100] : [];
    });
    if (perRound.length === 0) return;
    lines.push(
      `${name} / ${reference}: ${median(perRound).toFixed(1)}% (rounds: ${perRound.map((p) => p.toFixed(1)).join(' / ')})`,
    );
  };
  lines.push('');
  ratio('cached list', 'bare Express, same bytes');
  ratio('cached list', 'bare handler behind the app middleware');
  ratio('bare handler behind the app middleware', 'bare Express, same bytes');
  console.log(lines.join('\n'));
  console.log(`\n${JSON.stringify(rows)}`);
}

main().catch((error: unknown) => {
  stopServers();
  console.error(error);
  process.exit(1);
});
