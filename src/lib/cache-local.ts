import { LRUCache } from 'lru-cache';
import type { Logger } from './logger';
import { closeRedis, type Redis } from './redis';

/** The channel Redis publishes key invalidations on for RESP2 clients (server-assisted client-side caching). */
const INVALIDATE_CHANNEL = '__redis__:invalidate';

/** How long a writer waits for Redis to echo its own version bump before it answers anyway. */
const ECHO_TIMEOUT_MS = 200;

export interface LocalEntry {
  bytes: Buffer;
  etag: string;
}

/** What a read learnt from Redis: the namespace version it saw, under a token naming this local copy of it. */
export interface LearntVersion {
  version: string;
  token: number;
}

/**
 * The in-process tier in front of the Redis cache: entries this process has already read from (or written to)
 * Redis, served with no round trip while Redis guarantees to tell us when they go stale.
 *
 * Staleness comes from Redis itself (server-assisted client-side caching): one dedicated connection enables
 * `CLIENT TRACKING … BCAST PREFIX <version keys>` redirected to itself and subscribes to the invalidation channel,
 * so every change of a namespace version key — by any client, in any process — is pushed here. A namespace's
 * version is only trusted locally between such pushes; a push, a flush, or any doubt (the connection dropped,
 * is reconnecting, or is not set up yet) forgets it, and reads go back to Redis. Pushes and replies arrive on
 * different sockets, so a read only records the version it saw if no push arrived while it was in flight (`epoch`).
 *
 * Entries are keyed by a token that is new every time a version is learnt, so entries of a forgotten version can
 * never be served again (even if the version key is deleted and restarts at 0) and simply age out of the LRU.
 */
export class LocalCacheTier {
  private readonly entries: LRUCache<string, LocalEntry>;
  private readonly known = new Map<string, LearntVersion>();
  private nextToken = 1;
  /** Bumped by every push and every loss of trust: a read that spans a bump must not record what it saw. */
  private epochCounter = 0;
  private connection?: Redis;
  private trusted = false;
  /** Increases on every (re)connection, so a setup overtaken by a newer one does not mark the tier trusted. */
  private setupGeneration = 0;
  private readonly echoWaiters = new Map<string, Set<() => void>>();

  constructor(
    private readonly source: Redis,
    /** Every key under it is a namespace version key: `<versionKeyPrefix><namespace>`. */
    private readonly versionKeyPrefix: string,
    maxBytes: number,
    ttlSeconds: number,
    private readonly logger: Logger,
  ) {
    this.entries = new LRUCache<string, LocalEntry>({
      maxSize: maxBytes,
      sizeCalculation: (entry) => entry.bytes.length + entry.etag.length + 64,
      ttl: ttlSeconds * 1000,
    });
  }

  /** True while pushes are known to arrive: only then may local entries be served. */
  get active(): boolean {
    return this.trusted;
  }

  get epoch(): number {
    return this.epochCounter;
  }

  /** Connects lazily, on the first read: processes that never read the cache (the worker) never connect. */
  private ensureStarted(): void {
    if (this.connection) return;
    const connection = this.source.duplicate({ autoResubscribe: false, lazyConnect: false });
    this.connection = connection;
    connection.on('error', () => undefined);
    connection.on('ready', () => void this.setUp(connection));
    for (const event of ['close', 'reconnecting', 'end'] as const) {
      connection.on(event, () => this.distrust());
    }
    connection.on('messageBuffer', (channel: Buffer, message: Buffer[] | Buffer | null) => {
      if (channel.toString('latin1') === INVALIDATE_CHANNEL) this.onInvalidate(message);
    });
  }

  private async setUp(connection: Redis): Promise<void> {
    const generation = ++this.setupGeneration;
    try {
      const id = String(await connection.client('ID'));
      await connection.call(
        'CLIENT',
        'TRACKING',
        'ON',
        'REDIRECT',
        id,
        'BCAST',
        'PREFIX',
        this.versionKeyPrefix,
      );
      await connection.subscribe(INVALIDATE_CHANNEL);
      if (generation === this.setupGeneration && connection.status === 'ready') this.trusted = true;
    } catch (error) {
      this.logger.warn('cache invalidation tracking could not be set up; local cache tier off', { error });
      this.distrust();
    }
  }

  /** Forgets everything: pushes may have been missed. */
  private distrust(): void {
    this.trusted = false;
    this.clear();
    for (const waiters of this.echoWaiters.values()) for (const resolve of waiters) resolve();
    this.echoWaiters.clear();
  }

  clear(): void {
    this.epochCounter++;
    this.known.clear();
    this.entries.clear();
  }

  /** A push: the listed version keys changed (`null`: the whole database was flushed). */
  private onInvalidate(message: Buffer[] | Buffer | null): void {
    this.epochCounter++;
    if (message === null) {
      this.clear();
      return;
    }
    for (const raw of Array.isArray(message) ? message : [message]) {
      const key = raw.toString('utf8');
      if (!key.startsWith(this.versionKeyPrefix)) continue;
      const namespace = key.slice(this.versionKeyPrefix.length);
      this.known.delete(namespace);
      const waiters = this.echoWaiters.get(namespace);
      if (waiters) {
        this.echoWaiters.delete(namespace);
        for (const resolve of waiters) resolve();
      }
    }
  }

  /** A local entry of the namespace's trusted version, or undefined (then read Redis). */
  lookup(namespace: string, id: string): { entry: LocalEntry; token: number } | undefined {
    this.ensureStarted();
    if (!this.trusted) return undefined;
    const learnt = this.known.get(namespace);
    if (!learnt) return undefined;
    const entry = this.entries.get(`${learnt.token}:${id}`);
    return entry ? { entry, token: learnt.token } : undefined;
  }

  /** Whether the version behind `token` is still the trusted one. */
  isCurrent(namespace: string, token: number): boolean {
    return this.trusted && this.known.get(namespace)?.token === token;
  }

  /**
   * Records the version a Redis read returned, unless a push arrived since the read was sent (`epochBefore`).
   * Returns the token to store entries of that version under, or undefined when nothing may be stored.
   */
  learn(namespace: string, version: string, epochBefore: number): number | undefined {
    if (!this.trusted || this.epochCounter !== epochBefore) return undefined;
    const learnt = this.known.get(namespace);
    if (learnt?.version === version) return learnt.token;
    const token = this.nextToken++;
    this.known.set(namespace, { version, token });
    return token;
  }

  store(namespace: string, token: number, id: string, { bytes, etag }: LocalEntry): void {
    if (!this.isCurrent(namespace, token)) return;
    // A copy: bytes read from Redis are a view into the reply parser's shared buffer pool or socket chunk, which
    // this entry would otherwise keep alive (uncounted by the LRU's size limit) for as long as it is cached.
    this.entries.set(`${token}:${id}`, { bytes: Buffer.from(bytes), etag });
  }

  /**
   * Called before this process bumps the namespaces' versions: forgets them here at once (read-your-write in this
   * process) and returns a promise that settles when Redis has pushed the bumps back to us. Redis sends the push
   * to every tracking client while it executes the INCR, so once ours is back, every other process has it on its
   * socket too, before our caller can answer.
   */
  forget(namespaces: string[]): Promise<void> {
    this.epochCounter++;
    for (const namespace of namespaces) this.known.delete(namespace);
    if (!this.trusted) return Promise.resolve();
    const registered: Array<[string, () => void]> = [];
    const echoes = namespaces.map(
      (namespace) =>
        new Promise<void>((resolve) => {
          let waiters = this.echoWaiters.get(namespace);
          if (!waiters) this.echoWaiters.set(namespace, (waiters = new Set()));
          waiters.add(resolve);
          registered.push([namespace, resolve]);
        }),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ECHO_TIMEOUT_MS);
    });
    return Promise.race([Promise.all(echoes).then(() => undefined), timeout]).finally(() => {
      clearTimeout(timer);
      // After a timeout the waiters would otherwise stay until a push for their namespace comes, if ever.
      for (const [namespace, resolve] of registered) this.echoWaiters.get(namespace)?.delete(resolve);
    });
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.distrust();
    if (connection) await closeRedis(connection);
  }
}
