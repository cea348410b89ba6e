import type { Response } from 'express';
import { sendData } from '../../common/http';
import { listPayload, type Pagination } from '../../common/pagination';
import type { ActorContext } from '../../common/request-context';
import type { AddressService } from './addresses.service';
import type {
  AdminListQuery,
  CreateAddressInput,
  UpdateAddressInput,
  UpdatePreferencesInput,
  UpdateProfileInput,
} from './users.schemas';
import type { UsersService } from './users.service';

interface Ctx<B = undefined, Q = undefined, P = undefined> {
  body: B;
  query: Q;
  params: P;
  context: ActorContext;
  res: Response;
}

/** HTTP in/out for `/users`. */
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly addresses: AddressService,
  ) {}

  getProfile = async ({ res, context }: Ctx): Promise<void> => {
    sendData(res, await this.users.getProfile(context));
  };

  updateProfile = async ({ body, res, context }: Ctx<UpdateProfileInput>): Promise<void> => {
    sendData(res, await this.users.updateProfile(context, body), {
      message: 'Profile updated',
    });
  };

  listAddresses = async ({ query, res, context }: Ctx<undefined, Pagination>): Promise<void> => {
    const { addresses, total } = await this.addresses.list(context, query);
    sendData(res, listPayload('addresses', addresses, total, query));
  };

  createAddress = async ({ body, res, context }: Ctx<CreateAddressInput>): Promise<void> => {
    sendData(res, await this.addresses.create(context, body), { status: 201, message: 'Address created' });
  };

  updateAddress = async ({
    body,
    params,
    res,
    context,
  }: Ctx<UpdateAddressInput, undefined, { id: number }>) => {
    sendData(res, await this.addresses.update(context, params.id, body), { message: 'Address updated' });
  };

  deleteAddress = async ({
    params,
    res,
    context,
  }: Ctx<undefined, undefined, { id: number }>): Promise<void> => {
    sendData(res, await this.addresses.delete(context, params.id), { message: 'Address deleted' });
  };

  getPreferences = async ({ res, context }: Ctx): Promise<void> => {
    sendData(res, await this.users.getPreferences(context));
  };

  updatePreferences = async ({ body, res, context }: Ctx<UpdatePreferencesInput>): Promise<void> => {
    sendData(res, await this.users.updatePreferences(context, body), { message: 'Preferences updated' });
  };

  stats = async ({ res, context }: Ctx): Promise<void> => {
    sendData(res, await this.users.stats(context));
  };

  deleteAccount = async ({
    body,
    res,
    context,
  }: Ctx<{ password: string; reason?: string }>): Promise<void> => {
    sendData(res, await this.users.deleteAccount(context, body), {
      message: 'Account deleted',
    });
  };

  adminList = async ({ query, res, context }: Ctx<undefined, AdminListQuery>): Promise<void> => {
    sendData(res, await this.users.adminList(context, query));
  };

  setStatus = async ({
    body,
    params,
    res,
    context,
  }: Ctx<{ isActive: boolean }, undefined, { id: number }>) => {
    const updated = await this.users.setStatus(context, params.id, body.isActive);
    sendData(res, updated, { message: body.isActive ? 'User activated' : 'User deactivated' });
  };
}
