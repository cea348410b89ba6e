import winston from 'winston';
import { currentRequestId } from './request-scope';

const REDACTED = '[REDACTED]';
const SENSITIVE_KEY =
  /^(password|currentPassword|newPassword|passwordHash|token|refreshToken|accessToken|authorization|cookie|set-cookie|secret|clientSecret|jwt)$/i;

/** Deep-copies log metadata with secrets replaced, so no password, token or Authorization header reaches a log. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, item]) => [
      key,
      SENSITIVE_KEY.test(key) ? REDACTED : redact(item, depth + 1),
    ]),
  );
}

/** Every line logged while a request is handled names it, unless the caller already did. */
const requestIdFormat = winston.format((info) => {
  if (info.requestId === undefined) {
    const requestId = currentRequestId();
    if (requestId !== undefined) info.requestId = requestId;
  }
  return info;
});

const redactFormat = winston.format((info) => {
  for (const key of Object.keys(info)) {
    info[key] = SENSITIVE_KEY.test(key) ? REDACTED : redact(info[key]);
  }
  return info;
});

export type Logger = winston.Logger;

export function createLogger(options: { level: string; pretty: boolean; service: string }): Logger {
  const silent = options.level === 'silent';
  return winston.createLogger({
    level: silent ? 'error' : options.level,
    silent,
    defaultMeta: { service: options.service },
    format: winston.format.combine(
      requestIdFormat(),
      redactFormat(),
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      options.pretty
        ? winston.format.combine(winston.format.colorize(), winston.format.simple())
        : winston.format.json(),
    ),
    transports: [new winston.transports.Console()],
  });
}

/** The process logger as the configuration asks for it (pretty in development, JSON otherwise). */
export function createConfiguredLogger(
  config: { LOG_LEVEL: string; NODE_ENV: string; APP_NAME: string },
  service = config.APP_NAME,
): Logger {
  return createLogger({ level: config.LOG_LEVEL, pretty: config.NODE_ENV === 'development', service });
}
