import { z } from 'zod';
import { toMajor, toMinor, type Minor } from './money';

/** The largest amount a Decimal(12,2) column holds, in major units. */
export const MAX_MONEY_MAJOR = 9_999_999_999.99;

/**
 * A JSON amount in major units with at most two decimals → integer minor units. The range checks abort: a number
 * outside it may print in exponent form (1e21, -1e308), which the decimal check cannot read.
 */
export function moneyAmount({ positive = false }: { positive?: boolean } = {}): z.ZodType<Minor, number> {
  const base = z.number().finite().max(MAX_MONEY_MAJOR, { message: 'Too large', abort: true });
  return (
    positive
      ? base.gt(0, { message: 'Must be greater than 0', abort: true })
      : base.min(0, { message: 'Must not be negative', abort: true })
  )
    .refine((value) => toMajor(toMinor(value)) === value, 'At most two decimals')
    .transform((value) => toMinor(value));
}
