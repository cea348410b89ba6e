import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/env';

/** A throw-away DATA_DIR, so the generated development secret lands nowhere near the repository. */
function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ecom-config-'));
}

const PRODUCTION = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgresql://u@db:5432/shop',
  REDIS_URL: 'redis://redis:6379',
};

describe('loadConfig', () => {
  it('applies defaults for an empty environment', () => {
    const config = loadConfig({ DATA_DIR: tempDataDir() });
    expect(config.PORT).toBe(3000);
    expect(config.NODE_ENV).toBe('development');
    expect(config.TAX_RATE).toBe(0.08);
    expect(config.BCRYPT_COST).toBe(12);
    expect(config.LOGIN_LOCKOUT_THRESHOLD).toBe(5);
    expect(config.ALLOWED_ORIGINS).toContain('http://localhost:5173');
    expect(config.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(config.JWT_AUDIENCE).toBe('ecommerce-api');
  });

  it('reports every problem at once in one readable list', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', BCRYPT_COST: '99', NODE_ENV: 'production' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const { problems, message } = caught as ConfigError;
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(
      expect.arrayContaining(['BCRYPT_COST', 'DATABASE_URL', 'PORT']),
    );
    expect(message).toMatch(/^Invalid configuration:\n {2}- /);
  });

  it('requires secrets and service URLs in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: is required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/REDIS_URL: is required in production/);
  });

  it('without JWT_SECRET outside production: a random secret, generated once and kept in DATA_DIR', () => {
    const dataDir = tempDataDir();
    const first = loadConfig({ DATA_DIR: dataDir }).JWT_SECRET;
    expect(Buffer.byteLength(first)).toBeGreaterThanOrEqual(32);
    expect(fs.readFileSync(path.join(dataDir, 'jwt-secret'), 'utf8').trim()).toBe(first);
    expect(fs.statSync(path.join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'test' }).JWT_SECRET).toBe(first);
    // Another machine (another data directory) gets another secret: no constant to forge tokens with.
    expect(loadConfig({ DATA_DIR: tempDataDir() }).JWT_SECRET).not.toBe(first);
    // An explicit one wins.
    const explicit = 'e'.repeat(20) + 'explicit-secret-0123456789';
    expect(loadConfig({ DATA_DIR: dataDir, JWT_SECRET: explicit }).JWT_SECRET).toBe(explicit);
  });

  it.each([
    ['missing', undefined, /JWT_SECRET: is required in production/],
    ['31 bytes', 'x'.repeat(31), /JWT_SECRET: must be at least 32 bytes/],
    // Counted in bytes, not characters.
    ['15 two-byte characters (30 bytes)', 'é'.repeat(15), /JWT_SECRET: must be at least 32 bytes/],
    [
      'the development default that was in the repository',
      'development-only-secret-change-me-0123456789abcdef',
      /JWT_SECRET: is a published default/,
    ],
    [
      "docker-compose.yml's former fallback",
      'compose-DEV-ONLY-insecure-jwt-secret-change-me-0123456789',
      /JWT_SECRET: is a published default/,
    ],
    [
      "the tests' former secret",
      'test-secret-0123456789abcdefghijklmnopqrstuvwxyz',
      /JWT_SECRET: is a published default/,
    ],
  ])('production refuses to start with a %s JWT secret', (_name, secret, message) => {
    const env = secret === undefined ? PRODUCTION : { ...PRODUCTION, JWT_SECRET: secret };
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('production starts with a long random secret of its own', () => {
    const secret = 'b3f1c8a2d4e6f80917a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a8';
    expect(loadConfig({ ...PRODUCTION, JWT_SECRET: secret }).JWT_SECRET).toBe(secret);
  });

  it('treats empty strings as unset and parses lists and booleans', () => {
    const config = loadConfig({
      SMTP_HOST: '',
      ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      SMTP_SECURE: 'true',
    });
    expect(config.SMTP_HOST).toBeUndefined();
    expect(config.ALLOWED_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
    expect(config.SMTP_SECURE).toBe(true);
  });
});
