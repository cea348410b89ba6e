import { createHash } from 'node:crypto';
import { SQL_UTC_NOW, type Db } from '../../lib/prisma';

export interface LockoutState {
  locked: boolean;
  failures: number;
  /** Seconds until the window (and the lock) ends; 0 when there is no counter. */
  retryAfterSeconds: number;
  /** True exactly once: for the failure that engaged the lock. */
  justLocked: boolean;
}

/**
 * Failed logins per e-mail address, recorded in PostgreSQL (`login_failures`), so the lockout holds while Redis is
 * down or after it lost its data. `threshold` failures within the window lock the address until the window passes
 * — for unknown addresses too, so the lock reveals nothing. The first failure opens the window; the one that
 * reaches the threshold restarts it, so the lock lasts one full window from the moment it engaged. A success before
 * the threshold clears the counter. All time arithmetic happens in the database (one clock for every instance).
 */
export class LoginLockout {
  constructor(
    private readonly db: Db,
    private readonly options: { threshold: number; windowSeconds: number },
  ) {}

  /** The address is stored only as a digest. */
  private key(email: string): string {
    return createHash('sha256').update(email).digest('hex');
  }

  async check(email: string): Promise<LockoutState> {
    const rows = await this.db.$queryRaw<Array<{ failures: number; retry_after: number }>>`
      SELECT failures, CEIL(EXTRACT(EPOCH FROM window_ends_at - ${SQL_UTC_NOW}))::int AS retry_after
        FROM login_failures
       WHERE key = ${this.key(email)} AND window_ends_at > ${SQL_UTC_NOW}`;
    const row = rows[0];
    return row ? this.state(row.failures, row.retry_after) : this.state(0, 0);
  }

  /** One atomic upsert: concurrent failures each count. Windows that ended long ago are swept on the way. */
  async recordFailure(email: string): Promise<LockoutState> {
    const window = this.options.windowSeconds;
    const rows = await this.db.$queryRaw<Array<{ failures: number; retry_after: number }>>`
      INSERT INTO login_failures AS f (key, failures, window_ends_at)
      VALUES (${this.key(email)}, 1, ${SQL_UTC_NOW} + make_interval(secs => ${window}))
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN f.window_ends_at <= ${SQL_UTC_NOW} THEN 1 ELSE f.failures + 1 END,
        window_ends_at = CASE
          WHEN f.window_ends_at <= ${SQL_UTC_NOW} OR f.failures + 1 = ${this.options.threshold}
            THEN ${SQL_UTC_NOW} + make_interval(secs => ${window})
          ELSE f.window_ends_at END
      RETURNING failures,
        CEIL(EXTRACT(EPOCH FROM window_ends_at - ${SQL_UTC_NOW}))::int AS retry_after`;
    await this.db.$executeRaw`
      DELETE FROM login_failures WHERE window_ends_at < ${SQL_UTC_NOW} - interval '1 hour'`;
    return this.state(rows[0].failures, rows[0].retry_after);
  }

  async reset(email: string): Promise<void> {
    await this.db.$executeRaw`DELETE FROM login_failures WHERE key = ${this.key(email)}`;
  }

  private state(failures: number, retryAfterSeconds: number): LockoutState {
    const locked = failures >= this.options.threshold && retryAfterSeconds > 0;
    return {
      locked,
      failures,
      retryAfterSeconds: Math.max(0, retryAfterSeconds),
      justLocked: locked && failures === this.options.threshold,
    };
  }
}
