import type { RequestHandler } from 'express';
import { z } from 'zod';
import { ApiRouter } from '../../middleware/api-router';
import type { RouterDeps } from '../../middleware/router-deps';
import { publicUserSchema } from '../users/users.schemas';
import { AuthController, type RefreshCookieSettings } from './auth.controller';
import {
  authSessionSchema,
  changePasswordBody,
  forgotPasswordBody,
  loginBody,
  refreshTokenBody,
  registerBody,
  resetPasswordBody,
  successSchema,
  tokenPairSchema,
  validateSchema,
  verifyEmailBody,
} from './auth.schemas';
import type { AuthService } from './auth.service';

export interface AuthRouteOptions extends RefreshCookieSettings {
  /** A stricter limiter (AUTH_RATE_LIMIT_*) for the credential endpoints; one counter per name. */
  rateLimit: (name: string) => RequestHandler;
}

export function authRoutes(
  { docs, guards }: RouterDeps,
  auth: AuthService,
  options: AuthRouteOptions,
): ApiRouter {
  const api = new ApiRouter(docs, guards, '/auth', 'Auth');
  const controller = new AuthController(auth, options);
  const limited = (name: string) => ({ middleware: [options.rateLimit(name)] });

  api.post(
    '/register',
    {
      summary: 'Create a customer account',
      description: 'Sets the `refreshToken` cookie and queues a verification e-mail.',
      body: registerBody,
      response: authSessionSchema,
      status: 201,
      errors: [409],
      ...limited('register'),
    },
    controller.register,
  );

  api.post(
    '/login',
    {
      summary: 'Log in with e-mail and password',
      description:
        'Sets the `refreshToken` cookie. 401 INVALID_CREDENTIALS for an unknown e-mail or a wrong password alike; ' +
        '423 ACCOUNT_LOCKED (with Retry-After) after too many failures; 403 ACCOUNT_DISABLED.',
      body: loginBody,
      response: authSessionSchema,
      errors: [401, 403, 423],
      ...limited('login'),
    },
    controller.login,
  );

  api.post(
    '/refresh',
    {
      summary: 'Rotate the refresh token',
      description:
        'The token comes from the `refreshToken` cookie or the body. Each refresh token works once; presenting a ' +
        'used one revokes its whole session (401 TOKEN_REVOKED).',
      body: refreshTokenBody,
      response: tokenPairSchema,
      errors: [401],
    },
    controller.refresh,
  );

  api.post(
    '/logout',
    {
      summary: 'End this session',
      description:
        'Revokes this access token, its session and the refresh token from the cookie or the body.',
      auth: 'user',
      body: refreshTokenBody,
      response: successSchema,
    },
    controller.logout,
  );

  api.post(
    '/logout-all',
    { summary: 'End every session of the user', auth: 'user', response: successSchema },
    controller.logoutAll,
  );

  api.get(
    '/validate',
    {
      summary: 'Check an access token',
      description:
        'A valid token → `{ isValid: true, user }`; a missing, invalid, expired or revoked one → 401.',
      auth: 'user',
      response: validateSchema,
    },
    controller.validate,
  );

  api.get('/me', { summary: 'The signed-in user', auth: 'user', response: publicUserSchema }, controller.me);

  api.post(
    '/change-password',
    {
      summary: 'Change the password',
      description:
        'Every other session is revoked at once (refresh and access tokens); this one stays valid.',
      auth: 'user',
      body: changePasswordBody,
      response: successSchema,
      ...limited('change-password'),
    },
    controller.changePassword,
  );

  api.post(
    '/forgot-password',
    {
      summary: 'Request a password reset e-mail',
      description: 'Always 200 with the same message, whether or not the account exists.',
      body: forgotPasswordBody,
      response: successSchema,
      ...limited('forgot-password'),
    },
    controller.forgotPassword,
  );

  api.post(
    '/reset-password',
    {
      summary: 'Set a new password with a reset token',
      description:
        'The token is single-use; every session of the user is revoked. Bad token → 400 INVALID_TOKEN.',
      body: resetPasswordBody,
      response: successSchema,
      ...limited('reset-password'),
    },
    controller.resetPassword,
  );

  api.post(
    '/verify-email',
    {
      summary: 'Confirm the e-mail address with the token that was e-mailed',
      body: verifyEmailBody,
      response: z
        .object({ emailVerified: z.literal(true), user: publicUserSchema })
        .meta({ id: 'EmailVerified' }),
      ...limited('verify-email'),
    },
    controller.verifyEmail,
  );

  return api;
}
