import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { runInRequestScope } from '../lib/request-scope';

const ACCEPTABLE_ID = /^[\w.:-]{1,128}$/;

/**
 * Echoes the caller's X-Request-ID when it is sane, otherwise generates one; available as res.locals.requestId and,
 * for code without the request at hand (log lines, process-level error handlers), as currentRequestId().
 */
export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.get('x-request-id');
  const id = incoming && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = id;
  res.setHeader('X-Request-ID', id);
  runInRequestScope(id, next);
};
