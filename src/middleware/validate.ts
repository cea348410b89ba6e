import type { z } from 'zod';
import { ValidationError, type FieldErrors } from '../common/errors';

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
