import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { ValidationError, type FieldErrors } from '../common/errors';
import { findUnstorableStrings } from '../common/text';

/** zod issues → `{ "<field.path>": ["message", …] }` as the contract's VALIDATION_ERROR details. */
export function fieldErrors(error: z.ZodError, location: string): FieldErrors {
  const details: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : location;
    (details[key] ??= []).push(issue.message);
  }
  return details;
}

export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, location: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(fieldErrors(result.error, location));
  return result.data;
}

/**
 * Refuses a request any of whose strings (path parameters, query, body, at any depth, keys included) holds a NUL or
 * an unpaired surrogate, whether or not a schema declares the field: 400 with every offending dotted path.
 */
export const rejectUnstorableStrings: RequestHandler = (req, _res, next) => {
  const details: FieldErrors = {};
  for (const [location, value] of [
    ['params', req.params],
    ['query', req.query],
    ['body', req.body],
  ] as const) {
    for (const { path, message } of findUnstorableStrings(value, location))
      (details[path] ??= []).push(message);
  }
  if (Object.keys(details).length > 0) throw new ValidationError(details);
  next();
};
