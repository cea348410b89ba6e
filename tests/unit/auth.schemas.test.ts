import { ValidationError } from '../../src/common/errors';
import { parseOrThrow } from '../../src/middleware/validate';
import {
  changePasswordBody,
  emailField,
  loginBody,
  newPasswordField,
  refreshTokenBody,
  registerBody,
} from '../../src/modules/auth/auth.schemas';

function details(schema: Parameters<typeof parseOrThrow>[0], value: unknown): Record<string, string[]> {
  try {
    parseOrThrow(schema, value, 'body');
  } catch (error) {
    if (error instanceof ValidationError) return error.details as Record<string, string[]>;
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('password policy', () => {
  test.each(['Passw0rd', 'Abcdefg1', 'ÄbcdefgH1', 'Correct Horse Battery 9'])('accepts %p', (password) => {
    expect(newPasswordField.safeParse(password).success).toBe(true);
  });

  test('lists every rule a password breaks', () => {
    expect(
      details(registerBody, { email: 'a@b.co', password: 'abc', firstName: 'A', lastName: 'B' }),
    ).toEqual({
      password: [
        'Must be at least 8 characters',
        'Must contain an upper-case letter',
        'Must contain a digit',
      ],
    });
  });

  test.each([
    ['no upper case', 'password1', 'Must contain an upper-case letter'],
    ['no lower case', 'PASSWORD1', 'Must contain a lower-case letter'],
    ['no digit', 'Password', 'Must contain a digit'],
    ['7 characters', 'Passw0r', 'Must be at least 8 characters'],
  ])('%s → %p', (_name, password, message) => {
    const result = newPasswordField.safeParse(password);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toContain(message);
  });

  test('more than 72 bytes (bcrypt would silently truncate) is refused', () => {
    expect(newPasswordField.safeParse(`Aa1${'x'.repeat(69)}`).success).toBe(true);
    expect(newPasswordField.safeParse(`Aa1${'x'.repeat(70)}`).success).toBe(false);
    // 36 two-byte characters = 72 bytes + "Aa1" → too long although only 39 characters.
    expect(newPasswordField.safeParse(`Aa1${'é'.repeat(36)}`).success).toBe(false);
  });

  test('change-password applies the policy to the new password only', () => {
    expect(changePasswordBody.safeParse({ currentPassword: 'old', newPassword: 'NewPassw0rd' }).success).toBe(
      true,
    );
    expect(details(changePasswordBody, { currentPassword: 'old', newPassword: 'weak' })).toHaveProperty(
      'newPassword',
    );
  });
});

describe('e-mail', () => {
  test('is trimmed and lower-cased', () => {
    expect(emailField.parse('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
  });

  test.each([
    '',
    'plain',
    'a@b',
    '@example.com',
    'a b@example.com',
    'a\u0000@example.com',
    `${'a'.repeat(250)}@b.co`,
  ])('rejects %p', (value) => {
    expect(emailField.safeParse(value).success).toBe(false);
  });
});

describe('register body', () => {
  test('ignores unknown fields such as role', () => {
    const parsed = registerBody.parse({
      email: 'A@B.co',
      password: 'Passw0rd!',
      firstName: ' Ada ',
      lastName: 'Lovelace',
      role: 'ADMIN',
      isActive: false,
    });
    expect(parsed).toEqual({
      email: 'a@b.co',
      password: 'Passw0rd!',
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
  });

  test('reports each missing field under its name', () => {
    expect(Object.keys(details(registerBody, {})).sort()).toEqual([
      'email',
      'firstName',
      'lastName',
      'password',
    ]);
  });

  test('rejects blank names and NUL characters', () => {
    expect(
      details(registerBody, { email: 'a@b.co', password: 'Passw0rd', firstName: '   ', lastName: 'x\u0000' }),
    ).toEqual({
      firstName: ['Must not be empty'],
      lastName: ['Must not contain NUL characters'],
    });
  });
});

describe('login and refresh bodies', () => {
  test('login checks presence, not the password policy', () => {
    expect(loginBody.safeParse({ email: 'a@b.co', password: 'x' }).success).toBe(true);
    expect(details(loginBody, { email: 'a@b.co', password: '' })).toEqual({ password: ['Required'] });
  });

  test('the refresh body is optional (the cookie may carry the token)', () => {
    expect(refreshTokenBody.parse(undefined)).toBeUndefined();
    expect(refreshTokenBody.parse({})).toEqual({});
    expect(refreshTokenBody.safeParse({ refreshToken: 42 }).success).toBe(false);
    expect(refreshTokenBody.safeParse({ refreshToken: 'x'.repeat(513) }).success).toBe(false);
  });
});
