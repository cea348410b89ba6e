import type { Request, Response } from 'express';
import type { AuthUser } from './auth-user';

/**
 * Who is asking and which request: the first argument of every service method that acts for someone. Services
 * never see Express; audit rows, session records and logs take the actor and the request's id, ip and user agent
 * from here.
 */
export interface RequestContext {
  /** The verified caller; absent for anonymous requests and background jobs. */
  actor?: AuthUser;
  requestId?: string;
  ip?: string;
  userAgent?: string;
}

/** The context of a route that requires a signed-in caller. */
export interface ActorContext extends RequestContext {
  actor: AuthUser;
}

export function requestContext(req: Request, res: Response): RequestContext {
  return {
    actor: req.user,
    requestId: res.locals.requestId,
    ip: req.ip,
    userAgent: req.get('user-agent')?.slice(0, 500),
  };
}

/** Work outside a request (a background job, a sweep): no actor, the job's name in place of a request id. */
export function jobContext(job: string): RequestContext {
  return { requestId: `job:${job}` };
}
