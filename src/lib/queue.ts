import { Redis } from 'ioredis';

/** BullMQ requires its own connection with unlimited retries per request (it blocks on Redis commands). */
export function createQueueConnection(url: string): Redis {
  const connection = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: false });
  connection.on('error', () => undefined);
  return connection;
}
