import type { RefreshToken, Role, UserToken, UserTokenType } from '../../generated/prisma/client';
import type { Db, DbClient } from '../../lib/prisma';

export type { RefreshToken, UserToken, UserTokenType };

export interface NewRefreshToken {
  userId: number;
  tokenHash: string;
  familyId: string;
  expiresAt: Date;
  userAgent?: string;
  ip?: string;
}

/** Every Prisma call on refresh_tokens. A family (`familyId`) is one login session. */
export class RefreshTokenRepository {
  constructor(private readonly db: Db) {}

  findByHash(tokenHash: string, tx: DbClient = this.db): Promise<RefreshToken | null> {
    return tx.refreshToken.findUnique({ where: { tokenHash } });
  }

  create(token: NewRefreshToken, tx: DbClient = this.db): Promise<RefreshToken> {
    return tx.refreshToken.create({ data: token });
  }

  /**
   * Marks the token used if, and only if, it is still usable — the conditional write that makes rotation safe
   * under concurrency. Returns how many rows changed (1 = this caller won).
   */
  async consume(tokenHash: string, now: Date, tx: DbClient = this.db): Promise<number> {
    const { count } = await tx.refreshToken.updateMany({
      where: { tokenHash, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    return count;
  }

  async revokeFamilies(familyIds: string[], now: Date, tx: DbClient = this.db): Promise<number> {
    if (familyIds.length === 0) return 0;
    const { count } = await tx.refreshToken.updateMany({
      where: { familyId: { in: familyIds }, revokedAt: null },
      data: { revokedAt: now },
    });
    return count;
  }

  async revokeAllOfUser(
    userId: number,
    exceptFamilyId: string | undefined,
    now: Date,
    tx: DbClient = this.db,
  ) {
    const { count } = await tx.refreshToken.updateMany({
      where: { userId, revokedAt: null, ...(exceptFamilyId ? { familyId: { not: exceptFamilyId } } : {}) },
      data: { revokedAt: now },
    });
    return count;
  }

  /**
   * Families that may still have unexpired access tokens: an access token is minted only together with a refresh
   * token row, so these are the families with a row created since `since`.
   */
  async recentFamilies(userId: number, since: Date, tx: DbClient = this.db): Promise<string[]> {
    const rows = await tx.refreshToken.findMany({
      where: { userId, createdAt: { gte: since } },
      distinct: ['familyId'],
      select: { familyId: true },
    });
    return rows.map((row) => row.familyId);
  }

  /**
   * Housekeeping: rows past their expiry can never be redeemed. A rotated token presented after its expiry is then
   * unknown rather than reused (401 either way; the family's newer tokens, if still valid, are kept).
   */
  async deleteExpired(now: Date): Promise<number> {
    const { count } = await this.db.refreshToken.deleteMany({ where: { expiresAt: { lte: now } } });
    return count;
  }

  /**
   * The record of a live session, one query: the family has a refresh token that was never revoked and its user is
   * active. Returns the user's current role, or null when the session has ended.
   */
  async findLiveSession(
    familyId: string,
    userId: number,
    tx: DbClient = this.db,
  ): Promise<{ role: Role } | null> {
    const row = await tx.refreshToken.findFirst({
      where: { familyId, userId, revokedAt: null, user: { isActive: true } },
      select: { user: { select: { role: true } } },
    });
    return row ? { role: row.user.role } : null;
  }
}

/** Every Prisma call on user_tokens (e-mail verification and password reset; stored hashed, single use). */
export class UserTokenRepository {
  constructor(private readonly db: Db) {}

  create(
    data: { userId: number; type: UserTokenType; tokenHash: string; expiresAt: Date },
    tx: DbClient = this.db,
  ): Promise<UserToken> {
    return tx.userToken.create({ data });
  }

  findByHash(tokenHash: string, type: UserTokenType, tx: DbClient = this.db): Promise<UserToken | null> {
    return tx.userToken.findFirst({ where: { tokenHash, type } });
  }

  /** Single use: only the first caller gets 1. */
  async consume(id: number, now: Date, tx: DbClient = this.db): Promise<number> {
    const { count } = await tx.userToken.updateMany({
      where: { id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    return count;
  }

  /** Invalidates every unused token of a type (a new reset request supersedes the previous ones). */
  async invalidateUnused(userId: number, type: UserTokenType, now: Date, tx: DbClient = this.db) {
    const { count } = await tx.userToken.updateMany({
      where: { userId, type, usedAt: null },
      data: { usedAt: now },
    });
    return count;
  }

  /** Housekeeping: verification and reset tokens past their expiry, used or not, can never be redeemed. */
  async deleteExpired(now: Date): Promise<number> {
    const { count } = await this.db.userToken.deleteMany({ where: { expiresAt: { lte: now } } });
    return count;
  }

  deleteAllOf(userId: number, tx: DbClient = this.db) {
    return tx.userToken.deleteMany({ where: { userId } });
  }
}
