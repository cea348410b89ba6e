import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { LocalCacheTier } from './cache-local';
import type { Logger } from './logger';
import { isRedisUnavailable, type Redis, type RedisKeys } from './redis';

/**
 * Reads the namespace version and the entry under that version in one round trip:
 * KEYS[1] = version key; ARGV[1], ARGV[2] = entry key before/after the version. Returns { version, value|false }.
 */
const GET_VERSIONED = `
local version = redis.call('GET', KEYS[1]) or '0'
return { version, redis.call('GET', ARGV[1] .. version .. ARGV[2]) }`;

/**
 * The script as an ioredis custom command: sent once, then called by SHA (EVALSHA), reloaded on NOSCRIPT. The
 * `…Buffer` variant ioredis derives from it returns raw bytes: a hit is never decoded to a string and re-encoded.
 */
const COMMAND = 'cacheGetVersioned';
const COMMAND_BUFFER = `${COMMAND}Buffer` as const;

type RedisWithCacheCommand = Redis & {
  [COMMAND_BUFFER](versionKey: string, before: string, after: string): Promise<[Buffer, Buffer | null]>;
};

/**
 * A stored entry is `<etag>\n<json>`: the payload's digest (computed once, when it is loaded) travels with it, so
 * a hit needs no hashing either. ETAG_LENGTH = base64url of a sha1.
 */
const ETAG_LENGTH = 27;
const HEADER_LENGTH = ETAG_LENGTH + 1;

export interface CacheResult {
  /** The payload as JSON text (decoded from `bytes` on first access). */
  readonly json: string;
  /** The payload as UTF-8 JSON bytes, ready to be sent without re-serialising or re-encoding. */
  bytes: Buffer;
  /** A digest of the payload, usable as a (weak) HTTP validator. */
  etag: string;
  hit: boolean;
}

function cacheResult(bytes: Buffer, etag: string, hit: boolean, json?: string): CacheResult {
  let text = json;
  return {
    bytes,
    etag,
    hit,
    get json() {
      text ??= bytes.toString('utf8');
      return text;
    },
  };
}

interface Loaded {
  bytes: Buffer;
  etag: string;
  json: string;
}

export interface CacheOptions {
  ttlSeconds: number;
  /** Memory for the in-process tier (entries already read from Redis, see LocalCacheTier); 0 turns it off. */
  localMaxBytes: number;
  /** How often to look for a Redis restarted or failed over behind a live connection (its run_id); 0: only on connect. */
  runIdCheckIntervalMs?: number;
}

/**
 * Cache-aside over Redis with O(1) invalidation: every entry key embeds its namespace's version number, and a
 * write bumps the version (INCR) so all older entries become unreachable at once and expire by TTL — no KEYS/SCAN.
 * Concurrent misses for the same key in this process share one load (single flight). Redis failures degrade to
 * a miss: the loader runs and the request still succeeds. In front of Redis, an in-process tier serves entries
 * this process has already fetched while Redis guarantees to push their invalidation (no round trip per hit).
 */
export class Cache {
  private readonly inFlight = new Map<string, Promise<Loaded>>();
  /**
   * Bumped locally on every invalidation, so a load that started before a write is never shared with a request
   * that arrives after it (even while Redis, and with it the shared version, is unreachable).
   */
  private readonly localGeneration = new Map<string, number>();
  /**
   * Namespaces whose version bump failed (Redis unreachable during a write). Until a retry succeeds this process
   * neither reads nor fills them, so entries cached before that write are never served by it once Redis is back.
   */
  private readonly pendingBumps = new Set<string>();
  private readonly redis: RedisWithCacheCommand;
  private readonly ttlSeconds: number;
  private readonly local?: LocalCacheTier;
  /**
   * The run_id of the Redis server last verified. A different one after a reconnect (or at a periodic check) means
   * the data may be older than what this process saw (a restart from a snapshot, a failover to a lagging replica):
   * a namespace version may have gone back, bringing entries of before a write back to life.
   */
  private runId?: string;
  /** False from every (re)connect until the run_id was checked: until then nothing is read from Redis. */
  private serverVerified = false;
  private verification?: Promise<boolean>;
  /** Namespaces this process has used, invalidated with those found in Redis when the server changed. */
  private readonly knownNamespaces = new Set<string>();
  private readonly runIdTimer?: NodeJS.Timeout;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    { ttlSeconds, localMaxBytes, runIdCheckIntervalMs = 0 }: CacheOptions,
    private readonly logger: Logger,
  ) {
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: GET_VERSIONED });
    this.redis = redis as RedisWithCacheCommand;
    this.ttlSeconds = ttlSeconds;
    if (localMaxBytes > 0) {
      this.local = new LocalCacheTier(redis, this.versionKey(''), localMaxBytes, ttlSeconds, logger);
    }
    redis.on('close', () => {
      this.serverVerified = false;
    });
    redis.on('ready', () => void this.verifyServer());
    if (runIdCheckIntervalMs > 0) {
      this.runIdTimer = setInterval(() => void this.verifyServer(), runIdCheckIntervalMs).unref();
    }
  }

  /** True once the server behind the connection is known to be the one whose data this process has seen. */
  private async serverChecked(): Promise<boolean> {
    if (this.serverVerified) return true;
    return this.verifyServer();
  }

  /** Compares Redis' run_id with the last one seen; on a change, invalidates every namespace first. */
  private verifyServer(): Promise<boolean> {
    this.verification ??= (async () => {
      try {
        const info = await this.redis.info('server');
        const runId = /^run_id:(\w+)/m.exec(info)?.[1];
        if (this.runId !== undefined && runId !== this.runId) {
          this.serverVerified = false;
          this.logger.warn('Redis restarted or failed over; invalidating every cache namespace', {
            previousRunId: this.runId,
            runId,
          });
          await this.invalidateEverything();
        }
        this.runId = runId;
        this.serverVerified = true;
      } catch (error) {
        this.serverVerified = false;
        this.logger.warn('could not check which Redis server answers; not reading the cache', { error });
      }
      return this.serverVerified;
    })().finally(() => {
      this.verification = undefined;
    });
    return this.verification;
  }

  /** Bumps every namespace version: those this process used and those with a version key in Redis. */
  private async invalidateEverything(): Promise<void> {
    const namespaces = new Set(this.knownNamespaces);
    const prefix = this.versionKey('');
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) namespaces.add(key.slice(prefix.length));
    } while (cursor !== '0');
    this.local?.clear();
    await this.invalidate(...namespaces);
  }

  /** Whether hits may currently be served from this process's memory (see LocalCacheTier). */
  get localTierActive(): boolean {
    return this.local?.active ?? false;
  }

  /** Drops the in-process tier, e.g. after Redis keys were deleted behind the application's back (test resets). */
  clearLocal(): void {
    this.local?.clear();
  }

  async close(): Promise<void> {
    clearInterval(this.runIdTimer);
    await this.local?.close();
  }

  private versionKey(namespace: string): string {
    return this.keys.key('cache', 'ver', namespace);
  }

  /** Entry key = `<prefix>:cache:<ns>:v<version>:<digest of the normalised query>`. */
  private entryKeyParts(namespace: string, id: string): [string, string] {
    const digest = id.length > 64 ? createHash('sha1').update(id).digest('base64url') : id;
    return [`${this.keys.key('cache', namespace)}:v`, `:${digest}`];
  }

  /** The namespace's current version and the entry stored under it; `{}` when Redis is unavailable. */
  private async readEntry(
    namespace: string,
    before: string,
    after: string,
  ): Promise<{ version?: string; cached?: Buffer }> {
    if (isRedisUnavailable(this.redis) || !(await this.serverChecked())) return {};
    if (
      this.pendingBumps.size > 0 &&
      this.pendingBumps.has(namespace) &&
      !(await this.retryBump(namespace))
    ) {
      return {};
    }
    try {
      const [version, cached] = await this.redis[COMMAND_BUFFER](this.versionKey(namespace), before, after);
      // An entry without the etag header (written by an older release) counts as a miss and is overwritten.
      const valid = cached && cached.length > HEADER_LENGTH && cached[ETAG_LENGTH] === 0x0a;
      return { version: version.toString('latin1'), cached: valid ? cached : undefined };
    } catch (error) {
      this.logger.warn('cache read failed; serving from the database', { namespace, error });
      return {};
    }
  }

  async getOrLoad(namespace: string, id: string, load: () => Promise<unknown>): Promise<CacheResult> {
    this.knownNamespaces.add(namespace);
    const local = this.local?.lookup(namespace, id);
    if (local) {
      // Let this turn's pending socket reads run first: a version bump Redis pushed before this request arrived
      // is then applied before the entry is served.
      await nextTurn();
      if (this.local!.isCurrent(namespace, local.token)) {
        return cacheResult(local.entry.bytes, local.entry.etag, true);
      }
    }

    const epoch = this.local?.epoch ?? 0;
    const [before, after] = this.entryKeyParts(namespace, id);
    const { version, cached } = await this.readEntry(namespace, before, after);
    const token = version === undefined ? undefined : this.local?.learn(namespace, version, epoch);
    if (cached !== undefined) {
      const bytes = cached.subarray(HEADER_LENGTH);
      const etag = cached.toString('latin1', 0, ETAG_LENGTH);
      if (token !== undefined) this.local!.store(namespace, token, id, { bytes, etag });
      return cacheResult(bytes, etag, true);
    }

    const generation = this.localGeneration.get(namespace) ?? 0;
    const flightKey = `${namespace}\u0000${version ?? '-'}\u0000${generation}\u0000${id}`;
    let flight = this.inFlight.get(flightKey);
    if (!flight) {
      flight = (async () => {
        const json = JSON.stringify(await load());
        const bytes = Buffer.from(json, 'utf8');
        const etag = createHash('sha1').update(bytes).digest('base64url');
        if (version !== undefined) {
          // Not awaited: the response need not wait for the write. Later reads on this connection are queued
          // behind it, so they find the entry.
          const entry = Buffer.concat([Buffer.from(`${etag}\n`, 'latin1'), bytes]);
          this.redis
            .set(`${before}${version}${after}`, entry, 'EX', this.ttlSeconds)
            .catch((error: unknown) => this.logger.warn('cache write failed', { namespace, error }));
        }
        if (token !== undefined) this.local!.store(namespace, token, id, { bytes, etag });
        return { bytes, etag, json };
      })().finally(() => this.inFlight.delete(flightKey));
      this.inFlight.set(flightKey, flight);
    }
    const { bytes, etag, json } = await flight;
    return cacheResult(bytes, etag, false, json);
  }

  /**
   * Invalidates every entry of the namespaces. Call after the write commits and before responding, so the next
   * read cannot see the old value.
   */
  async invalidate(...namespaces: string[]): Promise<void> {
    if (namespaces.length === 0) return;
    for (const namespace of namespaces) {
      this.knownNamespaces.add(namespace);
      this.localGeneration.set(namespace, (this.localGeneration.get(namespace) ?? 0) + 1);
    }
    const echoed = this.local?.forget(namespaces);
    const pipeline = this.redis.pipeline();
    for (const namespace of namespaces) pipeline.incr(this.versionKey(namespace));
    const results = await pipeline.exec().catch((error: unknown) => {
      this.logger.error('cache invalidation failed', { namespaces, error });
      return null;
    });
    namespaces.forEach((namespace, index) => {
      const failed = !results || results[index]?.[0];
      if (failed) this.pendingBumps.add(namespace);
      else this.pendingBumps.delete(namespace);
    });
    const failed = results?.find(([error]) => error);
    if (failed) this.logger.error('cache invalidation failed', { namespaces, error: failed[0] });
    else if (results) await echoed;
  }

  /** Retries a failed version bump; true once it has gone through. */
  private async retryBump(namespace: string): Promise<boolean> {
    try {
      await this.redis.incr(this.versionKey(namespace));
      this.pendingBumps.delete(namespace);
      return true;
    } catch {
      return false;
    }
  }
}
