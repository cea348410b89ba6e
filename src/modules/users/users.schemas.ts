import { z } from 'zod';
import { booleanQuery, paginationQuery, searchQuery } from '../../common/pagination';
import { storableString, text } from '../../common/text';

// ─── Responses ─────────────────────────────────────────────────────────────

export const roleSchema = z.enum(['CUSTOMER', 'ADMIN']);

export const publicUserSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    phone: z.string().nullable(),
    gender: z.string().nullable(),
    age: z.number().int().nullable(),
    image: z.string().nullable(),
    role: roleSchema,
    isActive: z.boolean(),
    emailVerified: z.boolean(),
    createdAt: z.string().meta({ format: 'date-time' }),
    updatedAt: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'User', description: 'A user as every response shows it (never a password hash).' });

export const addressSchema = z
  .object({
    id: z.number().int(),
    label: z.string().nullable(),
    firstName: z.string(),
    lastName: z.string(),
    address: z.string(),
    city: z.string(),
    state: z.string(),
    zipCode: z.string(),
    country: z.string(),
    phone: z.string(),
    isDefault: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Address' });

export const addressListSchema = z
  .object({
    addresses: z.array(addressSchema),
    total: z.number().int(),
    skip: z.number().int(),
    limit: z.number().int(),
  })
  .meta({ id: 'AddressList' });

export const deletedSchema = z
  .object({ id: z.number().int(), isDeleted: z.literal(true), deletedOn: z.string() })
  .meta({ id: 'Deleted' });

export const THEMES = ['light', 'dark', 'system'] as const;

export const preferencesSchema = z
  .object({
    theme: z.enum(THEMES),
    notifications: z.boolean(),
    emailNotifications: z.boolean(),
    currency: z.string(),
    language: z.string(),
  })
  .meta({ id: 'UserPreferences' });

export const userStatsSchema = z
  .object({
    totalOrders: z.number().int().meta({ description: 'Every order you placed, whatever its status' }),
    totalSpent: z.number().meta({
      description:
        'Major units, 2 decimals: your PAID, PROCESSING, SHIPPED and DELIVERED orders less partial refunds ' +
        '(pending, cancelled and refunded orders cost you nothing)',
    }),
    lastOrder: z
      .object({
        id: z.string(),
        orderNumber: z.string(),
        status: z.string(),
        total: z.number(),
        createdAt: z.string(),
      })
      .nullable(),
    memberSince: z.string(),
  })
  .meta({ id: 'UserStats' });

export const userListSchema = z
  .object({
    users: z.array(publicUserSchema),
    total: z.number().int(),
    skip: z.number().int(),
    limit: z.number().int(),
  })
  .meta({ id: 'UserList' });

// ─── Requests ──────────────────────────────────────────────────────────────

export const GENDERS = ['male', 'female', 'other', 'prefer_not_to_say'] as const;

export const updateProfileBody = z
  .object({
    firstName: text(100),
    lastName: text(100),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()./-]{3,30}$/, 'Must be a phone number')
      .nullable(),
    gender: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(GENDERS, `Must be one of ${GENDERS.join(', ')}`))
      .nullable(),
    age: z.number().int().min(13).max(130).nullable(),
    image: z
      .string()
      .trim()
      .max(2048)
      .refine((value) => /^https?:\/\/\S+$/i.test(value) && URL.canParse(value), 'Must be an http(s) URL')
      .nullable(),
  })
  .partial()
  .meta({ id: 'UpdateProfileRequest' });

const addressFields = {
  label: text(50).nullable(),
  firstName: text(100),
  lastName: text(100),
  address: text(300),
  city: text(100),
  state: text(100),
  zipCode: text(20),
  country: text(100),
  phone: text(30),
  isDefault: z.boolean(),
};

export const createAddressBody = z
  .object({
    ...addressFields,
    label: addressFields.label.optional(),
    isDefault: addressFields.isDefault.optional(),
  })
  .meta({ id: 'CreateAddressRequest' });

export const updateAddressBody = z.object(addressFields).partial().meta({ id: 'UpdateAddressRequest' });

export const updatePreferencesBody = z
  .object({
    theme: z.enum(THEMES),
    notifications: z.boolean(),
    emailNotifications: z.boolean(),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, 'Must be an ISO 4217 code such as USD'),
    language: z
      .string()
      .trim()
      .max(35)
      .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'Must be a language tag such as en or en-US'),
  })
  .partial()
  .meta({ id: 'UpdatePreferencesRequest' });

export const deleteAccountBody = z
  .object({
    password: storableString().min(1).max(1024),
    reason: text(500).optional(),
  })
  .meta({ id: 'DeleteAccountRequest' });

export const adminListQuery = paginationQuery.extend({
  q: searchQuery,
  role: z.string().toUpperCase().pipe(roleSchema).optional(),
  isActive: booleanQuery.optional(),
});

export const setStatusBody = z.object({ isActive: z.boolean() }).meta({ id: 'SetUserStatusRequest' });

export type UpdateProfileInput = z.output<typeof updateProfileBody>;
export type CreateAddressInput = z.output<typeof createAddressBody>;
export type UpdateAddressInput = z.output<typeof updateAddressBody>;
export type UpdatePreferencesInput = z.output<typeof updatePreferencesBody>;
export type AdminListQuery = z.output<typeof adminListQuery>;
export type PublicUser = z.output<typeof publicUserSchema>;
export type AddressView = z.output<typeof addressSchema>;
export type PreferencesView = z.output<typeof preferencesSchema>;
export type UserStats = z.output<typeof userStatsSchema>;
