import type { Response } from 'express';
import type { CacheResult } from '../lib/cache';

/** `meta` of every envelope: the request id (same as the X-Request-ID header) and the response time. */
export function responseMeta(res: Response): { requestId: string; timestamp: string } {
  return { requestId: String(res.locals.requestId ?? ''), timestamp: new Date().toISOString() };
}

export interface SendOptions {
  status?: number;
  message?: string;
}

const DATA_OPEN = Buffer.from('{"data":');

export function sendData<T>(
  res: Response,
  data: T,
  { status = 200, message = 'OK' }: SendOptions = {},
): void {
  res.status(status).json({ data, status, message, meta: responseMeta(res) });
}

/**
 * Sends a payload that is already JSON (a cache hit) inside the envelope without parsing and re-serialising it:
 * only the small envelope around it is built per request. Given as bytes, it is not even re-encoded. With `etag`
 * (a digest of the payload), the response carries a weak ETag of the data — the envelope's meta differs on every
 * response — and a matching If-None-Match gets a 304; Express then also skips hashing the body.
 */
export function sendSerializedData(
  res: Response,
  dataJson: string | Buffer,
  { status = 200, message = 'OK', etag }: SendOptions & { etag?: string } = {},
): void {
  const tail = JSON.stringify({ status, message, meta: responseMeta(res) });
  res.status(status).type('application/json');
  if (etag) res.setHeader('ETag', `W/"${etag}"`);
  if (typeof dataJson === 'string') {
    res.send(`{"data":${dataJson},${tail.slice(1)}`);
  } else {
    res.send(Buffer.concat([DATA_OPEN, dataJson, Buffer.from(`,${tail.slice(1)}`)]));
  }
}

/**
 * Sends a cache-aside result: the stored JSON bytes as they are, with `X-Cache: HIT|MISS` and a weak ETag of the
 * data (If-None-Match → 304).
 */
export function sendCached(res: Response, result: CacheResult): void {
  res.setHeader('X-Cache', result.hit ? 'HIT' : 'MISS');
  sendSerializedData(res, result.bytes, { etag: result.etag });
}
