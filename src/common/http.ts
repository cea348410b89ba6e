import type { Response } from 'express';

/** `meta` of every envelope: the request id (same as the X-Request-ID header) and the response time. */
export function responseMeta(res: Response): { requestId: string; timestamp: string } {
  return { requestId: String(res.locals.requestId ?? ''), timestamp: new Date().toISOString() };
}

export interface SendOptions {
  status?: number;
  message?: string;
}

export function sendData<T>(
  res: Response,
  data: T,
  { status = 200, message = 'OK' }: SendOptions = {},
): void {
  res.status(status).json({ data, status, message, meta: responseMeta(res) });
}

/**
 * Sends a payload that is already JSON text (a cache hit) inside the envelope without parsing and
 * re-serialising it: only the small envelope around it is built per request.
 */
export function sendSerializedData(
  res: Response,
  dataJson: string,
  { status = 200, message = 'OK' }: SendOptions = {},
): void {
  const tail = JSON.stringify({ status, message, meta: responseMeta(res) });
  res
    .status(status)
    .type('application/json')
    .send(`{"data":${dataJson},${tail.slice(1)}`);
}
