import type { AuthUser } from '../common/auth-user';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the auth middleware when a valid access token was presented. */
    user?: AuthUser;
  }
  interface Locals {
    requestId: string;
  }
}
