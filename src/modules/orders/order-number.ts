import { randomInt } from 'node:crypto';

// No 0/O or 1/I: order numbers are read out over the phone.
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** `ORD-YYYYMMDD-XXXXXX` (UTC date, 6 random characters: 32^6 ≈ 10^9 per day; the unique index catches a clash). */
export function newOrderNumber(now: Date = new Date()): string {
  const date = now.toISOString().slice(0, 10).replaceAll('-', '');
  let suffix = '';
  for (let i = 0; i < 6; i += 1) suffix += ALPHABET[randomInt(ALPHABET.length)];
  return `ORD-${date}-${suffix}`;
}
