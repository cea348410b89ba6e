import { ApiRouter } from '../../middleware/api-router';
import { idParams } from '../../common/ids';
import { paginationQuery } from '../../common/pagination';
import type { RouterDeps } from '../../middleware/router-deps';
import type { AddressService } from './addresses.service';
import { UsersController } from './users.controller';
import {
  addressListSchema,
  addressSchema,
  adminListQuery,
  createAddressBody,
  deleteAccountBody,
  deletedSchema,
  preferencesSchema,
  publicUserSchema,
  setStatusBody,
  updateAddressBody,
  updatePreferencesBody,
  updateProfileBody,
  userListSchema,
  userStatsSchema,
} from './users.schemas';
import type { UsersService } from './users.service';

export function usersRoutes(
  { docs, guards }: RouterDeps,
  users: UsersService,
  addresses: AddressService,
): ApiRouter {
  const api = new ApiRouter(docs, guards, '/users', 'Users');
  const controller = new UsersController(users, addresses);

  api.get(
    '/profile',
    { summary: 'My profile', auth: 'user', response: publicUserSchema },
    controller.getProfile,
  );

  api.put(
    '/profile',
    {
      summary: 'Update my profile (partial)',
      description:
        'Only firstName, lastName, phone, gender, age and image can change here; other fields are ignored.',
      auth: 'user',
      body: updateProfileBody,
      response: publicUserSchema,
    },
    controller.updateProfile,
  );

  api.get(
    '/addresses',
    {
      summary: 'My addresses (default first)',
      auth: 'user',
      query: paginationQuery,
      response: addressListSchema,
    },
    controller.listAddresses,
  );

  api.post(
    '/addresses',
    {
      summary: 'Add an address',
      description: 'The first address becomes the default; `isDefault: true` moves the default here.',
      auth: 'user',
      body: createAddressBody,
      response: addressSchema,
      status: 201,
      errors: [409],
    },
    controller.createAddress,
  );

  api.put(
    '/addresses/:id',
    {
      summary: 'Update one of my addresses (partial)',
      auth: 'user',
      params: idParams,
      body: updateAddressBody,
      response: addressSchema,
      errors: [404],
    },
    controller.updateAddress,
  );

  api.delete(
    '/addresses/:id',
    {
      summary: 'Delete one of my addresses',
      description: 'Deleting the default promotes the newest remaining address.',
      auth: 'user',
      params: idParams,
      response: deletedSchema,
      errors: [404],
    },
    controller.deleteAddress,
  );

  api.get(
    '/preferences',
    { summary: 'My preferences (defaults when never set)', auth: 'user', response: preferencesSchema },
    controller.getPreferences,
  );

  api.put(
    '/preferences',
    {
      summary: 'Update my preferences (partial)',
      auth: 'user',
      body: updatePreferencesBody,
      response: preferencesSchema,
    },
    controller.updatePreferences,
  );

  api.get(
    '/stats',
    {
      summary: 'My order statistics',
      description: 'totalSpent counts orders in PAID, PROCESSING, SHIPPED and DELIVERED.',
      auth: 'user',
      response: userStatsSchema,
    },
    controller.stats,
  );

  api.delete(
    '/account',
    {
      summary: 'Delete my account',
      description:
        'Deactivates and anonymises the account, deletes its addresses and revokes every session. ' +
        '422 LAST_ACTIVE_ADMIN for the only active administrator.',
      auth: 'user',
      body: deleteAccountBody,
      response: deletedSchema,
      errors: [401, 422],
    },
    controller.deleteAccount,
  );

  api.get(
    '/admin/all',
    {
      summary: 'List users (admin)',
      description: '`q` matches e-mail, first and last name (case-insensitive).',
      auth: 'admin',
      query: adminListQuery,
      response: userListSchema,
    },
    controller.adminList,
  );

  api.patch(
    '/admin/:id/status',
    {
      summary: 'Activate or deactivate a user (admin)',
      description:
        'Deactivation revokes every session of the user at once. 422 CANNOT_DEACTIVATE_SELF for your own account, ' +
        'LAST_ACTIVE_ADMIN for the only active administrator.',
      auth: 'admin',
      params: idParams,
      body: setStatusBody,
      response: publicUserSchema,
      errors: [404, 422],
    },
    controller.setStatus,
  );

  return api;
}
