import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import type { EmailMessage } from '../../src/modules/notifications/notifications.types';
import type { TestContext } from './test-app';

export const API = '/api/v1';
export const PASSWORD = 'Str0ngPassw0rd';

export interface TestUser {
  id: number;
  email: string;
  password: string;
  token: string;
  refreshToken: string;
  body: Record<string, unknown>;
}

export const uniqueEmail = (label = 'user') => `${label}-${randomBytes(5).toString('hex')}@example.test`;

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export async function register(
  app: Express,
  overrides: Partial<{ email: string; password: string; firstName: string; lastName: string }> = {},
): Promise<TestUser> {
  const email = overrides.email ?? uniqueEmail();
  const password = overrides.password ?? PASSWORD;
  const res = await request(app)
    .post(`${API}/auth/register`)
    .send({
      email,
      password,
      firstName: overrides.firstName ?? 'Ada',
      lastName: overrides.lastName ?? 'Lovelace',
    });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    id: res.body.data.user.id,
    email: res.body.data.user.email,
    password,
    token: res.body.data.token,
    refreshToken: res.body.data.refreshToken,
    body: res.body,
  };
}

/** A second, independent session of an existing user. */
export async function login(app: Express, email: string, password = PASSWORD) {
  const res = await request(app).post(`${API}/auth/login`).send({ email, password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { token: res.body.data.token as string, refreshToken: res.body.data.refreshToken as string };
}

/** Registers a user, promotes it to ADMIN in the database and logs in again (the role is a token claim). */
export async function registerAdmin(ctx: TestContext): Promise<TestUser> {
  const user = await register(ctx.app, {
    email: uniqueEmail('admin'),
    firstName: 'Alan',
    lastName: 'Turing',
  });
  await ctx.container.prisma.user.update({ where: { id: user.id }, data: { role: 'ADMIN' } });
  const session = await login(ctx.app, user.email, user.password);
  return { ...user, ...session };
}

/** The newest e-mail of a template queued for an address, read from the outbox payload. */
export async function lastEmail<T extends EmailMessage['template']>(
  ctx: TestContext,
  to: string,
  template: T,
): Promise<Extract<EmailMessage, { template: T }> | undefined> {
  const rows = await ctx.container.prisma.outboxEvent.findMany({
    where: { aggregateId: to },
    orderBy: { id: 'desc' },
  });
  const row = rows.find((r) => (r.payload as { template?: string }).template === template);
  return row?.payload as Extract<EmailMessage, { template: T }> | undefined;
}

export async function auditActions(ctx: TestContext, filter: { actorId?: number; entityId?: string } = {}) {
  const rows = await ctx.container.prisma.auditLog.findMany({ where: filter, orderBy: { id: 'asc' } });
  return rows.map((row) => row.action);
}

/** Asserts the contract's error envelope and returns the body. */
export function expectError(res: request.Response, status: number, code: string) {
  if (res.status !== status || res.body.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body as { status: number; code: string; message: string; details?: unknown; meta: object };
}

/** Set-Cookie header lines (supertest gives a string or an array). */
export function setCookies(res: request.Response): string[] {
  const header = res.headers['set-cookie'] as string | string[] | undefined;
  if (!header) return [];
  return Array.isArray(header) ? header : [header];
}

export function refreshCookie(res: request.Response): string | undefined {
  return setCookies(res).find((line) => line.startsWith('refreshToken='));
}

/** Recursively looks for a key anywhere in a JSON value. */
export function containsKey(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((item) => containsKey(item, key));
  if (value && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => k === key || containsKey(v, key));
  }
  return false;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
