import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppError } from '../../src/common/errors';
import {
  AccessTokenCodec,
  generateOpaqueToken,
  hashToken,
  sessionContext,
} from '../../src/modules/auth/auth.tokens';

const SECRET = 'unit-test-secret-0123456789abcdefghijklmnop';
const ISSUER = 'ecommerce-api';
const AUDIENCE = 'ecommerce-storefront';

function codec(now = Date.now(), ttlSeconds = 900, secret = SECRET) {
  return new AccessTokenCodec({ secret, issuer: ISSUER, audience: AUDIENCE, ttlSeconds }, () => now);
}

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

const sid = randomUUID();

describe('AccessTokenCodec', () => {
  test('signs HS256 with sub, role, jti, sid, iat, exp and the issuer', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const issued = codec(now).sign({ userId: 42, role: 'ADMIN', sid });
    const header = JSON.parse(Buffer.from(issued.token.split('.')[0], 'base64url').toString());
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = codec(now).verify(issued.token);
    expect(claims).toEqual({
      sub: '42',
      role: 'ADMIN',
      jti: issued.jti,
      sid,
      iat: now / 1000,
      exp: now / 1000 + 900,
    });
    expect(issued.expiresAt.toISOString()).toBe('2026-01-01T12:15:00.000Z');
  });

  test('every token gets a fresh jti', () => {
    const c = codec();
    const a = c.sign({ userId: 1, role: 'CUSTOMER', sid });
    const b = c.sign({ userId: 1, role: 'CUSTOMER', sid });
    expect(a.jti).not.toBe(b.jti);
    expect(a.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('an expired token → 401 TOKEN_EXPIRED', () => {
    const issuedAt = Date.now();
    const token = codec(issuedAt, 60).sign({ userId: 1, role: 'CUSTOMER', sid }).token;
    const error = errorOf(() => codec(issuedAt + 61_000).verify(token));
    expect([error.status, error.code]).toEqual([401, 'TOKEN_EXPIRED']);
  });

  test('a token is valid until its exp', () => {
    const issuedAt = Date.now();
    const token = codec(issuedAt, 60).sign({ userId: 1, role: 'CUSTOMER', sid }).token;
    expect(codec(issuedAt + 59_000).verify(token).sub).toBe('1');
  });

  test.each([
    [
      'alg none',
      () =>
        jwt.sign({ sub: '1', role: 'ADMIN', jti: randomUUID(), sid }, '', {
          algorithm: 'none',
          issuer: ISSUER,
          audience: AUDIENCE,
        }),
    ],
    [
      'wrong secret',
      () =>
        jwt.sign(
          { sub: '1', role: 'ADMIN', jti: randomUUID(), sid },
          'another-secret-0123456789abcdefghijkl',
          {
            algorithm: 'HS256',
            issuer: ISSUER,
            audience: AUDIENCE,
            expiresIn: 60,
          },
        ),
    ],
    [
      'HS512 with the right secret (algorithm pinned)',
      () =>
        jwt.sign({ sub: '1', role: 'ADMIN', jti: randomUUID(), sid }, SECRET, {
          algorithm: 'HS512',
          issuer: ISSUER,
          audience: AUDIENCE,
          expiresIn: 60,
        }),
    ],
    [
      'wrong issuer',
      () =>
        jwt.sign({ sub: '1', role: 'ADMIN', jti: randomUUID(), sid }, SECRET, {
          algorithm: 'HS256',
          issuer: 'someone-else',
          audience: AUDIENCE,
          expiresIn: 60,
        }),
    ],
    [
      'missing sid',
      () =>
        jwt.sign({ sub: '1', role: 'ADMIN', jti: randomUUID() }, SECRET, {
          algorithm: 'HS256',
          issuer: ISSUER,
          audience: AUDIENCE,
          expiresIn: 60,
        }),
    ],
    [
      'unknown role',
      () =>
        jwt.sign({ sub: '1', role: 'ROOT', jti: randomUUID(), sid }, SECRET, {
          algorithm: 'HS256',
          issuer: ISSUER,
          audience: AUDIENCE,
          expiresIn: 60,
        }),
    ],
    [
      'non-numeric subject',
      () =>
        jwt.sign({ sub: 'admin', role: 'ADMIN', jti: randomUUID(), sid }, SECRET, {
          algorithm: 'HS256',
          issuer: ISSUER,
          audience: AUDIENCE,
          expiresIn: 60,
        }),
    ],
    [
      'no exp',
      () =>
        jwt.sign({ sub: '1', role: 'ADMIN', jti: randomUUID(), sid }, SECRET, {
          algorithm: 'HS256',
          issuer: ISSUER,
          audience: AUDIENCE,
        }),
    ],
    [
      'wrong audience',
      () =>
        jwt.sign({ sub: '1', role: 'ADMIN', jti: randomUUID(), sid }, SECRET, {
          algorithm: 'HS256',
          issuer: ISSUER,
          audience: 'another-api',
          expiresIn: 60,
        }),
    ],
    [
      'no audience',
      () =>
        jwt.sign({ sub: '1', role: 'ADMIN', jti: randomUUID(), sid }, SECRET, {
          algorithm: 'HS256',
          issuer: ISSUER,
          expiresIn: 60,
        }),
    ],
    [
      'a 10-year lifetime (longer than the configured 900 s)',
      () =>
        jwt.sign({ sub: '1', role: 'ADMIN', jti: randomUUID(), sid }, SECRET, {
          algorithm: 'HS256',
          issuer: ISSUER,
          audience: AUDIENCE,
          expiresIn: 10 * 365 * 86_400,
        }),
    ],
    ['garbage', () => 'not.a.jwt'],
    ['a huge string', () => 'a'.repeat(10_000)],
  ])('%s → 401 UNAUTHORIZED', (_name, makeToken) => {
    const error = errorOf(() => codec().verify(makeToken()));
    expect([error.status, error.code]).toEqual([401, 'UNAUTHORIZED']);
  });

  test('a tampered payload (role raised to ADMIN) → 401 UNAUTHORIZED', () => {
    const token = codec().sign({ userId: 7, role: 'CUSTOMER', sid }).token;
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'ADMIN' })).toString('base64url');
    const error = errorOf(() => codec().verify(`${header}.${forged}.${signature}`));
    expect([error.status, error.code]).toEqual([401, 'UNAUTHORIZED']);
  });
});

describe('opaque tokens', () => {
  test('32 random bytes as base64url, different every time', () => {
    const a = generateOpaqueToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateOpaqueToken()).not.toBe(a);
  });

  test('stored as a sha256 hex digest, deterministic', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashToken('abc')).toBe(hashToken('abc'));
  });
});

describe('sessionContext', () => {
  test('reads the session id the verifier put on the caller', () => {
    const context = sessionContext({
      requestId: 'r',
      actor: { id: 1, role: 'CUSTOMER', jti: 'j', iat: 1, exp: 2, sid },
    });
    expect(context.actor.sid).toBe(sid);
    expect(context.requestId).toBe('r');
  });

  test('a caller without one is unauthorized', () => {
    const error = errorOf(() =>
      sessionContext({ actor: { id: 1, role: 'CUSTOMER', jti: 'j', iat: 1, exp: 2 } }),
    );
    expect(error.status).toBe(401);
  });
});
