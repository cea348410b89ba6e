import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Logger } from '../lib/logger';
import { isRedisUnavailable, type Redis } from '../lib/redis';

/**
 * INCRBY with the window's expiry set when the key is new (or has lost its expiry), answering the new total and the
 * time left. Same value format as rate-limit-redis's script (an integer with a PX expiry), so both stores can share
 * keys under one prefix.
 */
const INCREMENT_SCRIPT = `
local total = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return { total, ttl }
`;
const INCREMENT_COMMAND = 'rateLimitIncrBy';

type IncrementReply = [total: number, ttlMs: number];
type IncrementCommand = (key: string, hits: number, windowMs: number) => Promise<IncrementReply>;
type WithIncrement<T> = T & { [INCREMENT_COMMAND]: IncrementCommand };

interface KeyState {
  /** The shared count in Redis as of our latest reply for this key. */
  known: number;
  /** Hits accepted here, not yet sent to Redis. */
  pending: number;
  /** Hits sent to Redis whose reply has not arrived yet. */
  inFlight: number;
  /** End of the window (epoch ms), from Redis's PTTL. */
  resetAt: number;
  /** False until the first reply: before it we know nothing of the other instances' hits. */
  synced: boolean;
}

export interface BatchedRateLimitStoreOptions {
  redis: Redis;
  /** Prepended to every key in Redis. */
  prefix: string;
  /** How often hits counted locally are sent to Redis. Default 200 ms. */
  syncIntervalMs?: number;
  /**
   * The strict zone: once a key's remaining hits are ≤ max(1, ceil(limit × fraction)), every hit is counted in Redis
   * synchronously. Default 0.1.
   */
  headroomFraction?: number;
  /** Keys tracked locally at most; beyond it new keys are counted in Redis synchronously. Default 50 000. */
  maxKeys?: number;
  logger?: Logger;
}

/**
 * An express-rate-limit store that keeps the shared counters in Redis but does not ask Redis on every request.
 *
 * Far from the limit a hit is counted in memory and answered at once; a timer sends all keys' pending hits in one
 * pipeline and learns the shared totals back. Near the limit (the strict zone), for a new key or a new window, the hit
 * is counted in Redis before answering, so the decision that matters is made on the shared count.
 *
 * Trade-off: with several instances, one that is far from the limit by its last view of Redis accepts hits the others
 * cannot see yet. The limit can therefore be overshot by what the other instances accept locally within about one sync
 * interval (plus a round trip); a single instance never exceeds it. Hits pending when an instance dies are lost (an
 * undercount of at most one interval). While Redis is unreachable, pending hits are kept and sent later; requests are
 * let through by the limiter (fail open).
 */
export class BatchedRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;

  private readonly redis: WithIncrement<Redis>;
  private readonly syncIntervalMs: number;
  private readonly headroomFraction: number;
  private readonly maxKeys: number;
  private readonly logger?: Logger;
  private readonly states = new Map<string, KeyState>();
  private windowMs = 60_000;
  /** Undefined when the limit is computed per request: the store then cannot tell how near it is and always syncs. */
  private limit?: number;
  private headroom = 1;
  private timer?: NodeJS.Timeout;
  private lastSweep = 0;
  private closed = false;
  private failing = false;

  constructor(options: BatchedRateLimitStoreOptions) {
    this.prefix = options.prefix;
    this.syncIntervalMs = options.syncIntervalMs ?? 200;
    this.headroomFraction = options.headroomFraction ?? 0.1;
    this.maxKeys = options.maxKeys ?? 50_000;
    this.logger = options.logger;
    if (!(INCREMENT_COMMAND in options.redis)) {
      options.redis.defineCommand(INCREMENT_COMMAND, { numberOfKeys: 1, lua: INCREMENT_SCRIPT });
    }
    this.redis = options.redis as WithIncrement<Redis>;
  }

  init(options: Pick<Options, 'windowMs' | 'limit'>): void {
    this.windowMs = options.windowMs;
    this.limit = typeof options.limit === 'number' ? options.limit : undefined;
    if (this.limit !== undefined) {
      this.headroom = Math.max(1, Math.ceil(this.limit * this.headroomFraction));
    }
  }

  /** Keys tracked in memory (for tests and diagnostics). */
  get trackedKeys(): number {
    return this.states.size;
  }

  /** True while a sync to Redis is scheduled (for tests and diagnostics). */
  get syncScheduled(): boolean {
    return this.timer !== undefined;
  }

  /** Not `async`: a hit counted locally is answered without even a promise. */
  increment(key: string): ClientRateLimitInfo | Promise<ClientRateLimitInfo> {
    let state = this.states.get(key);
    if (state?.synced && state.resetAt <= Date.now()) {
      // The window is over: its unsent hits belong to it and are dropped with it.
      this.states.delete(key);
      state = undefined;
    }
    if (!state && this.states.size >= this.maxKeys && Date.now() - this.lastSweep >= this.syncIntervalMs) {
      this.sweepExpired();
    }
    if (!state && this.states.size < this.maxKeys && !this.closed) {
      state = { known: 0, pending: 0, inFlight: 0, resetAt: 0, synced: false };
      this.states.set(key, state);
    }
    if (state && this.isFarFromLimit(state)) {
      state.pending += 1;
      this.scheduleFlush();
      return { totalHits: Math.max(1, this.estimate(state)), resetTime: new Date(state.resetAt) };
    }
    return this.incrementInRedis(key, state, 1);
  }

  async decrement(key: string): Promise<void> {
    const state = this.states.get(key);
    if (state?.synced) {
      // Sent with the next flush (INCRBY of a negative count).
      state.pending -= 1;
      this.scheduleFlush();
      return;
    }
    await this.incrementInRedis(key, state, -1);
  }

  async resetKey(key: string): Promise<void> {
    this.states.delete(key);
    await this.redis.del(this.prefix + key);
  }

  /** Sends every key's pending hits in one pipeline and learns the shared totals back. */
  async flush(): Promise<void> {
    this.sweepExpired();
    if (isRedisUnavailable(this.redis)) {
      // Reconnecting: keep the counts and try again later rather than queueing commands behind the reconnect.
      for (const state of this.states.values()) {
        if (state.pending !== 0) return this.scheduleFlush();
      }
      return;
    }
    const batch: Array<{ key: string; state: KeyState; hits: number }> = [];
    for (const [key, state] of this.states) {
      if (state.pending !== 0) {
        batch.push({ key, state, hits: state.pending });
        state.inFlight += state.pending;
        state.pending = 0;
      }
    }
    if (batch.length === 0) return;

    const pipeline = this.redis.pipeline() as WithIncrement<ReturnType<Redis['pipeline']>>;
    for (const { key, hits } of batch) {
      void pipeline[INCREMENT_COMMAND](this.prefix + key, hits, this.windowMs);
    }
    let results: Array<[Error | null, unknown]> | null;
    try {
      results = await pipeline.exec();
    } catch (error) {
      results = batch.map(() => [error as Error, undefined]);
    }
    let failure: Error | undefined;
    batch.forEach(({ key, state, hits }, i) => {
      const [error, reply] = results?.[i] ?? [new Error('no reply'), undefined];
      state.inFlight -= hits;
      if (error) {
        failure ??= error;
        state.pending += hits;
        return;
      }
      this.learn(key, state, reply as IncrementReply);
    });
    if (failure) {
      // Once per outage: the limiter's wrapper already reports failing requests.
      if (!this.failing) {
        this.logger?.warn('rate limit sync to Redis failed; counts kept locally', { error: failure });
      }
      this.failing = true;
      this.scheduleFlush();
    } else {
      this.failing = false;
    }
  }

  /** Stops the timer and sends what is pending (best effort). Later hits are counted in Redis directly. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopTimer();
    if (!isRedisUnavailable(this.redis)) await this.flush().catch(() => undefined);
    this.states.clear();
  }

  shutdown(): Promise<void> {
    return this.close();
  }

  private estimate(state: KeyState): number {
    return state.known + state.inFlight + state.pending;
  }

  private isFarFromLimit(state: KeyState): boolean {
    if (!state.synced || this.limit === undefined || this.closed) return false;
    return this.limit - this.estimate(state) > this.headroom;
  }

  /** Sends this key's pending hits plus `hits` now and answers from the shared total. */
  private async incrementInRedis(
    key: string,
    state: KeyState | undefined,
    hits: number,
  ): Promise<ClientRateLimitInfo> {
    const sent = hits + (state?.pending ?? 0);
    if (state) {
      state.pending = 0;
      state.inFlight += sent;
    }
    let reply: IncrementReply;
    try {
      reply = await this.redis[INCREMENT_COMMAND](this.prefix + key, sent, this.windowMs);
    } catch (error) {
      if (state) {
        state.inFlight -= sent;
        state.pending += sent - hits;
        if (!state.synced && state.inFlight === 0 && this.states.get(key) === state) this.states.delete(key);
      }
      throw error;
    }
    if (state) {
      state.inFlight -= sent;
      this.learn(key, state, reply);
    }
    return { totalHits: Math.max(1, Number(reply[0])), resetTime: new Date(Date.now() + Number(reply[1])) };
  }

  /** Replies on one connection arrive in order, so the latest one holds the freshest shared total. */
  private learn(key: string, state: KeyState, [total, ttlMs]: IncrementReply): void {
    if (this.states.get(key) !== state) return; // reset or expired meanwhile
    state.known = Number(total);
    state.resetAt = Date.now() + Number(ttlMs);
    state.synced = true;
  }

  /** Drops the state of keys whose window has ended (their unsent hits end with it). */
  private sweepExpired(): void {
    const now = Date.now();
    this.lastSweep = now;
    for (const [key, state] of this.states) {
      if (state.inFlight > 0) continue;
      // Unsynced with nothing in flight: a placeholder whose first call to Redis failed.
      if (!state.synced || state.resetAt <= now) this.states.delete(key);
    }
  }

  private scheduleFlush(): void {
    // 'end': the connection was closed for good (app shutdown); nothing could be sent any more.
    if (this.timer || this.closed || this.redis.status === 'end') return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch((error: unknown) => {
        this.logger?.warn('rate limit sync to Redis failed', { error });
      });
    }, this.syncIntervalMs);
    // Never keeps the process (or a test worker) alive.
    this.timer.unref();
  }

  private stopTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
