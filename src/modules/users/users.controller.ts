import type { Request, Response } from 'express';
import type { AuthUser } from '../../common/auth-user';
import { sendData } from '../../common/http';
import { listPayload, type Pagination } from '../../common/pagination';
import { requestMeta } from '../../common/request-meta';
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
  user: AuthUser;
  req: Request;
  res: Response;
}

/** HTTP in/out for `/users`. */
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly addresses: AddressService,
  ) {}

  getProfile = async ({ res, user }: Ctx): Promise<void> => {
    sendData(res, await this.users.getProfile(user.id));
  };

  updateProfile = async ({ body, req, res, user }: Ctx<UpdateProfileInput>): Promise<void> => {
    sendData(res, await this.users.updateProfile(user.id, body, requestMeta(req, res)), {
      message: 'Profile updated',
    });
  };

  listAddresses = async ({ query, res, user }: Ctx<undefined, Pagination>): Promise<void> => {
    const { addresses, total } = await this.addresses.list(user.id, query);
    sendData(res, listPayload('addresses', addresses, total, query));
  };

  createAddress = async ({ body, res, user }: Ctx<CreateAddressInput>): Promise<void> => {
    sendData(res, await this.addresses.create(user.id, body), { status: 201, message: 'Address created' });
  };

  updateAddress = async ({ body, params, res, user }: Ctx<UpdateAddressInput, undefined, { id: number }>) => {
    sendData(res, await this.addresses.update(user.id, params.id, body), { message: 'Address updated' });
  };

  deleteAddress = async ({ params, res, user }: Ctx<undefined, undefined, { id: number }>): Promise<void> => {
    sendData(res, await this.addresses.delete(user.id, params.id), { message: 'Address deleted' });
  };

  getPreferences = async ({ res, user }: Ctx): Promise<void> => {
    sendData(res, await this.users.getPreferences(user.id));
  };

  updatePreferences = async ({ body, res, user }: Ctx<UpdatePreferencesInput>): Promise<void> => {
    sendData(res, await this.users.updatePreferences(user.id, body), { message: 'Preferences updated' });
  };

  stats = async ({ res, user }: Ctx): Promise<void> => {
    sendData(res, await this.users.stats(user.id));
  };

  deleteAccount = async ({
    body,
    req,
    res,
    user,
  }: Ctx<{ password: string; reason?: string }>): Promise<void> => {
    sendData(res, await this.users.deleteAccount(user.id, body, requestMeta(req, res)), {
      message: 'Account deleted',
    });
  };

  adminList = async ({ query, req, res, user }: Ctx<undefined, AdminListQuery>): Promise<void> => {
    sendData(res, await this.users.adminList(user.id, query, requestMeta(req, res)));
  };

  setStatus = async ({
    body,
    params,
    req,
    res,
    user,
  }: Ctx<{ isActive: boolean }, undefined, { id: number }>) => {
    const updated = await this.users.setStatus(user.id, params.id, body.isActive, requestMeta(req, res));
    sendData(res, updated, { message: body.isActive ? 'User activated' : 'User deactivated' });
  };
}
