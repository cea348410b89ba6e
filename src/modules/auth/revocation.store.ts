import type { Logger } from '../../lib/logger';
import type { Redis, RedisKeys } from '../../lib/redis';

/** How long a Redis answer may take before the caller falls back to the database. */
const REDIS_TIMEOUT_MS = 500;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('redis timeout')), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

type PendingWrite = { op: 'set'; expiresAtMs: number } | { op: 'del' };

/**
 * The fast half of token revocation, in Redis:
 * - `auth:revoked:jti:<jti>` — one access token (logout), until that token's expiry;
 * - `auth:revoked:sid:<familyId>` — every access token of a login session, for one access-token lifetime;
 * - `auth:revoked:user:<id>` — every access token of a deactivated user, for one access-token lifetime.
 * The database is the source of truth (refresh_tokens.revoked_at, users.is_active); when Redis cannot be reached,
 * `isRevoked` answers `undefined` and the caller asks the database. Writes that fail while Redis is down are kept
 * and replayed when the connection is ready again, so a revocation made during an outage is not forgotten after it.
 */
export class RevocationStore {
  private readonly pending = new Map<string, PendingWrite>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
    private readonly accessTokenTtlSeconds: number,
  ) {
    redis.on('ready', () => void this.replayPending());
  }

  private jtiKey(jti: string) {
    return this.keys.key('auth', 'revoked', 'jti', jti);
  }

  private sidKey(sid: string) {
    return this.keys.key('auth', 'revoked', 'sid', sid);
  }

  private userKey(userId: number) {
    return this.keys.key('auth', 'revoked', 'user', userId);
  }

  /** One round trip. `true` revoked, `false` not revoked, `undefined` Redis could not answer. */
  async isRevoked(token: { jti: string; sid: string; userId: number }): Promise<boolean | undefined> {
    if (this.redis.status !== 'ready') return undefined;
    try {
      const values = await withTimeout(
        this.redis.mget(this.jtiKey(token.jti), this.sidKey(token.sid), this.userKey(token.userId)),
        REDIS_TIMEOUT_MS,
      );
      return values.some((value) => value !== null);
    } catch {
      return undefined;
    }
  }

  /** Blacklists one access token until it would have expired anyway. */
  revokeAccessToken(jti: string, expSeconds: number): Promise<void> {
    return this.set([[this.jtiKey(jti), expSeconds * 1000 + 5_000]]);
  }

  /** Kills every access token of these sessions (families). */
  revokeSessions(familyIds: string[]): Promise<void> {
    const until = this.windowEnd();
    return this.set(familyIds.map((sid) => [this.sidKey(sid), until] as [string, number]));
  }

  /** Kills every access token of a user (deactivation, account deletion). */
  revokeUser(userId: number): Promise<void> {
    return this.set([[this.userKey(userId), this.windowEnd()]]);
  }

  /** Reactivation: new tokens of the user are valid again (old sessions stay revoked by family). */
  async restoreUser(userId: number): Promise<void> {
    const key = this.userKey(userId);
    this.pending.delete(key);
    if (this.redis.status === 'ready') {
      try {
        await withTimeout(this.redis.del(key), REDIS_TIMEOUT_MS);
        return;
      } catch {
        // fall through: remember it
      }
    }
    this.pending.set(key, { op: 'del' });
  }

  /** A few seconds beyond one access-token lifetime, for clock skew between instances. */
  private windowEnd(): number {
    return Date.now() + (this.accessTokenTtlSeconds + 5) * 1000;
  }

  private async set(entries: Array<[key: string, expiresAtMs: number]>): Promise<void> {
    const live = entries.filter(([, expiresAtMs]) => expiresAtMs > Date.now());
    if (live.length === 0) return;
    for (const [key] of live) this.pending.delete(key);
    if (this.redis.status === 'ready') {
      try {
        const pipeline = this.redis.pipeline();
        for (const [key, expiresAtMs] of live) pipeline.set(key, '1', 'PXAT', expiresAtMs);
        const results = await withTimeout(pipeline.exec(), REDIS_TIMEOUT_MS);
        if (results && results.every(([error]) => !error)) return;
      } catch {
        // fall through: remember them
      }
    }
    this.logger.warn('redis unavailable: revocation kept for replay', { count: live.length });
    for (const [key, expiresAtMs] of live) this.pending.set(key, { op: 'set', expiresAtMs });
  }

  /** Writes what failed during an outage, once Redis is back. */
  async replayPending(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.entries()];
    this.pending.clear();
    const pipeline = this.redis.pipeline();
    const now = Date.now();
    for (const [key, write] of batch) {
      if (write.op === 'del') pipeline.del(key);
      else if (write.expiresAtMs > now) pipeline.set(key, '1', 'PXAT', write.expiresAtMs);
    }
    try {
      await withTimeout(pipeline.exec(), REDIS_TIMEOUT_MS * 4);
      this.logger.info('replayed revocations after a redis outage', { count: batch.length });
    } catch {
      for (const [key, write] of batch) if (!this.pending.has(key)) this.pending.set(key, write);
    }
  }

  /** Pending writes (for tests and diagnostics). */
  get pendingCount(): number {
    return this.pending.size;
  }
}
