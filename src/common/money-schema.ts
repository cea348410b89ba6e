import { z } from 'zod';
import { toMajor, toMinor, type Minor } from './money';

/** The largest amount a Decimal(12,2) column holds, in major units. */
export const MAX_MONEY_MAJOR = 9_999_999_999.99;

/**
 * A JSON amount in major units with at most two decimals → integer minor units. The range is checked first: a
 * number above it may print in exponent form (1e21), which is not an amount at all.
 */
export function moneyAmount({ positive = false }: { positive?: boolean } = {}): z.ZodType<Minor, number> {
  const base = z.number().finite().max(MAX_MONEY_MAJOR, 'Too large');
  return (positive ? base.gt(0, 'Must be greater than 0') : base.min(0, 'Must not be negative'))
    .refine((value) => value > MAX_MONEY_MAJOR || toMajor(toMinor(value)) === value, 'At most two decimals')
    .transform((value) => toMinor(value));
}
