import { createHash, createSecretKey, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { AuthUser, UserRole } from '../../common/auth-user';
import type { ActorContext } from '../../common/request-context';
import { UnauthorizedError } from '../../common/errors';

/** A verified caller plus the login session (refresh-token family) its access token belongs to. */
export interface SessionUser extends AuthUser {
  sid: string;
}

/** The context of a request made with one of this API's access tokens: the actor's login session is known. */
export interface SessionContext extends ActorContext {
  actor: SessionUser;
}

/** Every token this API issues carries a session id; a context whose caller has none is refused. */
export function sessionContext(context: ActorContext): SessionContext {
  const { sid } = context.actor;
  if (!sid) throw new UnauthorizedError('Invalid token');
  return { ...context, actor: { ...context.actor, sid } };
}

export const TOKEN_EXPIRED = 'TOKEN_EXPIRED';
export const TOKEN_REVOKED = 'TOKEN_REVOKED';

export const invalidToken = () => new UnauthorizedError('Invalid or malformed access token');
export const expiredToken = () => new UnauthorizedError('Access token has expired', TOKEN_EXPIRED);
export const revokedToken = (what = 'Token') =>
  new UnauthorizedError(`${what} has been revoked`, TOKEN_REVOKED);

const claimsSchema = z.object({
  sub: z.string().regex(/^[1-9]\d{0,9}$/),
  role: z.enum(['CUSTOMER', 'ADMIN']),
  jti: z.uuid(),
  sid: z.uuid(),
  iat: z.number().int(),
  exp: z.number().int(),
});

export type AccessClaims = z.output<typeof claimsSchema>;

export interface IssuedAccessToken {
  token: string;
  jti: string;
  expiresAt: Date;
}

const MAX_TOKEN_LENGTH = 4096;

/**
 * Signs and verifies access JWTs: HS256 only (pinned on verify), issuer and audience checked, claims validated, and
 * no token living longer than the configured lifetime (`exp - iat`). Whether its session is alive is the
 * SessionService's check.
 */
export class AccessTokenCodec {
  /**
   * A secret KeyObject made once: given a string, jsonwebtoken first tries (and fails) to parse it as a PEM key on
   * every sign and verify, which cost a tenth of the API's CPU under checkout load.
   */
  private readonly key: KeyObject;

  constructor(
    private readonly options: { secret: string; issuer: string; audience: string; ttlSeconds: number },
    private readonly clock: () => number = Date.now,
  ) {
    this.key = createSecretKey(Buffer.from(options.secret, 'utf8'));
  }

  sign(subject: { userId: number; role: UserRole; sid: string }): IssuedAccessToken {
    const iat = Math.floor(this.clock() / 1000);
    const exp = iat + this.options.ttlSeconds;
    const jti = randomUUID();
    const token = jwt.sign(
      { sub: String(subject.userId), role: subject.role, jti, sid: subject.sid, iat, exp },
      this.key,
      { algorithm: 'HS256', issuer: this.options.issuer, audience: this.options.audience },
    );
    return { token, jti, expiresAt: new Date(exp * 1000) };
  }

  /** Throws 401 `TOKEN_EXPIRED` for an expired token, 401 `UNAUTHORIZED` for anything else that is wrong. */
  verify(token: string): AccessClaims {
    if (token.length > MAX_TOKEN_LENGTH) throw invalidToken();
    let payload: unknown;
    try {
      payload = jwt.verify(token, this.key, {
        algorithms: ['HS256'],
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTimestamp: Math.floor(this.clock() / 1000),
      });
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw expiredToken();
      throw invalidToken();
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw invalidToken();
    if (claims.data.exp - claims.data.iat > this.options.ttlSeconds) throw invalidToken();
    return claims.data;
  }
}

/** An opaque secret for refresh, reset and verification tokens: 32 random bytes, base64url. */
export function generateOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only this digest is stored; the token itself never touches the database. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
