import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Shortest accepted HS256 secret, in bytes (the length of the SHA-256 output). */
export const MIN_JWT_SECRET_BYTES = 32;

/**
 * Secrets that have been published (in this repository's code, compose file, examples or tests, and the usual
 * placeholders): anyone could sign tokens with them, so production refuses to start with one.
 */
const KNOWN_JWT_SECRETS = [
  'development-only-secret-change-me-0123456789abcdef',
  'compose-DEV-ONLY-insecure-jwt-secret-change-me-0123456789',
  'test-secret-0123456789abcdefghijklmnopqrstuvwxyz',
  'change-me-to-a-long-random-secret-at-least-32-characters',
  'your-super-secret-jwt-key-change-this-in-production',
  'your_jwt_secret_key_here_at_least_32_characters_long',
  'secretsecretsecretsecretsecretsecret',
].map((secret) => secret.toLowerCase());

/** Why a production JWT secret is refused, or undefined when it is acceptable. */
export function weakJwtSecretReason(secret: string | undefined): string | undefined {
  if (!secret) return 'is required in production';
  if (Buffer.byteLength(secret, 'utf8') < MIN_JWT_SECRET_BYTES) {
    return `must be at least ${MIN_JWT_SECRET_BYTES} bytes (e.g. \`openssl rand -hex 32\`)`;
  }
  if (KNOWN_JWT_SECRETS.includes(secret.trim().toLowerCase())) {
    return 'is a published default; generate your own (e.g. `openssl rand -hex 32`)';
  }
  return undefined;
}

/**
 * Development and test without JWT_SECRET: a random secret generated on first start and kept in
 * `<dataDir>/jwt-secret` (mode 0600), so tokens survive restarts and no secret is a constant anyone can read.
 */
export function localJwtSecret(dataDir: string): string {
  const file = path.resolve(dataDir, 'jwt-secret');
  const read = (): string | undefined => {
    try {
      const stored = fs.readFileSync(file, 'utf8').trim();
      return Buffer.byteLength(stored) >= MIN_JWT_SECRET_BYTES ? stored : undefined;
    } catch {
      return undefined;
    }
  };
  const existing = read();
  if (existing) return existing;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    // `wx`: if another process created it meanwhile, use theirs.
    fs.writeFileSync(file, `${secret}\n`, { flag: 'wx', mode: 0o600 });
    return secret;
  } catch (error) {
    const raced = read();
    if (raced) return raced;
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // An unusable (short) file: replace it.
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}
