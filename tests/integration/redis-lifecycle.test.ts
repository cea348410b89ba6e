import { createHook } from 'node:async_hooks';
import { findFreePort } from '../../src/lib/embedded/free-port';
import { createTestContext } from '../helpers/test-app';
import { waitFor } from '../helpers/wait';

jest.setTimeout(30_000);

/** Records where every timer still pending was created. */
function watchTimers() {
  const pending = new Map<number, string>();
  const hook = createHook({
    init(id, type) {
      if (type === 'Timeout') pending.set(id, new Error().stack ?? '');
    },
    destroy(id) {
      pending.delete(id);
    },
  }).enable();
  return {
    pendingFrom: (module: string) => [...pending.values()].filter((stack) => stack.includes(module)),
    stop: () => hook.disable(),
  };
}

test('closing the container while Redis is down leaves no Redis client timer holding the process', async () => {
  const timers = watchTimers();
  try {
    const ctx = await createTestContext({}, {}, { redisUrl: `redis://127.0.0.1:${await findFreePort()}` });
    // Connections that have already failed and are waiting to reconnect: the case ioredis left a 2 s timer behind.
    await waitFor(() => ctx.container.redis.status === 'reconnecting', 5_000, 10);
    expect(ctx.container.redis.status).toBe('reconnecting');
    await ctx.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(timers.pendingFrom('ioredis')).toEqual([]);
  } finally {
    timers.stop();
  }
});
