import { z } from 'zod';
import { storableString, text } from '../../common/text';
import { publicUserSchema } from '../users/users.schemas';

export const MIN_PASSWORD_LENGTH = 8;
/** bcrypt ignores everything past 72 bytes; refuse longer passwords rather than silently truncating them. */
export const MAX_PASSWORD_BYTES = 72;

/** Trimmed, lower-cased, a plausible address. */
export const emailField = z.string().trim().toLowerCase().max(254).email('Must be a valid e-mail address');

/** The rule for every new password: ≥ 8 characters with an upper-case letter, a lower-case letter and a digit. */
export const newPasswordField = storableString()
  .min(MIN_PASSWORD_LENGTH, `Must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .refine((value) => Buffer.byteLength(value, 'utf8') <= MAX_PASSWORD_BYTES, {
    message: `Must be at most ${MAX_PASSWORD_BYTES} bytes`,
    abort: true,
  })
  .regex(/[a-z]/, 'Must contain a lower-case letter')
  .regex(/[A-Z]/, 'Must contain an upper-case letter')
  .regex(/[0-9]/, 'Must contain a digit');

/** An existing password being checked (any policy it was created under). */
const currentPasswordField = storableString().min(1, 'Required').max(1024);

/** Opaque tokens (refresh, reset, verification) are 43 base64url characters; accept a little slack, not megabytes. */
const opaqueToken = storableString().min(1, 'Required').max(512);

// ─── Requests ──────────────────────────────────────────────────────────────

export const registerBody = z
  .object({
    email: emailField,
    password: newPasswordField,
    firstName: text(100),
    lastName: text(100),
  })
  .meta({
    id: 'RegisterRequest',
    description: 'Unknown fields (e.g. `role`) are ignored: new users are CUSTOMERs.',
  });

export const loginBody = z
  .object({ email: emailField, password: currentPasswordField })
  .meta({ id: 'LoginRequest' });

/** Refresh and logout: the token comes from the `refreshToken` cookie or this body; the body may be absent. */
export const refreshTokenBody = z
  .object({ refreshToken: opaqueToken.optional() })
  .optional()
  .meta({ id: 'RefreshTokenRequest' });

export const changePasswordBody = z
  .object({ currentPassword: currentPasswordField, newPassword: newPasswordField })
  .meta({ id: 'ChangePasswordRequest' });

export const forgotPasswordBody = z.object({ email: emailField }).meta({ id: 'ForgotPasswordRequest' });

export const resetPasswordBody = z
  .object({ token: opaqueToken, newPassword: newPasswordField })
  .meta({ id: 'ResetPasswordRequest' });

export const verifyEmailBody = z.object({ token: opaqueToken }).meta({ id: 'VerifyEmailRequest' });

// ─── Responses ─────────────────────────────────────────────────────────────

export const tokenPairSchema = z
  .object({
    token: z.string().meta({ description: 'Access JWT (HS256), valid for ACCESS_TOKEN_TTL_SECONDS' }),
    refreshToken: z.string().meta({ description: 'Opaque refresh token; single use (rotated on refresh)' }),
    expiresAt: z.string().meta({ format: 'date-time', description: 'Expiry of the access token' }),
  })
  .meta({ id: 'TokenPair' });

export const authSessionSchema = tokenPairSchema
  .extend({ user: publicUserSchema })
  .meta({ id: 'AuthSession' });

export const validateSchema = z
  .object({ isValid: z.literal(true), user: publicUserSchema })
  .meta({ id: 'TokenValidation' });

export const successSchema = z.object({ success: z.literal(true) }).meta({ id: 'Success' });

export type RegisterInput = z.output<typeof registerBody>;
export type LoginInput = z.output<typeof loginBody>;
