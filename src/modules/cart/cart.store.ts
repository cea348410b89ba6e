import { createHash } from 'node:crypto';
import { ServiceUnavailableError } from '../../common/errors';
import type { Logger } from '../../lib/logger';
import { isRedisUnavailable, type Redis, type RedisKeys } from '../../lib/redis';

/** Whose cart: a signed-in user's or a guest session's. */
export type CartOwner = { userId: number } | { sessionId: string };

/** A cart as Redis holds it: product id → quantity, and when it expires (null: nothing stored). */
export interface StoredCart {
  lines: Map<number, number>;
  expiresAt: Date | null;
}

export interface CartLimits {
  maxQuantity: number;
  maxLines: number;
}

export type AddOutcome =
  | { status: 'OK'; cart: StoredCart }
  | { status: 'QUANTITY_LIMIT' | 'INSUFFICIENT_STOCK' | 'LINE_LIMIT' | 'UNKNOWN_CART'; current: number };

export type SetOutcome =
  { status: 'OK'; cart: StoredCart } | { status: 'NOT_FOUND' } | { status: 'INSUFFICIENT_STOCK' };

/** A slow or hung Redis must not hold a request: after this, the cart route answers 503. */
const COMMAND_TIMEOUT_MS = 1_000;

/**
 * Every script ends by returning `{ status, info, ttl, HGETALL }` of the cart it wrote, so a write answers with the
 * state it produced (atomically, no second read). Each write renews the sliding expiry.
 */
const STATE = (key: string) => `redis.call('PTTL', ${key}), redis.call('HGETALL', ${key})`;

/** KEYS[1] cart; ARGV ttlMs. A read also slides the expiry: a cart in use never expires. */
const READ = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {'OK', 0, ${STATE('KEYS[1]')}}`;

/**
 * KEYS[1] cart; ARGV ttlMs, productId, quantity to add, stock, max quantity per line, max lines, and '1' when the
 * cart must already exist (a guest's session id the client sent: the API never adopts an id it did not issue).
 */
const ADD = `
if ARGV[7] == '1' and redis.call('EXISTS', KEYS[1]) == 0 then return {'UNKNOWN_CART', 0} end
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[2]) or '0')
local total = current + tonumber(ARGV[3])
if total > tonumber(ARGV[5]) then return {'QUANTITY_LIMIT', current} end
if total > tonumber(ARGV[4]) then return {'INSUFFICIENT_STOCK', current} end
if current == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[6]) then return {'LINE_LIMIT', current} end
redis.call('HSET', KEYS[1], ARGV[2], total)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return {'OK', total, ${STATE('KEYS[1]')}}`;

/** KEYS[1] cart; ARGV ttlMs, productId, new quantity (0 removes), stock. Only an existing line can be set. */
const SET = `
if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 0 then return {'NOT_FOUND', 0} end
local quantity = tonumber(ARGV[3])
if quantity == 0 then
  redis.call('HDEL', KEYS[1], ARGV[2])
else
  if quantity > tonumber(ARGV[4]) then return {'INSUFFICIENT_STOCK', 0} end
  redis.call('HSET', KEYS[1], ARGV[2], quantity)
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return {'OK', quantity, ${STATE('KEYS[1]')}}`;

/** KEYS[1] cart; ARGV ttlMs, productId. */
const REMOVE = `
if redis.call('HDEL', KEYS[1], ARGV[2]) == 0 then return {'NOT_FOUND', 0} end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return {'OK', 0, ${STATE('KEYS[1]')}}`;

/**
 * KEYS[1] guest cart, KEYS[2] user cart; ARGV ttlMs, max quantity, max lines, then (productId, stock) pairs for the
 * guest lines the caller priced. Each guest line is added to the user's line, capped at stock and the per-line
 * maximum (never lowering what the user already had); new lines beyond the line limit are dropped. The guest cart
 * is deleted in the same script, so a second, racing merge finds nothing left to add. A guest line the caller did
 * not price (added after it read the guest cart) → RETRY, nothing changed.
 */
const MERGE = `
local guest = redis.call('HGETALL', KEYS[1])
local stock = {}
for i = 4, #ARGV, 2 do stock[ARGV[i]] = tonumber(ARGV[i + 1]) end
for i = 1, #guest, 2 do
  if stock[guest[i]] == nil then return {'RETRY', 0} end
end
local maxQuantity = tonumber(ARGV[2])
local lines = redis.call('HLEN', KEYS[2])
local dropped = 0
for i = 1, #guest, 2 do
  local current = tonumber(redis.call('HGET', KEYS[2], guest[i]) or '0')
  local target = math.min(current + tonumber(guest[i + 1]), stock[guest[i]], maxQuantity)
  if target > current then
    if current == 0 and lines >= tonumber(ARGV[3]) then
      dropped = dropped + 1
    else
      if current == 0 then lines = lines + 1 end
      redis.call('HSET', KEYS[2], guest[i], target)
    end
  end
end
redis.call('DEL', KEYS[1])
if lines > 0 then redis.call('PEXPIRE', KEYS[2], ARGV[1]) end
return {'OK', dropped, ${STATE('KEYS[2]')}}`;

/** KEYS[1] cart; ARGV ttlMs, then (productId, quantity) pairs to take out; a line at or below zero is removed. */
const SUBTRACT = `
for i = 2, #ARGV, 2 do
  local left = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0') - tonumber(ARGV[i + 1])
  if left > 0 then redis.call('HSET', KEYS[1], ARGV[i], left) else redis.call('HDEL', KEYS[1], ARGV[i]) end
end
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {'OK', 0, ${STATE('KEYS[1]')}}`;

type ScriptReply = [string, number, number?, string[]?];

class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** EVALSHA, loading the script with EVAL the first time a server has not seen it. */
  async run(redis: Redis, keys: string[], args: Array<string | number>): Promise<ScriptReply> {
    try {
      return (await redis.evalsha(this.sha, keys.length, ...keys, ...args)) as ScriptReply;
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return (await redis.eval(this.source, keys.length, ...keys, ...args)) as ScriptReply;
    }
  }
}

const scripts = {
  read: new LuaScript(READ),
  add: new LuaScript(ADD),
  set: new LuaScript(SET),
  remove: new LuaScript(REMOVE),
  merge: new LuaScript(MERGE),
  subtract: new LuaScript(SUBTRACT),
};

function toStoredCart(ttlMs: number | undefined, flat: string[] | undefined): StoredCart {
  const lines = new Map<number, number>();
  const fields = flat ?? [];
  for (let i = 0; i + 1 < fields.length; i += 2) lines.set(Number(fields[i]), Number(fields[i + 1]));
  const expiresAt = ttlMs !== undefined && ttlMs > 0 && lines.size > 0 ? new Date(Date.now() + ttlMs) : null;
  return { lines, expiresAt };
}

/**
 * Carts in Redis: one hash per cart (`<prefix>:cart:user:<id>` or `<prefix>:cart:session:<id>`), field = product
 * id, value = quantity. Every read-modify-write is one Lua script, so concurrent requests on one cart never lose an
 * update or pass a bound. Any Redis failure (down, erroring, slower than COMMAND_TIMEOUT_MS) is a 503.
 */
export class CartStore {
  private readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly logger: Logger,
    ttlDays: number,
  ) {
    this.ttlMs = ttlDays * 24 * 60 * 60 * 1000;
  }

  key(owner: CartOwner): string {
    return 'userId' in owner
      ? this.keys.key('cart', 'user', owner.userId)
      : this.keys.key('cart', 'session', owner.sessionId);
  }

  /** 503 at once while the connection is known to be down, without waiting on a reconnect. */
  assertAvailable(): void {
    if (isRedisUnavailable(this.redis))
      throw new ServiceUnavailableError('The cart is temporarily unavailable');
  }

  async read(owner: CartOwner): Promise<StoredCart> {
    const [, , ttl, flat] = await this.run(scripts.read, [this.key(owner)], [this.ttlMs]);
    return toStoredCart(ttl, flat);
  }

  async add(
    owner: CartOwner,
    productId: number,
    quantity: number,
    stock: number,
    limits: CartLimits,
    mustExist: boolean,
  ): Promise<AddOutcome> {
    const [status, info, ttl, flat] = await this.run(
      scripts.add,
      [this.key(owner)],
      [this.ttlMs, productId, quantity, stock, limits.maxQuantity, limits.maxLines, mustExist ? '1' : '0'],
    );
    if (status === 'OK') return { status, cart: toStoredCart(ttl, flat) };
    return { status: status as Exclude<AddOutcome['status'], 'OK'>, current: info };
  }

  async set(owner: CartOwner, productId: number, quantity: number, stock: number): Promise<SetOutcome> {
    const [status, , ttl, flat] = await this.run(
      scripts.set,
      [this.key(owner)],
      [this.ttlMs, productId, quantity, stock],
    );
    if (status === 'OK') return { status, cart: toStoredCart(ttl, flat) };
    return { status: status === 'NOT_FOUND' ? 'NOT_FOUND' : 'INSUFFICIENT_STOCK' };
  }

  /** The cart after removing the line, or null when the cart had no such line. */
  async remove(owner: CartOwner, productId: number): Promise<StoredCart | null> {
    const [status, , ttl, flat] = await this.run(scripts.remove, [this.key(owner)], [this.ttlMs, productId]);
    return status === 'OK' ? toStoredCart(ttl, flat) : null;
  }

  async clear(owner: CartOwner): Promise<void> {
    await this.guard(() => this.redis.del(this.key(owner)));
  }

  /** The guest's lines as they are now (no expiry change): what a merge has to price. */
  async peek(owner: CartOwner): Promise<Map<number, number>> {
    const flat = await this.guard(() => this.redis.hgetall(this.key(owner)));
    return new Map(Object.entries(flat).map(([id, quantity]) => [Number(id), Number(quantity)]));
  }

  /**
   * Moves the guest cart into the user's (see MERGE). `stock` must price every guest line; null when the guest
   * cart gained a line the caller did not price (nothing changed: read and price again).
   */
  async merge(
    guest: CartOwner,
    user: CartOwner,
    stock: Map<number, number>,
    limits: CartLimits,
  ): Promise<{ cart: StoredCart; dropped: number } | null> {
    const pairs = [...stock].flatMap(([id, available]) => [id, available]);
    const [status, dropped, ttl, flat] = await this.run(
      scripts.merge,
      [this.key(guest), this.key(user)],
      [this.ttlMs, limits.maxQuantity, limits.maxLines, ...pairs],
    );
    return status === 'OK' ? { cart: toStoredCart(ttl, flat), dropped } : null;
  }

  /** Takes the given quantities out of the cart in one step; lines added or raised meanwhile keep the rest. */
  async subtract(
    owner: CartOwner,
    lines: Array<{ productId: number; quantity: number }>,
  ): Promise<StoredCart> {
    const pairs = lines.flatMap((line) => [line.productId, line.quantity]);
    const [, , ttl, flat] = await this.run(scripts.subtract, [this.key(owner)], [this.ttlMs, ...pairs]);
    return toStoredCart(ttl, flat);
  }

  private run(script: LuaScript, keys: string[], args: Array<string | number>): Promise<ScriptReply> {
    return this.guard(() => script.run(this.redis, keys, args));
  }

  /** Redis down, failing or too slow → 503 SERVICE_UNAVAILABLE (the command's late reply is ignored). */
  private async guard<T>(command: () => Promise<T>): Promise<T> {
    this.assertAvailable();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis did not answer within ${COMMAND_TIMEOUT_MS} ms`)),
        COMMAND_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([command(), timeout]);
    } catch (error) {
      this.logger.warn('cart: Redis command failed', { error: (error as Error).message });
      throw new ServiceUnavailableError('The cart is temporarily unavailable');
    } finally {
      clearTimeout(timer);
    }
  }
}
