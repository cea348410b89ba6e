import type { CookieOptions, Request, Response } from 'express';
import { sendData } from '../../common/http';
import type { ActorContext, RequestContext } from '../../common/request-context';
import type { AuthService } from './auth.service';
import type { LoginInput, RegisterInput } from './auth.schemas';
import { sessionContext } from './auth.tokens';
import type { IssuedSession } from './session.service';

export const REFRESH_COOKIE = 'refreshToken';
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

export interface RefreshCookieSettings {
  /** `Secure` attribute: on in production. */
  secure: boolean;
  refreshTokenTtlDays: number;
}

interface Http {
  req: Request;
  res: Response;
  context: RequestContext;
}
interface WithBody<B> extends Http {
  body: B;
}
interface Authenticated extends Http {
  context: ActorContext;
}

function tokenPair(session: IssuedSession) {
  return {
    token: session.token,
    refreshToken: session.refreshToken,
    expiresAt: session.expiresAt.toISOString(),
  };
}

/** HTTP in/out for `/auth`: reads validated input and the refresh cookie, calls the service, sends the envelope. */
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookie: RefreshCookieSettings,
  ) {}

  private cookieOptions(): CookieOptions {
    return { httpOnly: true, sameSite: 'strict', secure: this.cookie.secure, path: REFRESH_COOKIE_PATH };
  }

  private setRefreshCookie(res: Response, session: IssuedSession): void {
    res.cookie(REFRESH_COOKIE, session.refreshToken, {
      ...this.cookieOptions(),
      maxAge: this.cookie.refreshTokenTtlDays * 86_400_000,
    });
  }

  private clearRefreshCookie(res: Response): void {
    res.clearCookie(REFRESH_COOKIE, this.cookieOptions());
  }

  /** The body wins over the cookie when both are sent. */
  private presentedRefreshToken(
    req: Request,
    body: { refreshToken?: string } | undefined,
  ): string | undefined {
    if (body?.refreshToken) return body.refreshToken;
    const cookie: unknown = req.cookies?.[REFRESH_COOKIE];
    return typeof cookie === 'string' && cookie.length > 0 && cookie.length <= 512 ? cookie : undefined;
  }

  register = async ({ body, res, context }: WithBody<RegisterInput>): Promise<void> => {
    const result = await this.auth.register(context, body);
    this.setRefreshCookie(res, result);
    sendData(res, { user: result.user, ...tokenPair(result) }, { status: 201, message: 'Account created' });
  };

  login = async ({ body, res, context }: WithBody<LoginInput>): Promise<void> => {
    const result = await this.auth.login(context, body);
    this.setRefreshCookie(res, result);
    sendData(res, { user: result.user, ...tokenPair(result) }, { message: 'Logged in' });
  };

  refresh = async ({
    body,
    req,
    res,
    context,
  }: WithBody<{ refreshToken?: string } | undefined>): Promise<void> => {
    const presented = this.presentedRefreshToken(req, body);
    try {
      const session = await this.auth.refresh(context, presented);
      this.setRefreshCookie(res, session);
      sendData(res, tokenPair(session), { message: 'Token refreshed' });
    } catch (error) {
      // A refresh token that failed is useless to the browser; drop the cookie with the error.
      if (presented) this.clearRefreshCookie(res);
      throw error;
    }
  };

  logout = async ({
    body,
    req,
    res,
    context,
  }: WithBody<{ refreshToken?: string } | undefined> & Authenticated) => {
    await this.auth.logout(sessionContext(context), this.presentedRefreshToken(req, body));
    this.clearRefreshCookie(res);
    sendData(res, { success: true as const }, { message: 'Logged out' });
  };

  logoutAll = async ({ res, context }: Authenticated): Promise<void> => {
    await this.auth.logoutAll(sessionContext(context));
    this.clearRefreshCookie(res);
    sendData(res, { success: true as const }, { message: 'Logged out of every session' });
  };

  validate = async ({ res, context }: Authenticated): Promise<void> => {
    sendData(
      res,
      { isValid: true as const, user: await this.auth.me(sessionContext(context)) },
      { message: 'Token is valid' },
    );
  };

  me = async ({ res, context }: Authenticated): Promise<void> => {
    sendData(res, await this.auth.me(sessionContext(context)));
  };

  changePassword = async ({
    body,
    res,
    context,
  }: WithBody<{ currentPassword: string; newPassword: string }> & Authenticated): Promise<void> => {
    await this.auth.changePassword(sessionContext(context), body);
    sendData(
      res,
      { success: true as const },
      { message: 'Password changed; every other session was signed out' },
    );
  };

  forgotPassword = async ({ body, res, context }: WithBody<{ email: string }>): Promise<void> => {
    await this.auth.forgotPassword(context, body.email);
    sendData(
      res,
      { success: true as const },
      { message: 'If an account exists for this email, a password reset link has been sent' },
    );
  };

  resetPassword = async ({
    body,
    res,
    context,
  }: WithBody<{ token: string; newPassword: string }>): Promise<void> => {
    await this.auth.resetPassword(context, body);
    this.clearRefreshCookie(res);
    sendData(res, { success: true as const }, { message: 'Password reset; please log in again' });
  };

  verifyEmail = async ({ body, res, context }: WithBody<{ token: string }>): Promise<void> => {
    const user = await this.auth.verifyEmail(context, body.token);
    sendData(res, { emailVerified: true as const, user }, { message: 'Email verified' });
  };
}
