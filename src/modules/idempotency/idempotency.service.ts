import { createHash } from 'node:crypto';
import { ConflictError, UnprocessableError, ValidationError } from '../../common/errors';
import type { Prisma } from '../../lib/prisma';
import type { IdempotencyRepository } from './idempotency.repository';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
const MAX_KEY_LENGTH = 255;

/** What a request under a key answered: replayed as it was for a retry. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: Prisma.InputJsonValue;
}

export interface IdempotentRequest {
  userId: number;
  /** The raw header value; undefined when the client sent none. */
  key: string | undefined;
  method: string;
  /** The route path (without query), part of the key's scope and the request hash. */
  path: string;
  body: unknown;
}

export interface IdempotentOutcome {
  replayed: boolean;
  response: StoredResponse;
}

/** JSON with object keys sorted, so the same body hashes the same whatever the clients' key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()} ${path}\n${canonicalJson(body)}`)
    .digest('hex');
}

/**
 * Idempotency keys (contract § Orders), reusable by any write route: the first request with a key claims it with a
 * unique insert and runs; a retry with the same method, path and body gets the stored response
 * (`Idempotent-Replayed: true`); a different body → 422 IDEMPOTENCY_KEY_REUSED; a retry while the first still
 * runs → 409 IDEMPOTENCY_IN_PROGRESS. A first attempt that throws releases the key, so a failure never poisons it.
 */
export class IdempotencyService {
  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly options: { ttlSeconds: number },
  ) {}

  /** The cleanup job: keys past their 24 h are only dead weight (a later claim would replace them anyway). */
  purgeExpired(now = new Date()): Promise<number> {
    return this.keys.deleteExpired(now);
  }

  async run(request: IdempotentRequest, work: () => Promise<StoredResponse>): Promise<IdempotentOutcome> {
    if (request.key === undefined) return { replayed: false, response: await work() };
    const key = request.key;
    if (key.trim().length === 0 || key.length > MAX_KEY_LENGTH) {
      throw new ValidationError({
        'headers.idempotency-key': [`Must be 1 to ${MAX_KEY_LENGTH} characters and not blank`],
      });
    }
    const scope = `${request.method.toUpperCase()} ${request.path}`;
    const hash = requestHash(request.method, request.path, request.body);
    const claimed = await this.keys.claim({
      userId: request.userId,
      scope,
      key,
      requestHash: hash,
      expiresAt: new Date(Date.now() + this.options.ttlSeconds * 1000),
    });
    if (!claimed) return { replayed: true, response: await this.replay(request.userId, scope, key, hash) };

    let response: StoredResponse;
    try {
      response = await work();
    } catch (error) {
      await this.keys.release(request.userId, scope, key);
      throw error;
    }
    await this.keys.complete(request.userId, scope, key, response);
    return { replayed: false, response };
  }

  private async replay(userId: number, scope: string, key: string, hash: string): Promise<StoredResponse> {
    const row = await this.keys.find(userId, scope, key);
    // Released between our claim and this read (the first attempt failed): the client may simply retry.
    if (!row || row.status === 'IN_PROGRESS' || row.responseStatus === null) {
      if (row && row.requestHash !== hash) throw reused();
      throw new ConflictError(
        'A request with this Idempotency-Key is still being processed; retry shortly',
        'IDEMPOTENCY_IN_PROGRESS',
      );
    }
    if (row.requestHash !== hash) throw reused();
    return {
      status: row.responseStatus,
      headers: (row.responseHeaders ?? {}) as Record<string, string>,
      body: row.responseBody as Prisma.InputJsonValue,
    };
  }
}

const reused = () =>
  new UnprocessableError(
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was already used with a different request body',
  );
