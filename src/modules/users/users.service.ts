import { randomBytes } from 'node:crypto';
import { NotFoundError, UnauthorizedError, UnprocessableError } from '../../common/errors';
import { toMajor, toMinor } from '../../common/money';
import type { ActorContext } from '../../common/request-context';
import type { CustomerOrderSummary } from '../orders/order-stats.repository';
import type { AuditService } from '../audit/audit.service';
import type { UserTokenRepository } from '../auth/auth.repository';
import type { PasswordHasher } from '../auth/password-hasher';
import type { SessionService } from '../auth/session.service';
import type { EmailOutbox } from '../notifications/notifications.types';
import type { AddressRepository } from './addresses.repository';
import type { UserRepository } from './users.repository';
import type { TransactionRunner, Tx } from '../../lib/prisma';
import type {
  AdminListQuery,
  PreferencesView,
  PublicUser,
  UpdatePreferencesInput,
  UpdateProfileInput,
  UserStats,
} from './users.schemas';
import { toPreferencesView, toPublicUser } from './users.serializer';

/** A customer's order figures, computed by the orders module (OrderStatsRepository). */
export interface CustomerOrderFigures {
  customerSummary(userId: number): Promise<CustomerOrderSummary>;
}

/** Never a valid bcrypt hash: an anonymised account can never log in again. */
const UNUSABLE_PASSWORD_HASH = '!account-deleted';

export interface UsersSettings {
  defaultCurrency: string;
}

/** Profile, preferences, statistics, account deletion and the admin view of users. No Express in here. */
export class UsersService {
  constructor(
    private readonly transaction: TransactionRunner,
    private readonly users: UserRepository,
    private readonly addresses: AddressRepository,
    private readonly userTokens: UserTokenRepository,
    private readonly sessions: SessionService,
    private readonly passwords: PasswordHasher,
    private readonly audit: AuditService,
    private readonly outbox: EmailOutbox,
    private readonly settings: UsersSettings,
    private readonly orderFigures: CustomerOrderFigures,
  ) {}

  async getProfile(context: ActorContext): Promise<PublicUser> {
    return toPublicUser(await this.requireUser(context.actor.id));
  }

  async updateProfile(context: ActorContext, input: UpdateProfileInput): Promise<PublicUser> {
    const userId = context.actor.id;
    await this.requireUser(userId);
    return this.transaction(async (tx) => {
      const user = await this.users.update(userId, input, tx);
      await this.audit.record(
        context,
        {
          action: 'user.profile_updated',
          entityType: 'user',
          entityId: userId,
          metadata: { fields: Object.keys(input) },
        },
        tx,
      );
      return toPublicUser(user);
    });
  }

  async getPreferences(context: ActorContext): Promise<PreferencesView> {
    const stored = await this.users.findPreferences(context.actor.id);
    return toPreferencesView(stored ?? this.defaultPreferences());
  }

  async updatePreferences(context: ActorContext, input: UpdatePreferencesInput): Promise<PreferencesView> {
    const userId = context.actor.id;
    const current = (await this.users.findPreferences(userId)) ?? this.defaultPreferences();
    const next = { ...toPreferencesView(current), ...input };
    return toPreferencesView(await this.users.upsertPreferences(userId, next));
  }

  private defaultPreferences(): PreferencesView {
    return {
      theme: 'system',
      notifications: true,
      emailNotifications: true,
      currency: this.settings.defaultCurrency,
      language: 'en',
    };
  }

  async stats(context: ActorContext): Promise<UserStats> {
    const userId = context.actor.id;
    const user = await this.requireUser(userId);
    const row = await this.orderFigures.customerSummary(userId);
    return {
      totalOrders: row.totalOrders,
      totalSpent: toMajor(toMinor(row.totalSpent)),
      lastOrder: row.lastOrder
        ? {
            id: row.lastOrder.id,
            orderNumber: row.lastOrder.orderNumber,
            status: row.lastOrder.status,
            total: toMajor(toMinor(row.lastOrder.total)),
            createdAt: row.lastOrder.createdAt.toISOString(),
          }
        : null,
      memberSince: user.createdAt.toISOString(),
    };
  }

  /**
   * Deactivates and anonymises the account (orders and reviews keep their rows, without the person), deletes its
   * addresses, preferences and pending tokens, and revokes every session at once. The address becomes free again.
   */
  async deleteAccount(
    context: ActorContext,
    input: { password: string; reason?: string },
  ): Promise<{ id: number; isDeleted: true; deletedOn: string }> {
    const userId = context.actor.id;
    const user = await this.requireUser(userId);
    if (!(await this.passwords.verify(input.password, user.passwordHash))) {
      await this.audit.record(context, {
        action: 'user.account_delete_failed',
        entityType: 'user',
        entityId: userId,
      });
      throw new UnauthorizedError('Password is incorrect', 'INVALID_CREDENTIALS');
    }
    const deletedOn = new Date();
    const families = await this.transaction(async (tx) => {
      if (user.role === 'ADMIN') await this.requireAnotherActiveAdmin(userId, tx);
      await this.users.lockForUpdate(userId, tx);
      await this.outbox.queueEmail(
        { template: 'account-deleted', to: user.email, data: { firstName: user.firstName } },
        tx,
      );
      await this.users.update(
        userId,
        {
          email: `deleted-${userId}-${randomBytes(6).toString('hex')}@deleted.invalid`,
          firstName: 'Deleted',
          lastName: 'User',
          phone: null,
          gender: null,
          age: null,
          image: null,
          passwordHash: UNUSABLE_PASSWORD_HASH,
          isActive: false,
          deletedAt: deletedOn,
        },
        tx,
      );
      await this.addresses.deleteAllOf(userId, tx);
      await this.users.deletePreferences(userId, tx);
      await this.userTokens.deleteAllOf(userId, tx);
      const revoked = await this.sessions.revokeUserSessions(userId, undefined, tx);
      await this.audit.record(
        context,
        {
          action: 'user.account_deleted',
          entityType: 'user',
          entityId: userId,
          metadata: { reason: input.reason ?? null },
        },
        tx,
      );
      return revoked;
    });
    await this.sessions.publish(families);
    return { id: userId, isDeleted: true, deletedOn: deletedOn.toISOString() };
  }

  async adminList(
    context: ActorContext,
    query: AdminListQuery,
  ): Promise<{ users: PublicUser[]; total: number; skip: number; limit: number }> {
    const [rows, total] = await this.users.list(query);
    await this.audit.record(context, {
      action: 'admin.users_listed',
      entityType: 'user',
      metadata: {
        q: query.q ?? null,
        role: query.role ?? null,
        isActive: query.isActive ?? null,
        skip: query.skip,
        limit: query.limit,
      },
    });
    return { users: rows.map(toPublicUser), total, skip: query.skip, limit: query.limit };
  }

  /** Deactivation revokes every session of the user at once; an admin cannot deactivate themself. */
  async setStatus(context: ActorContext, targetId: number, isActive: boolean): Promise<PublicUser> {
    if (targetId === context.actor.id && !isActive) {
      throw new UnprocessableError(
        'CANNOT_DEACTIVATE_SELF',
        'Administrators cannot deactivate their own account',
      );
    }
    const { user, families } = await this.transaction(async (tx) => {
      if (!isActive) await this.requireAnotherActiveAdmin(targetId, tx);
      if (!(await this.users.lockForUpdate(targetId, tx))) throw new NotFoundError('User');
      const before = await this.users.findById(targetId, tx);
      if (!before) throw new NotFoundError('User');
      if (isActive && before.deletedAt) {
        throw new UnprocessableError('ACCOUNT_DELETED', 'A deleted account cannot be reactivated');
      }
      const after =
        before.isActive === isActive ? before : await this.users.update(targetId, { isActive }, tx);
      const revoked = isActive ? [] : await this.sessions.revokeUserSessions(targetId, undefined, tx);
      await this.audit.record(
        context,
        {
          action: 'admin.user_status_changed',
          entityType: 'user',
          entityId: targetId,
          metadata: { from: before.isActive, to: isActive, revokedSessions: revoked.length },
        },
        tx,
      );
      return { user: after, families: revoked };
    });
    await this.sessions.publish(families);
    return toPublicUser(user);
  }

  /**
   * Refuses (422 LAST_ACTIVE_ADMIN) to deactivate or delete `userId` when it is the only active admin. Takes the
   * admins' row locks before the user's own, the same order everywhere, so concurrent removals serialise.
   */
  private async requireAnotherActiveAdmin(userId: number, tx: Tx): Promise<void> {
    const admins = await this.users.lockActiveAdmins(tx);
    if (admins.includes(userId) && admins.length === 1) {
      throw new UnprocessableError(
        'LAST_ACTIVE_ADMIN',
        'The only active administrator cannot be deactivated or deleted; make another user an admin first',
      );
    }
  }

  private async requireUser(userId: number) {
    const user = await this.users.findById(userId);
    if (!user) throw new NotFoundError('User');
    return user;
  }
}
