import { ConflictError, NotFoundError } from '../../common/errors';
import type { Pagination } from '../../common/pagination';
import type { ActorContext } from '../../common/request-context';
import type { TransactionRunner, Tx } from '../../lib/prisma';
import type { Address, AddressRepository } from './addresses.repository';
import type { UserRepository } from './users.repository';
import type { AddressView, CreateAddressInput, UpdateAddressInput } from './users.schemas';
import { toAddressView } from './users.serializer';

/** Enough for any real customer; bounds what one account can store. */
export const MAX_ADDRESSES_PER_USER = 50;

const addressNotFound = () => new NotFoundError('Address');

/**
 * A user's address book. Exactly one default while the user has any address: the first one becomes the default,
 * choosing another default clears the previous one, deleting (or un-defaulting) the default promotes the newest
 * other address. Every write locks the user row first, so concurrent writes of one user cannot break the rule.
 */
export class AddressService {
  constructor(
    private readonly transaction: TransactionRunner,
    private readonly users: UserRepository,
    private readonly addresses: AddressRepository,
  ) {}

  async list(context: ActorContext, page: Pagination): Promise<{ addresses: AddressView[]; total: number }> {
    const userId = context.actor.id;
    const [rows, total] = await this.addresses.list(userId, page);
    return { addresses: rows.map(toAddressView), total };
  }

  async create(context: ActorContext, input: CreateAddressInput): Promise<AddressView> {
    const userId = context.actor.id;
    return this.transaction(async (tx) => {
      await this.lockUser(userId, tx);
      const count = await this.addresses.count(userId, tx);
      if (count >= MAX_ADDRESSES_PER_USER) {
        throw new ConflictError(
          `An account can keep at most ${MAX_ADDRESSES_PER_USER} addresses`,
          'ADDRESS_LIMIT_REACHED',
        );
      }
      const isDefault = count === 0 || input.isDefault === true;
      if (isDefault) await this.addresses.clearDefault(userId, tx);
      const created = await this.addresses.create(
        userId,
        { ...input, label: input.label ?? null, isDefault },
        tx,
      );
      return toAddressView(created);
    });
  }

  async update(context: ActorContext, addressId: number, input: UpdateAddressInput): Promise<AddressView> {
    const userId = context.actor.id;
    return this.transaction(async (tx) => {
      await this.lockUser(userId, tx);
      const existing = await this.addresses.findOwned(addressId, userId, tx);
      if (!existing) throw addressNotFound();
      const { isDefault, ...fields } = input;
      let updated: Address = existing;
      if (isDefault === true && !existing.isDefault) {
        await this.addresses.clearDefault(userId, tx);
        updated = await this.addresses.update(addressId, { ...fields, isDefault: true }, tx);
      } else if (isDefault === false && existing.isDefault) {
        // Another address takes over; the only address stays the default.
        const successor = await this.addresses.findNewest(userId, addressId, tx);
        if (successor) {
          updated = await this.addresses.update(addressId, { ...fields, isDefault: false }, tx);
          await this.addresses.update(successor.id, { isDefault: true }, tx);
        } else {
          updated = await this.addresses.update(addressId, fields, tx);
        }
      } else if (Object.keys(fields).length > 0) {
        updated = await this.addresses.update(addressId, fields, tx);
      }
      return toAddressView(updated);
    });
  }

  async delete(
    context: ActorContext,
    addressId: number,
  ): Promise<{ id: number; isDeleted: true; deletedOn: string }> {
    const userId = context.actor.id;
    return this.transaction(async (tx) => {
      await this.lockUser(userId, tx);
      const existing = await this.addresses.findOwned(addressId, userId, tx);
      if (!existing) throw addressNotFound();
      await this.addresses.delete(addressId, tx);
      if (existing.isDefault) {
        const successor = await this.addresses.findNewest(userId, undefined, tx);
        if (successor) await this.addresses.update(successor.id, { isDefault: true }, tx);
      }
      return { id: addressId, isDeleted: true as const, deletedOn: new Date().toISOString() };
    });
  }

  private async lockUser(userId: number, tx: Tx): Promise<void> {
    if (!(await this.users.lockForUpdate(userId, tx))) throw new NotFoundError('User');
  }
}
