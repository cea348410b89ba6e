import type { Address } from '../../generated/prisma/client';
import type { Db, DbClient, Prisma } from '../../lib/prisma';

export type { Address };

export type AddressData = Omit<
  Prisma.AddressUncheckedCreateInput,
  'id' | 'userId' | 'createdAt' | 'updatedAt'
>;

/** Every Prisma call on addresses. Ownership is part of every lookup: a row of another user is never found. */
export class AddressRepository {
  constructor(private readonly db: Db) {}

  findOwned(id: number, userId: number, tx: DbClient = this.db): Promise<Address | null> {
    return tx.address.findFirst({ where: { id, userId } });
  }

  async list(
    userId: number,
    page: { skip: number; limit: number },
    tx: DbClient = this.db,
  ): Promise<[Address[], number]> {
    return Promise.all([
      tx.address.findMany({
        where: { userId },
        orderBy: [{ isDefault: 'desc' }, { createdAt: 'desc' }, { id: 'desc' }],
        skip: page.skip,
        take: page.limit,
      }),
      tx.address.count({ where: { userId } }),
    ]);
  }

  count(userId: number, tx: DbClient = this.db): Promise<number> {
    return tx.address.count({ where: { userId } });
  }

  create(userId: number, data: AddressData, tx: DbClient = this.db): Promise<Address> {
    return tx.address.create({ data: { ...data, userId } });
  }

  update(id: number, data: Partial<AddressData>, tx: DbClient = this.db): Promise<Address> {
    return tx.address.update({ where: { id }, data });
  }

  delete(id: number, tx: DbClient = this.db): Promise<Address> {
    return tx.address.delete({ where: { id } });
  }

  clearDefault(userId: number, tx: DbClient = this.db) {
    return tx.address.updateMany({ where: { userId, isDefault: true }, data: { isDefault: false } });
  }

  /** The address to promote when the default goes away: the newest remaining one. */
  findNewest(userId: number, exceptId: number | undefined, tx: DbClient = this.db): Promise<Address | null> {
    return tx.address.findFirst({
      where: { userId, ...(exceptId !== undefined ? { id: { not: exceptId } } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
  }

  deleteAllOf(userId: number, tx: DbClient = this.db) {
    return tx.address.deleteMany({ where: { userId } });
  }
}
