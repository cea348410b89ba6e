import type { Address, User, UserPreferences } from '../../generated/prisma/client';
import type { AddressView, PreferencesView, PublicUser } from './users.schemas';

/**
 * The only way a user leaves the API. Fields are picked one by one, so a new column (or the password hash) can
 * never leak by accident.
 */
export function toPublicUser(user: User): PublicUser {
  return {
    id: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    phone: user.phone,
    gender: user.gender,
    age: user.age,
    image: user.image,
    role: user.role,
    isActive: user.isActive,
    emailVerified: user.emailVerifiedAt !== null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

export function toAddressView(address: Address): AddressView {
  return {
    id: address.id,
    label: address.label,
    firstName: address.firstName,
    lastName: address.lastName,
    address: address.address,
    city: address.city,
    state: address.state,
    zipCode: address.zipCode,
    country: address.country,
    phone: address.phone,
    isDefault: address.isDefault,
    createdAt: address.createdAt.toISOString(),
    updatedAt: address.updatedAt.toISOString(),
  };
}

export function toPreferencesView(
  preferences: Pick<
    UserPreferences,
    'theme' | 'notifications' | 'emailNotifications' | 'currency' | 'language'
  >,
): PreferencesView {
  return {
    theme: preferences.theme as PreferencesView['theme'],
    notifications: preferences.notifications,
    emailNotifications: preferences.emailNotifications,
    currency: preferences.currency,
    language: preferences.language,
  };
}
