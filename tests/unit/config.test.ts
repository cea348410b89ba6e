import { ConfigError, loadConfig } from '../../src/config/env';

describe('loadConfig', () => {
  it('applies defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.NODE_ENV).toBe('development');
    expect(config.TAX_RATE).toBe(0.08);
    expect(config.BCRYPT_COST).toBe(12);
    expect(config.LOGIN_LOCKOUT_THRESHOLD).toBe(5);
    expect(config.ALLOWED_ORIGINS).toContain('http://localhost:5173');
    expect(config.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
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
