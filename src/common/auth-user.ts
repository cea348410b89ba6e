export type UserRole = 'CUSTOMER' | 'ADMIN';

/** The caller, as proven by a verified access token. */
export interface AuthUser {
  id: number;
  role: UserRole;
  /** Token id (logged and audited; sessions are ended by `sid`). */
  jti: string;
  /** Session id: the refresh-token family this access token belongs to. */
  sid?: string;
  /** Issued-at and expiry, seconds since the epoch. */
  iat: number;
  exp: number;
}

/** Verifies a bearer token (signature, algorithm, expiry, revocation) — implemented by the auth module. */
export interface AccessTokenVerifier {
  verifyAccessToken(token: string): Promise<AuthUser>;
}
