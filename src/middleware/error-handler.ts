import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { AppError, NotFoundError, ValidationError } from '../common/errors';
import { responseMeta } from '../common/http';
import type { Logger } from '../lib/logger';
import { isDependencyFailure, Prisma } from '../lib/prisma';
import { fieldErrors } from './validate';

export const notFound: RequestHandler = (req) => {
  throw new AppError(404, 'ROUTE_NOT_FOUND', `No route for ${req.method} ${req.path}`);
};

/** body-parser's own errors carry a `type`; map them to the contract's codes. */
function bodyParserError(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  switch ((error as { type: unknown }).type) {
    case 'entity.parse.failed':
      return new AppError(400, 'INVALID_JSON', 'Request body is not valid JSON');
    case 'entity.too.large':
      return new AppError(413, 'PAYLOAD_TOO_LARGE', 'Request body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported body encoding');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new AppError(400, 'BAD_REQUEST', 'The request body could not be read');
    default:
      return undefined;
  }
}

/** Other HTTP-aware errors from Express itself, e.g. a malformed percent-encoding in the path (URIError, 400). */
function clientError(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const code = typeof status === 'number' ? status : statusCode;
  if (typeof code === 'number' && code >= 400 && code < 500) {
    return new AppError(code, 'BAD_REQUEST', 'The request could not be understood');
  }
  return error instanceof URIError
    ? new AppError(400, 'BAD_REQUEST', 'The request URL is malformed')
    : undefined;
}

function prismaError(error: unknown): AppError | undefined {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    switch (error.code) {
      case 'P2002':
        return new AppError(409, 'CONFLICT', 'A record with these values already exists', {
          fields: (error.meta as { target?: unknown } | undefined)?.target,
        });
      case 'P2025':
        return new NotFoundError('Resource');
      case 'P2003':
        return new AppError(409, 'CONFLICT', 'The record is referenced by or refers to another record');
      case 'P2000':
        return new ValidationError({ body: ['A value is too long'] });
      default:
        return undefined;
    }
  }
  return undefined;
}

/**
 * Connection-class failures of PostgreSQL (through Prisma or pg) or Redis: a dependency is down, hung or
 * restarting, not a bug — 503, never 500. See isDependencyFailure.
 */
function dependencyDown(error: unknown): AppError | undefined {
  return isDependencyFailure(error)
    ? new AppError(503, 'SERVICE_UNAVAILABLE', 'A required service is unavailable')
    : undefined;
}

/** The single place errors become responses. Nothing internal (stack, SQL, messages) leaves the process. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const known =
      error instanceof AppError
        ? error
        : error instanceof ZodError
          ? new ValidationError(fieldErrors(error, 'body'))
          : (bodyParserError(error) ?? clientError(error) ?? prismaError(error) ?? dependencyDown(error));
    const appError =
      known ??
      new AppError(500, 'INTERNAL_ERROR', `An unexpected error occurred (request ${res.locals.requestId})`);

    if (appError.status >= 500) {
      logger.error('request failed', {
        requestId: res.locals.requestId,
        method: req.method,
        url: req.originalUrl,
        error,
      });
    }
    for (const [name, value] of Object.entries(appError.headers ?? {})) res.setHeader(name, value);
    res.status(appError.status).json({
      status: appError.status,
      code: appError.code,
      message: appError.message,
      ...(appError.details !== undefined ? { details: appError.details } : {}),
      meta: responseMeta(res),
    });
  };
}
