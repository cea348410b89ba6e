/**
 * Money is integer minor units (cents) inside the application and 2-decimal numbers at the edge.
 * Conversions go through strings, never through float multiplication (19.99 * 100 !== 1999).
 */
export type Minor = number;

interface DecimalLike {
  toFixed(digits: number): string;
}

/** 19.99 | "19.99" | Decimal("19.99") → 1999. Rounds half away from zero at the third decimal. */
export function toMinor(value: number | string | DecimalLike): Minor {
  const text =
    typeof value === 'object' ? value.toFixed(2) : typeof value === 'number' ? value.toFixed(2) : value;
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new TypeError(`Not a money amount: ${text}`);
  const [, sign, whole, fraction = ''] = match;
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
  const roundUp = fraction.length > 2 && Number(fraction[2]) >= 5 ? 1 : 0;
  const magnitude = cents + roundUp;
  return sign === '-' ? -magnitude : magnitude;
}

/** 1999 → 19.99 (a JSON number with at most two decimals). */
export function toMajor(minor: Minor): number {
  return Number((minor / 100).toFixed(2));
}

/** 1999 → "19.99", for Decimal columns. */
export function toDecimalString(minor: Minor): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A percentage of an amount in minor units, rounded half up to the cent: percentOf(1999, 8) → 160. */
export function percentOf(minor: Minor, percent: number): Minor {
  // Percent has at most two decimals: scale to basis points so the product stays an integer.
  const basisPoints = Math.round(percent * 100);
  return Math.round((minor * basisPoints) / 10_000);
}

/**
 * The price a customer pays for one unit: the list price less its discount percentage, the discount rounded half up
 * to the cent (discountedPrice(1999, 12.5) → 1999 - 250 = 1749). The one place this rule lives: cart and orders
 * both price a unit through it.
 */
export function discountedPrice(priceMinor: Minor, discountPercentage: number): Minor {
  return priceMinor - percentOf(priceMinor, discountPercentage);
}
