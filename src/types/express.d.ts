import type { AuthUser } from '../common/auth-user';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the auth middleware when a valid access token was presented. */
    user?: AuthUser;
    /** The exact bytes of a JSON body, kept for signature checks (Stripe webhooks). */
    rawBody?: Buffer;
  }
  interface Locals {
    requestId: string;
  }
}
