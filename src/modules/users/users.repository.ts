import type { Role, User, UserPreferences } from '../../generated/prisma/client';
import type { Db, DbClient, Prisma, Tx } from '../../lib/prisma';

export type { User, UserPreferences };

export interface UserListFilter {
  q?: string;
  role?: Role;
  isActive?: boolean;
  skip: number;
  limit: number;
}

/** Every Prisma call on the user aggregate (users, user_preferences). */
export class UserRepository {
  constructor(private readonly db: Db) {}

  findById(id: number, tx: DbClient = this.db): Promise<User | null> {
    return tx.user.findUnique({ where: { id } });
  }

  /** Where a user's mail goes: one narrow raw read (checkout's hot path; findUnique costs far more CPU here). */
  async findContact(id: number): Promise<{ email: string; firstName: string } | null> {
    const rows = await this.db.$queryRaw<Array<{ email: string; firstName: string }>>`
      SELECT email, first_name AS "firstName" FROM users WHERE id = ${id}`;
    return rows[0] ?? null;
  }

  findByEmail(email: string, tx: DbClient = this.db): Promise<User | null> {
    return tx.user.findUnique({ where: { email } });
  }

  /**
   * Locks the user row until the transaction ends (`FOR NO KEY UPDATE`). Every transaction that changes a user's
   * sessions or addresses takes it first, so they serialise per user (rotation vs. revocation, default address…).
   */
  async lockForUpdate(id: number, tx: Tx): Promise<{ id: number; isActive: boolean } | null> {
    const rows = await tx.$queryRaw<Array<{ id: number; is_active: boolean }>>`
      SELECT id, is_active FROM users WHERE id = ${id} FOR NO KEY UPDATE`;
    return rows[0] ? { id: rows[0].id, isActive: rows[0].is_active } : null;
  }

  /**
   * Locks every active administrator's row, in id order, until the transaction ends and returns their ids. Whoever
   * deactivates or deletes an admin takes it first, so two of them cannot each see the other still active and leave
   * the shop with none: the second waits, then re-reads the rows the first changed (READ COMMITTED re-checks the
   * `WHERE` on the new row version).
   */
  async lockActiveAdmins(tx: Tx): Promise<number[]> {
    const rows = await tx.$queryRaw<Array<{ id: number }>>`
      SELECT id FROM users
       WHERE role = 'ADMIN' AND is_active AND deleted_at IS NULL
       ORDER BY id
         FOR NO KEY UPDATE`;
    return rows.map((row) => row.id);
  }

  /** Every active administrator's address (the recipients of operational alerts such as low stock). */
  listActiveAdmins(tx: DbClient = this.db): Promise<Array<{ email: string; firstName: string }>> {
    return tx.user.findMany({
      where: { role: 'ADMIN', isActive: true, deletedAt: null },
      select: { email: true, firstName: true },
      orderBy: { id: 'asc' },
    });
  }

  create(data: Prisma.UserCreateInput, tx: DbClient = this.db): Promise<User> {
    return tx.user.create({ data });
  }

  update(id: number, data: Prisma.UserUpdateInput, tx: DbClient = this.db): Promise<User> {
    return tx.user.update({ where: { id }, data });
  }

  async list(filter: UserListFilter, tx: DbClient = this.db): Promise<[User[], number]> {
    const where: Prisma.UserWhereInput = {
      role: filter.role,
      isActive: filter.isActive,
      ...(filter.q
        ? {
            OR: [
              { email: { contains: filter.q, mode: 'insensitive' } },
              { firstName: { contains: filter.q, mode: 'insensitive' } },
              { lastName: { contains: filter.q, mode: 'insensitive' } },
            ],
          }
        : {}),
    };
    return Promise.all([
      tx.user.findMany({ where, orderBy: { id: 'asc' }, skip: filter.skip, take: filter.limit }),
      tx.user.count({ where }),
    ]);
  }

  findPreferences(userId: number, tx: DbClient = this.db): Promise<UserPreferences | null> {
    return tx.userPreferences.findUnique({ where: { userId } });
  }

  upsertPreferences(
    userId: number,
    data: Omit<Prisma.UserPreferencesUncheckedCreateInput, 'userId' | 'updatedAt'>,
    tx: DbClient = this.db,
  ): Promise<UserPreferences> {
    return tx.userPreferences.upsert({ where: { userId }, create: { userId, ...data }, update: data });
  }

  deletePreferences(userId: number, tx: DbClient = this.db) {
    return tx.userPreferences.deleteMany({ where: { userId } });
  }
}
