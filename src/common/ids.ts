import { z } from 'zod';
import { INT32_MAX } from './int32';

/**
 * A positive 32-bit integer id in plain decimal digits. `12abc`, `1.5`, `1e3`, ` 7` and `0x10` are rejected (400)
 * instead of being coerced into some other record's id.
 */
export const integerId = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, 'Must be a positive integer')
  .transform(Number)
  .pipe(z.number().int().max(INT32_MAX, 'Must be a positive integer'));

/** `/:id` path parameters. */
export const idParams = z.object({ id: integerId });
