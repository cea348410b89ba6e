import { randomUUID } from 'node:crypto';
import type { AccessTokenVerifier, UserRole } from '../../common/auth-user';
import type { RequestContext } from '../../common/request-context';
import type { DbClient } from '../../lib/prisma';
import type { RefreshTokenRepository } from './auth.repository';
import {
  generateOpaqueToken,
  hashToken,
  revokedToken,
  type AccessTokenCodec,
  type SessionUser,
} from './auth.tokens';
import type { LiveSessionStore } from './live-session.store';

export interface IssuedSession {
  /** The access JWT. */
  token: string;
  /** The opaque refresh token (only ever returned to the client, stored as a sha256 digest). */
  refreshToken: string;
  /** Expiry of the access token. */
  expiresAt: Date;
  refreshExpiresAt: Date;
  familyId: string;
}

export interface SessionSettings {
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
}

/** Grace beyond the access-token lifetime when looking for families that may still have live access tokens. */
const FAMILY_LOOKBACK_SKEW_MS = 60_000;

/**
 * Login sessions. A session is a refresh-token family; every access token carries its family id as `sid`.
 * PostgreSQL is the record of which sessions are alive: a session lives while its family has a refresh token that
 * was never revoked and its user is active. Ending a session = `revoked_at` on its refresh tokens (in the caller's
 * transaction) + a tombstone in the Redis allow-list after commit (`LiveSessionStore`), so its access tokens fail
 * at once on every instance. Also the application's `AccessTokenVerifier`.
 */
export class SessionService implements AccessTokenVerifier {
  constructor(
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly codec: AccessTokenCodec,
    private readonly liveSessions: LiveSessionStore,
    private readonly settings: SessionSettings,
  ) {}

  /**
   * Signature (HS256 only), issuer, audience and lifetime (`LiveSessionStore` for the session): one Redis GET on a
   * hit; on a miss one PostgreSQL lookup (family unrevoked, user active), whose answer fills the allow-list. With
   * Redis down or slow, PostgreSQL answers every request. The role comes from the session record (the database),
   * not from the token.
   */
  async verifyAccessToken(token: string): Promise<SessionUser> {
    const claims = this.codec.verify(token);
    const userId = Number(claims.sub);
    const cached = await this.liveSessions.lookup(claims.sid);
    if (cached.state === 'ended') throw revokedToken();
    let role: UserRole;
    if (cached.state === 'live') {
      if (cached.userId !== userId) throw revokedToken();
      role = cached.role;
    } else {
      const live = await this.refreshTokens.findLiveSession(claims.sid, userId);
      if (!live) throw revokedToken();
      role = live.role;
      await this.liveSessions.remember(claims.sid, { userId, role }, claims.exp * 1000);
    }
    return { id: userId, role, jti: claims.jti, iat: claims.iat, exp: claims.exp, sid: claims.sid };
  }

  /** A new session (login, register): a new family with its first refresh token. */
  start(context: RequestContext, user: { id: number; role: UserRole }, tx: DbClient): Promise<IssuedSession> {
    return this.issue(context, user, randomUUID(), tx);
  }

  /** The successor in an existing family (refresh rotation). */
  continue(
    context: RequestContext,
    user: { id: number; role: UserRole },
    familyId: string,
    tx: DbClient,
  ): Promise<IssuedSession> {
    return this.issue(context, user, familyId, tx);
  }

  private async issue(
    context: RequestContext,
    user: { id: number; role: UserRole },
    familyId: string,
    tx: DbClient,
  ): Promise<IssuedSession> {
    const refreshToken = generateOpaqueToken();
    const refreshExpiresAt = new Date(Date.now() + this.settings.refreshTokenTtlDays * 86_400_000);
    await this.refreshTokens.create(
      {
        userId: user.id,
        tokenHash: hashToken(refreshToken),
        familyId,
        expiresAt: refreshExpiresAt,
        userAgent: context.userAgent,
        ip: context.ip,
      },
      tx,
    );
    const access = this.codec.sign({ userId: user.id, role: user.role, sid: familyId });
    return { token: access.token, refreshToken, expiresAt: access.expiresAt, refreshExpiresAt, familyId };
  }

  /**
   * Database half of revoking every session of a user (optionally all but one). Run it inside the transaction that
   * locked the user row; pass the result to `publish` after commit.
   */
  async revokeUserSessions(
    userId: number,
    exceptFamilyId: string | undefined,
    tx: DbClient,
  ): Promise<string[]> {
    const since = new Date(Date.now() - this.settings.accessTokenTtlSeconds * 1000 - FAMILY_LOOKBACK_SKEW_MS);
    const families = await this.refreshTokens.recentFamilies(userId, since, tx);
    await this.refreshTokens.revokeAllOfUser(userId, exceptFamilyId, new Date(), tx);
    return families.filter((family) => family !== exceptFamilyId);
  }

  /** Database half of revoking some sessions. */
  async revokeFamilies(familyIds: string[], tx: DbClient): Promise<string[]> {
    const unique = [...new Set(familyIds)];
    await this.refreshTokens.revokeFamilies(unique, new Date(), tx);
    return unique;
  }

  /** Redis half, after commit: the access tokens of these sessions fail from now on, on every instance. */
  publish(familyIds: string[]): Promise<void> {
    return this.liveSessions.end(familyIds);
  }
}
