import { z } from 'zod';

export const NUL_MESSAGE = 'Must not contain NUL characters';
export const LONE_SURROGATE_MESSAGE = 'Must not contain unpaired UTF-16 surrogates';
const UNSTORABLE_KEY_MESSAGE = 'Field names must not contain NUL characters or unpaired UTF-16 surrogates';

/** With the `u` flag a surrogate pair is one code point, so only an unpaired half matches `\p{Cs}`. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Why a string cannot be stored, or `undefined` when it can. PostgreSQL `text` cannot hold NUL (22021) and neither
 * UTF-8 nor `jsonb` can hold half of a UTF-16 surrogate pair, so both are refused at the edge instead of failing in
 * the database with a 500.
 */
export function unstorableCharacters(value: string): string | undefined {
  if (value.includes('\u0000')) return NUL_MESSAGE;
  if (LONE_SURROGATE.test(value)) return LONE_SURROGATE_MESSAGE;
  return undefined;
}

/** A string without NUL or unpaired surrogates; untrimmed (passwords, tokens, cursors keep every character). */
export function storableString() {
  return z
    .string()
    .refine((value) => !value.includes('\u0000'), NUL_MESSAGE)
    .refine((value) => !LONE_SURROGATE.test(value), LONE_SURROGATE_MESSAGE);
}

export interface TextOptions {
  /** Accept `''` (after trimming), e.g. a description that may be blank. Default: must not be empty. */
  allowEmpty?: boolean;
}

/** The text field of every module: trimmed, at most `max` characters, not empty unless allowed, storable. */
export function text(max: number, options: TextOptions = {}) {
  // Trimming never removes NUL or a surrogate, so checking before it is the same as after.
  const trimmed = storableString().trim().max(max);
  return options.allowEmpty ? trimmed : trimmed.min(1, 'Must not be empty');
}

/** A place in a request (`body`, `query`, `params`) and the dotted path of one string in it that cannot be stored. */
export interface UnstorableString {
  path: string;
  message: string;
}

interface Visit {
  value: unknown;
  key?: string;
  parent?: Visit;
}

function dottedPath(visit: Visit, location: string): string {
  const keys: string[] = [];
  for (let at: Visit | undefined = visit; at?.key !== undefined; at = at.parent) keys.push(at.key);
  return keys.length > 0 ? keys.reverse().join('.') : location;
}

/**
 * Every string in a parsed request part, keys included, whose characters cannot be stored: the check the API edge
 * runs on all input, declared by a schema or not, so a field a module forgets to declare with `text()` is safe too.
 * Walked iteratively (the JSON parser accepts deep nesting; the body limit bounds the size).
 */
export function findUnstorableStrings(value: unknown, location: string): UnstorableString[] {
  const found: UnstorableString[] = [];
  const stack: Visit[] = [{ value }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const current = visit.value;
    if (typeof current === 'string') {
      const message = unstorableCharacters(current);
      if (message) found.push({ path: dottedPath(visit, location), message });
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        if (unstorableCharacters(key)) {
          found.push({ path: dottedPath(visit, location), message: UNSTORABLE_KEY_MESSAGE });
        } else {
          stack.push({ value: item, key, parent: visit });
        }
      }
    }
  }
  return found;
}
