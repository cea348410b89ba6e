import { Redis } from 'ioredis';
import { Client } from 'pg';

/** Drops exactly the databases and Redis keys this run created, then stops what the setup started. */
export default async function globalTeardown(): Promise<void> {
  const services = globalThis.__ECOM_TEST_SERVICES__;
  if (!services) return;
  const { serverUrl, runId, redisUrl, stops } = services;

  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`ecom_test_${runId}_%`],
    );
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }

  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `test:${runId}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }

  for (const stop of stops.reverse()) await stop();
}
