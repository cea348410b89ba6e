import type { Request, Response } from 'express';

/** Who/where a request came from, for audit rows and session records. Services never see Express. */
export interface RequestMeta {
  requestId?: string;
  ip?: string;
  userAgent?: string;
}

export function requestMeta(req: Request, res: Response): RequestMeta {
  return { requestId: res.locals.requestId, ip: req.ip, userAgent: req.get('user-agent')?.slice(0, 500) };
}
