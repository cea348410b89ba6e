import { IMMEDIATE_DISCONNECT, Redis } from './redis';

/** BullMQ requires its own connection with unlimited retries per request (it blocks on Redis commands). */
export function createQueueConnection(url: string): Redis {
  const connection = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: false,
    ...IMMEDIATE_DISCONNECT,
  });
  connection.on('error', () => undefined);
  return connection;
}
