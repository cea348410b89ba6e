import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AccessTokenVerifier, UserRole } from '../common/auth-user';
import { ForbiddenError, UnauthorizedError } from '../common/errors';

export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export interface AuthGuards {
  /** 401 unless a valid access token is presented. */
  required: RequestHandler;
  /** Sets `req.user` when a token is presented (and rejects an invalid one); anonymous otherwise. */
  optional: RequestHandler;
  role(role: UserRole): RequestHandler;
}

export function createAuthGuards(verifier: AccessTokenVerifier): AuthGuards {
  const authenticate = (required: boolean): RequestHandler =>
    async function authenticate(req: Request, _res: Response, next: NextFunction) {
      const token = bearerToken(req);
      if (!token) {
        if (required) throw new UnauthorizedError();
        return next();
      }
      req.user = await verifier.verifyAccessToken(token);
      next();
    };

  return {
    required: authenticate(true),
    optional: authenticate(false),
    role(role: UserRole): RequestHandler {
      return function requireRole(req, _res, next) {
        if (!req.user) throw new UnauthorizedError();
        if (req.user.role !== role) throw new ForbiddenError();
        next();
      };
    },
  };
}
