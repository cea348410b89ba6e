import {
  adminListQuery,
  createAddressBody,
  updatePreferencesBody,
  updateProfileBody,
} from '../../src/modules/users/users.schemas';
import { toPublicUser } from '../../src/modules/users/users.serializer';

describe('profile update', () => {
  test('is partial and strips fields that cannot change here', () => {
    expect(
      updateProfileBody.parse({ firstName: ' Grace ', role: 'ADMIN', email: 'x@y.z', isActive: false }),
    ).toEqual({
      firstName: 'Grace',
    });
  });

  test('accepts nulls to clear optional fields', () => {
    expect(updateProfileBody.parse({ phone: null, gender: null, age: null, image: null })).toEqual({
      phone: null,
      gender: null,
      age: null,
      image: null,
    });
  });

  test('normalises gender and validates the rest', () => {
    expect(updateProfileBody.parse({ gender: 'Female', age: 36, phone: '+1 (555) 123-4567' })).toEqual({
      gender: 'female',
      age: 36,
      phone: '+1 (555) 123-4567',
    });
    for (const bad of [
      { gender: 'robot' },
      { age: 12 },
      { age: 1.5 },
      { age: '30' },
      { image: 'javascript:alert(1)' },
      { image: 'not a url' },
      { phone: 'call me' },
      { firstName: '' },
      { firstName: 'x'.repeat(101) },
    ]) {
      expect(updateProfileBody.safeParse(bad).success).toBe(false);
    }
  });
});

describe('address', () => {
  const valid = {
    firstName: 'Ada',
    lastName: 'Lovelace',
    address: '12 St James Square',
    city: 'London',
    state: 'LDN',
    zipCode: 'SW1Y 4JH',
    country: 'GB',
    phone: '+44 20 7946 0000',
  };

  test('requires the shipping fields; label and isDefault are optional', () => {
    expect(createAddressBody.parse(valid)).toEqual(valid);
    expect(createAddressBody.parse({ ...valid, label: 'Home', isDefault: true })).toMatchObject({
      isDefault: true,
    });
    const result = createAddressBody.safeParse({ firstName: 'Ada' });
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'address',
      'city',
      'country',
      'lastName',
      'phone',
      'state',
      'zipCode',
    ]);
  });
});

describe('preferences', () => {
  test('theme, currency and language are validated; currency upper-cased', () => {
    expect(updatePreferencesBody.parse({ theme: 'dark', currency: 'eur', language: 'en-GB' })).toEqual({
      theme: 'dark',
      currency: 'EUR',
      language: 'en-GB',
    });
    for (const bad of [
      { theme: 'neon' },
      { currency: 'EURO' },
      { language: 'english!' },
      { notifications: 'yes' },
    ]) {
      expect(updatePreferencesBody.safeParse(bad).success).toBe(false);
    }
  });
});

describe('admin list query', () => {
  test('parses booleans strictly ("false" is false) and roles case-insensitively', () => {
    expect(adminListQuery.parse({ isActive: 'false', role: 'admin', q: ' ada ' })).toEqual({
      isActive: false,
      role: 'ADMIN',
      q: 'ada',
      skip: 0,
      limit: 30,
    });
    expect(adminListQuery.parse({ isActive: 'true' }).isActive).toBe(true);
    expect(adminListQuery.parse({ q: '   ' }).q).toBeUndefined();
    for (const bad of [
      { isActive: 'maybe' },
      { role: 'ROOT' },
      { limit: '101' },
      { skip: '-1' },
      { q: ['a', 'b'] },
    ]) {
      expect(adminListQuery.safeParse(bad).success).toBe(false);
    }
  });
});

describe('toPublicUser', () => {
  test('picks the public fields only: never the password hash or internal columns', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const user = toPublicUser({
      id: 1,
      email: 'a@b.co',
      passwordHash: '$2b$04$secret',
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: null,
      gender: null,
      age: null,
      image: null,
      role: 'CUSTOMER',
      isActive: true,
      emailVerifiedAt: now,
      tokensValidAfter: now,
      lastLoginAt: now,
      deletedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    expect(Object.keys(user).sort()).toEqual(
      [
        'id',
        'email',
        'firstName',
        'lastName',
        'phone',
        'gender',
        'age',
        'image',
        'role',
        'isActive',
        'emailVerified',
        'createdAt',
        'updatedAt',
      ].sort(),
    );
    expect(user.emailVerified).toBe(true);
    expect(JSON.stringify(user)).not.toContain('secret');
  });
});
