import type { UserRole } from '../../common/auth-user';
import type { Logger } from '../../lib/logger';
import type { Redis, RedisKeys } from '../../lib/redis';

/** How long a Redis answer may take before the caller treats Redis as down and asks the database. */
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

/** What Redis knows about a session: live (with its user and current role), ended, or nothing (ask PostgreSQL). */
export type CachedSession =
  { state: 'live'; userId: number; role: UserRole } | { state: 'ended' } | { state: 'unknown' };

const ENDED = 'ended';
const UNKNOWN: CachedSession = { state: 'unknown' };

/**
 * The fast half of the session check: an allow-list of live sessions in Redis, `auth:session:<familyId>` →
 * `<userId>:<role>` (or `ended`, a short tombstone), each entry expiring with the access token that filled it.
 * PostgreSQL is the record (refresh_tokens.revoked_at, users.is_active); a missing entry only ever means "ask
 * PostgreSQL", never "not revoked", so an emptied, restored or failed-over Redis costs one lookup per session and
 * never brings a revoked one back.
 * - Filling uses `SET NX`, and ending a session writes the tombstone instead of deleting: a fill racing with a
 *   revocation (database read before the commit, Redis write after it) cannot resurrect the session.
 * - Tombstones written while Redis is down are kept and replayed once it is ready again.
 * - After every reconnect (Redis restarted, restored from an older snapshot, failed over) the allow-list is not
 *   trusted until it has been purged: an entry restored from before a revocation must not answer "live".
 */
export class LiveSessionStore {
  private readonly pendingEnds = new Map<string, number>();
  private trusted = false;
  private purging: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
    private readonly accessTokenTtlSeconds: number,
  ) {
    let connectedBefore = false;
    redis.on('ready', () => {
      const reconnect = connectedBefore;
      connectedBefore = true;
      if (reconnect) this.trusted = false;
      void this.afterReady(reconnect);
    });
    redis.on('close', () => {
      if (connectedBefore) this.trusted = false;
    });
    if (redis.status === 'ready') {
      connectedBefore = true;
      this.trusted = true;
    }
  }

  private key(familyId: string): string {
    return this.keys.key('auth', 'session', familyId);
  }

  /** One round trip (GET). Redis down, slow or not yet purged after a reconnect → `unknown`. */
  async lookup(familyId: string): Promise<CachedSession> {
    if (!this.trusted || this.redis.status !== 'ready') return UNKNOWN;
    try {
      const value = await withTimeout(this.redis.get(this.key(familyId)), REDIS_TIMEOUT_MS);
      if (value === null) return UNKNOWN;
      if (value === ENDED) return { state: 'ended' };
      const match = /^(\d+):(CUSTOMER|ADMIN)$/.exec(value);
      if (!match) return UNKNOWN;
      return { state: 'live', userId: Number(match[1]), role: match[2] as UserRole };
    } catch {
      return UNKNOWN;
    }
  }

  /** Caches what PostgreSQL said is live, until `untilMs` (the access token's expiry). Best effort. */
  async remember(familyId: string, user: { userId: number; role: UserRole }, untilMs: number): Promise<void> {
    if (!this.trusted || this.redis.status !== 'ready' || untilMs <= Date.now()) return;
    try {
      await withTimeout(
        this.redis.set(this.key(familyId), `${user.userId}:${user.role}`, 'PXAT', untilMs, 'NX'),
        REDIS_TIMEOUT_MS,
      );
    } catch {
      // Only a cache: the next request asks PostgreSQL again.
    }
  }

  /** After the database commit: these sessions' access tokens fail at once on every instance. */
  async end(familyIds: string[]): Promise<void> {
    const unique = [...new Set(familyIds)];
    if (unique.length === 0) return;
    const until = Date.now() + (this.accessTokenTtlSeconds + 5) * 1000;
    for (const familyId of unique) this.pendingEnds.delete(familyId);
    if (await this.writeEnds(unique.map((familyId) => [familyId, until]))) return;
    this.logger.warn('redis unavailable: session ends kept for replay', { count: unique.length });
    for (const familyId of unique) this.pendingEnds.set(familyId, until);
  }

  private async writeEnds(entries: Array<[familyId: string, untilMs: number]>): Promise<boolean> {
    const live = entries.filter(([, until]) => until > Date.now());
    if (live.length === 0) return true;
    if (this.redis.status !== 'ready') return false;
    try {
      const pipeline = this.redis.pipeline();
      for (const [familyId, until] of live) pipeline.set(this.key(familyId), ENDED, 'PXAT', until);
      const results = await withTimeout(pipeline.exec(), REDIS_TIMEOUT_MS * 4);
      return results !== null && results.every(([error]) => !error);
    } catch {
      return false;
    }
  }

  private async afterReady(reconnect: boolean): Promise<void> {
    if (reconnect) {
      this.purging ??= this.purgeAllowList().finally(() => (this.purging = undefined));
      await this.purging;
    } else {
      this.trusted = true;
    }
    await this.replayEnds();
  }

  /** Deletes every allow-list entry (tombstones included: the database answers for them until re-filled). */
  private async purgeAllowList(): Promise<void> {
    try {
      let cursor = '0';
      do {
        const [next, found] = await withTimeout(
          this.redis.scan(cursor, 'MATCH', this.key('*'), 'COUNT', 1000),
          REDIS_TIMEOUT_MS * 4,
        );
        cursor = next;
        if (found.length > 0) await withTimeout(this.redis.unlink(...found), REDIS_TIMEOUT_MS * 4);
      } while (cursor !== '0');
      this.trusted = true;
      this.logger.info('redis reconnected: session allow-list purged');
    } catch (error) {
      // Stays untrusted (database answers) until the next reconnect purges successfully.
      this.logger.warn('redis reconnected but the session allow-list could not be purged', { error });
    }
  }

  private async replayEnds(): Promise<void> {
    if (this.pendingEnds.size === 0) return;
    const batch = [...this.pendingEnds.entries()];
    this.pendingEnds.clear();
    if (await this.writeEnds(batch)) {
      this.logger.info('replayed session ends after a redis outage', { count: batch.length });
      return;
    }
    for (const [familyId, until] of batch)
      if (!this.pendingEnds.has(familyId)) this.pendingEnds.set(familyId, until);
  }

  /** Session ends waiting for Redis (for tests and diagnostics). */
  get pendingCount(): number {
    return this.pendingEnds.size;
  }

  /** False while the allow-list may be stale (Redis down, or reconnected and not yet purged). */
  get isTrusted(): boolean {
    return this.trusted && this.redis.status === 'ready';
  }
}
