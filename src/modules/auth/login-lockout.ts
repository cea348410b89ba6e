import { createHash } from 'node:crypto';
import type { Logger } from '../../lib/logger';
import type { Redis, RedisKeys } from '../../lib/redis';

export interface LockoutState {
  locked: boolean;
  failures: number;
  /** Seconds until the window (and the lock) ends; 0 when there is no counter. */
  retryAfterSeconds: number;
  /** True exactly once: for the failure that engaged the lock. */
  justLocked: boolean;
}

const OPEN: LockoutState = { locked: false, failures: 0, retryAfterSeconds: 0, justLocked: false };

// INCR; the first failure opens the window, the failure that reaches the threshold restarts it so the lock lasts one
// full window from the moment it engaged. Atomic, one round trip.
const RECORD_FAILURE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 or n == tonumber(ARGV[2]) or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return {n, redis.call('PTTL', KEYS[1])}
`;

/**
 * Failed logins per e-mail address in a Redis counter with an expiry. `threshold` failures within the window lock
 * the address until the window passes — for unknown addresses too, so the lock reveals nothing. A success before
 * the threshold clears the counter. If Redis is unreachable the lockout is not enforced (the login itself still
 * works); the rate limiter and bcrypt's cost remain.
 */
export class LoginLockout {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
    private readonly options: { threshold: number; windowSeconds: number },
  ) {}

  private key(email: string): string {
    return this.keys.key(
      'auth',
      'login-failures',
      createHash('sha256').update(email).digest('hex').slice(0, 40),
    );
  }

  async check(email: string): Promise<LockoutState> {
    if (this.redis.status !== 'ready') return OPEN;
    try {
      const key = this.key(email);
      const [[, count], [, pttl]] = (await this.redis.multi().get(key).pttl(key).exec()) as [
        [Error | null, string | null],
        [Error | null, number],
      ];
      const failures = Number(count ?? 0);
      return this.state(failures, pttl);
    } catch (error) {
      this.logger.warn('login lockout check failed: not enforced', { error });
      return OPEN;
    }
  }

  async recordFailure(email: string): Promise<LockoutState> {
    if (this.redis.status !== 'ready') return OPEN;
    try {
      const [failures, pttl] = (await this.redis.eval(
        RECORD_FAILURE,
        1,
        this.key(email),
        String(this.options.windowSeconds * 1000),
        String(this.options.threshold),
      )) as [number, number];
      return this.state(failures, pttl);
    } catch (error) {
      this.logger.warn('login lockout counter failed', { error });
      return OPEN;
    }
  }

  async reset(email: string): Promise<void> {
    if (this.redis.status !== 'ready') return;
    await this.redis.del(this.key(email)).catch(() => undefined);
  }

  private state(failures: number, pttl: number): LockoutState {
    const retryAfterSeconds = pttl > 0 ? Math.ceil(pttl / 1000) : 0;
    const locked = failures >= this.options.threshold && pttl !== -2;
    return { locked, failures, retryAfterSeconds, justLocked: locked && failures === this.options.threshold };
  }
}
