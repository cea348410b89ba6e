import {
  AccountLockedError,
  AppError,
  ConflictError,
  ForbiddenError,
  UnauthorizedError,
  ValidationError,
} from '../../common/errors';
import type { RequestContext } from '../../common/request-context';
import { isUniqueViolation, type TransactionRunner, type Tx } from '../../lib/prisma';
import type { AuditService } from '../audit/audit.service';
import type { EmailOutbox } from '../notifications/notifications.types';
import type { UserRepository } from '../users/users.repository';
import type { PublicUser } from '../users/users.schemas';
import { toPublicUser } from '../users/users.serializer';
import type { RefreshTokenRepository, UserTokenRepository, UserTokenType } from './auth.repository';
import type { LoginInput, RegisterInput } from './auth.schemas';
import {
  generateOpaqueToken,
  hashToken,
  revokedToken,
  type SessionContext,
  TOKEN_EXPIRED,
} from './auth.tokens';
import type { LoginLockout } from './login-lockout';
import type { PasswordHasher } from './password-hasher';
import type { IssuedSession, SessionService } from './session.service';

export interface AuthSettings {
  emailVerificationTtlSeconds: number;
  passwordResetTtlSeconds: number;
}

export interface AuthResult extends IssuedSession {
  user: PublicUser;
}

export const INVALID_CREDENTIALS_MESSAGE = 'Invalid email or password';

const invalidCredentials = () => new UnauthorizedError(INVALID_CREDENTIALS_MESSAGE, 'INVALID_CREDENTIALS');
const invalidUserToken = (message = 'The token is invalid or has already been used') =>
  new AppError(400, 'INVALID_TOKEN', message);

/** Thrown inside a transaction to roll it back, then turned into the real outcome outside it. */
class RefreshRejected extends Error {
  constructor(readonly reason: 'reused' | 'inactive') {
    super(reason);
  }
}

/** Registration, login, refresh rotation, logout, passwords and e-mail verification. No Express in here. */
export class AuthService {
  constructor(
    private readonly transaction: TransactionRunner,
    private readonly users: UserRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly userTokens: UserTokenRepository,
    private readonly sessions: SessionService,
    private readonly passwords: PasswordHasher,
    private readonly lockout: LoginLockout,
    private readonly audit: AuditService,
    private readonly outbox: EmailOutbox,
    private readonly settings: AuthSettings,
  ) {}

  async register(context: RequestContext, input: RegisterInput): Promise<AuthResult> {
    if (await this.users.findByEmail(input.email)) throw this.emailExists();
    const passwordHash = await this.passwords.hash(input.password);
    try {
      return await this.transaction(async (tx) => {
        const user = await this.users.create(
          {
            email: input.email,
            passwordHash,
            firstName: input.firstName,
            lastName: input.lastName,
            role: 'CUSTOMER',
          },
          tx,
        );
        const token = await this.createUserToken(user.id, 'EMAIL_VERIFICATION', tx);
        await this.outbox.queueEmail(
          { template: 'verify-email', to: user.email, data: { firstName: user.firstName, token } },
          tx,
        );
        const session = await this.sessions.start(context, user, tx);
        await this.audit.record(
          context,
          { actorId: user.id, action: 'auth.register', entityType: 'user', entityId: user.id },
          tx,
        );
        return { ...session, user: toPublicUser(user) };
      });
    } catch (error) {
      // Two registrations racing for one address: the unique index decides, the loser gets the same 409.
      if (isUniqueViolation(error, 'email')) throw this.emailExists();
      throw error;
    }
  }

  async login(context: RequestContext, input: LoginInput): Promise<AuthResult> {
    const lock = await this.lockout.check(input.email);
    if (lock.locked) {
      await this.audit.record(context, {
        actorId: null,
        action: 'auth.login_blocked',
        entityType: 'user',
        metadata: { email: input.email, reason: 'locked' },
      });
      throw new AccountLockedError(lock.retryAfterSeconds);
    }

    const user = await this.users.findByEmail(input.email);
    const passwordOk = user
      ? await this.passwords.verify(input.password, user.passwordHash)
      : await this.passwords.verifyDummy(input.password);

    if (!user || !passwordOk) {
      const state = await this.lockout.recordFailure(input.email);
      await this.audit.record(context, {
        actorId: user?.id ?? null,
        action: 'auth.login_failed',
        entityType: 'user',
        entityId: user?.id,
        metadata: { email: input.email, failures: state.failures },
      });
      if (state.justLocked) {
        await this.audit.record(context, {
          actorId: user?.id ?? null,
          action: 'auth.locked',
          entityType: 'user',
          entityId: user?.id,
          metadata: {
            email: input.email,
            failures: state.failures,
            retryAfterSeconds: state.retryAfterSeconds,
          },
        });
      }
      throw invalidCredentials();
    }

    // Only a caller who proved the password learns the account is disabled.
    if (!user.isActive) throw new ForbiddenError('This account is disabled', 'ACCOUNT_DISABLED');
    await this.lockout.reset(input.email);

    return this.transaction(async (tx) => {
      const locked = await this.users.lockForUpdate(user.id, tx);
      if (!locked?.isActive) throw new ForbiddenError('This account is disabled', 'ACCOUNT_DISABLED');
      const current = await this.users.update(user.id, { lastLoginAt: new Date() }, tx);
      const session = await this.sessions.start(context, current, tx);
      await this.audit.record(
        context,
        {
          actorId: user.id,
          action: 'auth.login',
          entityType: 'user',
          entityId: user.id,
          metadata: { sid: session.familyId },
        },
        tx,
      );
      return { ...session, user: toPublicUser(current) };
    });
  }

  /**
   * Rotation. The presented token is consumed with a conditional update (unused, unrevoked, unexpired → exactly one
   * winner) in the transaction that inserts its successor. A used or revoked token revokes its whole family.
   */
  async refresh(context: RequestContext, rawToken: string | undefined): Promise<IssuedSession> {
    if (!rawToken) throw new UnauthorizedError('Refresh token required');
    const tokenHash = hashToken(rawToken);
    const record = await this.refreshTokens.findByHash(tokenHash);
    if (!record) throw new UnauthorizedError('Invalid refresh token');

    if (record.usedAt || record.revokedAt) {
      await this.revokeFamilyOnReuse(context, record, record.usedAt ? 'used' : 'revoked');
      throw revokedToken('Refresh token');
    }
    if (record.expiresAt.getTime() <= Date.now()) {
      throw new UnauthorizedError('Refresh token has expired', TOKEN_EXPIRED);
    }

    try {
      return await this.transaction(async (tx) => {
        const owner = await this.users.lockForUpdate(record.userId, tx);
        if (!owner?.isActive) throw new RefreshRejected('inactive');
        if ((await this.refreshTokens.consume(tokenHash, new Date(), tx)) !== 1)
          throw new RefreshRejected('reused');
        const user = await this.users.findById(record.userId, tx);
        if (!user) throw new RefreshRejected('inactive');
        const session = await this.sessions.continue(context, user, record.familyId, tx);
        await this.audit.record(
          context,
          {
            actorId: user.id,
            action: 'auth.refresh',
            entityType: 'session',
            entityId: record.familyId,
          },
          tx,
        );
        return session;
      });
    } catch (error) {
      if (!(error instanceof RefreshRejected)) throw error;
      // Lost the race for this token (or it was revoked meanwhile): it has been used, so the family goes.
      await this.revokeFamilyOnReuse(context, record, error.reason === 'reused' ? 'used' : 'inactive');
      throw revokedToken('Refresh token');
    }
  }

  private async revokeFamilyOnReuse(
    context: RequestContext,
    record: { userId: number; familyId: string },
    reason: 'used' | 'revoked' | 'inactive',
  ): Promise<void> {
    const families = await this.transaction(async (tx) => {
      await this.users.lockForUpdate(record.userId, tx);
      const revoked = await this.sessions.revokeFamilies([record.familyId], tx);
      await this.audit.record(
        context,
        {
          actorId: record.userId,
          action: reason === 'used' ? 'auth.refresh_reuse_detected' : 'auth.refresh_rejected',
          entityType: 'session',
          entityId: record.familyId,
          metadata: { reason },
        },
        tx,
      );
      return revoked;
    });
    await this.sessions.publish(families);
  }

  /** Ends this session (its family: every access and refresh token of it) and the presented refresh token's. */
  async logout(context: SessionContext, rawRefreshToken: string | undefined): Promise<void> {
    const caller = context.actor;
    const families = [caller.sid];
    if (rawRefreshToken) {
      const record = await this.refreshTokens.findByHash(hashToken(rawRefreshToken));
      // Someone else's token is not ours to revoke; ignore it silently.
      if (record && record.userId === caller.id) families.push(record.familyId);
    }
    const revoked = await this.transaction(async (tx) => {
      await this.users.lockForUpdate(caller.id, tx);
      const result = await this.sessions.revokeFamilies(families, tx);
      await this.audit.record(
        context,
        {
          actorId: caller.id,
          action: 'auth.logout',
          entityType: 'session',
          entityId: caller.sid,
          metadata: { families: result },
        },
        tx,
      );
      return result;
    });
    await this.sessions.publish(revoked);
  }

  async logoutAll(context: SessionContext): Promise<void> {
    const caller = context.actor;
    const families = await this.transaction(async (tx) => {
      await this.users.lockForUpdate(caller.id, tx);
      const result = await this.sessions.revokeUserSessions(caller.id, undefined, tx);
      await this.audit.record(
        context,
        {
          actorId: caller.id,
          action: 'auth.logout_all',
          entityType: 'user',
          entityId: caller.id,
          metadata: { families: result.length },
        },
        tx,
      );
      return result;
    });
    await this.sessions.publish([...families, caller.sid]);
  }

  async me(context: SessionContext): Promise<PublicUser> {
    const user = await this.users.findById(context.actor.id);
    if (!user || !user.isActive) throw revokedToken();
    return toPublicUser(user);
  }

  /** Keeps the caller's session; every other session (refresh and access tokens) is revoked at once. */
  async changePassword(
    context: SessionContext,
    input: { currentPassword: string; newPassword: string },
  ): Promise<void> {
    const caller = context.actor;
    const user = await this.users.findById(caller.id);
    if (!user || !user.isActive) throw revokedToken();
    if (!(await this.passwords.verify(input.currentPassword, user.passwordHash))) {
      await this.audit.record(context, {
        actorId: user.id,
        action: 'auth.password_change_failed',
        entityType: 'user',
        entityId: user.id,
      });
      throw new UnauthorizedError('Current password is incorrect', 'INVALID_CREDENTIALS');
    }
    if (input.currentPassword === input.newPassword) {
      throw new ValidationError({ newPassword: ['Must differ from the current password'] });
    }
    const passwordHash = await this.passwords.hash(input.newPassword);
    const families = await this.transaction(async (tx) => {
      await this.users.lockForUpdate(user.id, tx);
      return this.replacePassword(context, user, passwordHash, 'auth.password_changed', caller.sid, tx);
    });
    await this.sessions.publish(families);
  }

  /**
   * Inside the caller's transaction (user row already locked): stores the new hash, revokes every session but
   * `keepSessionId`, audits and queues the "password changed" notice. Returns the revoked families to publish.
   */
  private async replacePassword(
    context: RequestContext,
    user: { id: number; email: string; firstName: string },
    passwordHash: string,
    action: 'auth.password_changed' | 'auth.password_reset',
    keepSessionId: string | undefined,
    tx: Tx,
  ) {
    await this.users.update(user.id, { passwordHash }, tx);
    const revoked = await this.sessions.revokeUserSessions(user.id, keepSessionId, tx);
    await this.audit.record(
      context,
      {
        actorId: user.id,
        action,
        entityType: 'user',
        entityId: user.id,
        metadata: { revokedSessions: revoked.length },
      },
      tx,
    );
    await this.outbox.queueEmail(
      { template: 'password-changed', to: user.email, data: { firstName: user.firstName } },
      tx,
    );
    return revoked;
  }

  /** Same answer whether or not the address has an account; only a real, active one gets a token. */
  async forgotPassword(context: RequestContext, email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    await this.transaction(async (tx) => {
      if (user?.isActive) {
        const now = new Date();
        await this.userTokens.invalidateUnused(user.id, 'PASSWORD_RESET', now, tx);
        const token = await this.createUserToken(user.id, 'PASSWORD_RESET', tx);
        await this.outbox.queueEmail(
          { template: 'password-reset', to: user.email, data: { firstName: user.firstName, token } },
          tx,
        );
      }
      await this.audit.record(
        context,
        {
          actorId: user?.id ?? null,
          action: 'auth.password_reset_requested',
          entityType: 'user',
          entityId: user?.id,
          metadata: { email, accountFound: Boolean(user?.isActive) },
        },
        tx,
      );
    });
  }

  /** Single use; sets the password, revokes every session, clears the login lockout. */
  async resetPassword(context: RequestContext, input: { token: string; newPassword: string }): Promise<void> {
    const record = await this.findUsableUserToken(input.token, 'PASSWORD_RESET');
    const user = await this.users.findById(record.userId);
    if (!user?.isActive) throw invalidUserToken();
    const passwordHash = await this.passwords.hash(input.newPassword);
    const families = await this.transaction(async (tx) => {
      await this.users.lockForUpdate(user.id, tx);
      if ((await this.userTokens.consume(record.id, new Date(), tx)) !== 1) throw invalidUserToken();
      return this.replacePassword(context, user, passwordHash, 'auth.password_reset', undefined, tx);
    });
    await Promise.all([this.sessions.publish(families), this.lockout.reset(user.email)]);
  }

  async verifyEmail(context: RequestContext, rawToken: string): Promise<PublicUser> {
    const record = await this.findUsableUserToken(rawToken, 'EMAIL_VERIFICATION');
    return this.transaction(async (tx) => {
      if ((await this.userTokens.consume(record.id, new Date(), tx)) !== 1) throw invalidUserToken();
      const existing = await this.users.findById(record.userId, tx);
      if (!existing?.isActive) throw invalidUserToken();
      const user = existing.emailVerifiedAt
        ? existing
        : await this.users.update(record.userId, { emailVerifiedAt: new Date() }, tx);
      await this.audit.record(
        context,
        { actorId: user.id, action: 'auth.email_verified', entityType: 'user', entityId: user.id },
        tx,
      );
      return toPublicUser(user);
    });
  }

  private async findUsableUserToken(rawToken: string, type: UserTokenType) {
    const record = await this.userTokens.findByHash(hashToken(rawToken), type);
    if (!record || record.usedAt) throw invalidUserToken();
    if (record.expiresAt.getTime() <= Date.now()) throw invalidUserToken('The token has expired');
    return record;
  }

  private async createUserToken(userId: number, type: UserTokenType, tx: Tx): Promise<string> {
    const token = generateOpaqueToken();
    const ttl =
      type === 'PASSWORD_RESET'
        ? this.settings.passwordResetTtlSeconds
        : this.settings.emailVerificationTtlSeconds;
    await this.userTokens.create(
      { userId, type, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + ttl * 1000) },
      tx,
    );
    return token;
  }

  /** The cleanup job: expired refresh tokens and expired e-mail verification / password-reset tokens. */
  async purgeExpiredTokens(now = new Date()): Promise<{ refreshTokens: number; userTokens: number }> {
    const [refreshTokens, userTokens] = await Promise.all([
      this.refreshTokens.deleteExpired(now),
      this.userTokens.deleteExpired(now),
    ]);
    return { refreshTokens, userTokens };
  }

  private emailExists(): ConflictError {
    return new ConflictError('An account with this email already exists', 'EMAIL_EXISTS');
  }
}
