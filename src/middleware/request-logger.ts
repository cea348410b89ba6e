import type { RequestHandler } from 'express';
import type { Logger } from '../lib/logger';

/** One structured line per request, written when the response finishes. */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      // winston runs its formats (redaction, JSON) before transports drop a disabled level: skip that work.
      if (!logger.isLevelEnabled(level)) return;
      logger.log(level, 'request', {
        requestId: res.locals.requestId,
        method: req.method,
        route: req.route?.path ? `${req.baseUrl}${req.route.path}` : req.originalUrl.split('?')[0],
        status: res.statusCode,
        durationMs: Math.round(durationMs * 10) / 10,
        userId: req.user?.id,
        ip: req.ip,
      });
    });
    next();
  };
}
