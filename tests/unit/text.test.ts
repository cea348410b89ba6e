import {
  findUnstorableStrings,
  LONE_SURROGATE_MESSAGE,
  NUL_MESSAGE,
  storableString,
  text,
  unstorableCharacters,
} from '../../src/common/text';

const messages = (result: { success: boolean; error?: { issues: Array<{ message: string }> } }) =>
  result.error?.issues.map((issue) => issue.message) ?? [];

describe('unstorableCharacters', () => {
  test.each([
    ['plain', 'hello', undefined],
    ['emoji (a surrogate pair)', 'cart 🛒', undefined],
    ['RTL override and control characters', '\u202eevil\u0001\r\n', undefined],
    ['NUL', 'Ap\u0000ple', NUL_MESSAGE],
    ['only NUL', '\u0000', NUL_MESSAGE],
    ['lone high surrogate', 'a\ud800b', LONE_SURROGATE_MESSAGE],
    ['lone low surrogate', 'a\udc00b', LONE_SURROGATE_MESSAGE],
    ['high surrogate at the end', 'ab\ud83d', LONE_SURROGATE_MESSAGE],
    ['swapped pair', '\ude00\ud83d', LONE_SURROGATE_MESSAGE],
    ['a pair then a lone half', '\ud800\udc00\ud800', LONE_SURROGATE_MESSAGE],
  ])('%s', (_name, value, expected) => {
    expect(unstorableCharacters(value)).toBe(expected);
  });
});

describe('text(max)', () => {
  test('trims, then requires 1..max characters', () => {
    expect(text(5).parse('  abc  ')).toBe('abc');
    expect(messages(text(5).safeParse('   '))).toEqual(['Must not be empty']);
    expect(text(5).safeParse('abcdef').success).toBe(false);
    expect(text(5).parse(' 🛒 ')).toBe('🛒');
  });

  test('allowEmpty accepts a blank value', () => {
    expect(text(5, { allowEmpty: true }).parse('   ')).toBe('');
  });

  test('rejects NUL and lone surrogates with a clear message', () => {
    expect(messages(text(50).safeParse('Ap\u0000ple'))).toEqual([NUL_MESSAGE]);
    expect(messages(text(50).safeParse('a\ud800b'))).toEqual([LONE_SURROGATE_MESSAGE]);
    expect(messages(text(50, { allowEmpty: true }).safeParse('\u0000'))).toEqual([NUL_MESSAGE]);
  });

  test('chains like any zod string', () => {
    expect(text(20).toLowerCase().parse(' Smart-Phones ')).toBe('smart-phones');
    expect(text(20).toLowerCase().safeParse('sm\u0000art').success).toBe(false);
  });
});

describe('storableString()', () => {
  test('keeps surrounding spaces (passwords) but rejects NUL and lone surrogates', () => {
    expect(storableString().parse(' pass word ')).toBe(' pass word ');
    expect(messages(storableString().safeParse('pa\u0000ss'))).toEqual([NUL_MESSAGE]);
    expect(messages(storableString().safeParse('pa\udfffss'))).toEqual([LONE_SURROGATE_MESSAGE]);
  });
});

describe('findUnstorableStrings', () => {
  test('reports every offending string with its dotted path, at any depth', () => {
    const found = findUnstorableStrings(
      {
        title: 'ok',
        brand: 'Ap\u0000ple',
        images: ['fine', 'x\ud800'],
        nested: { deeper: [{ note: '\u0000' }] },
        count: 3,
        none: null,
      },
      'body',
    );
    expect(found.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'brand', message: NUL_MESSAGE },
      { path: 'images.1', message: LONE_SURROGATE_MESSAGE },
      { path: 'nested.deeper.0.note', message: NUL_MESSAGE },
    ]);
  });

  test('a bare string is reported at its location; keys are checked too', () => {
    expect(findUnstorableStrings('a\u0000', 'body')).toEqual([{ path: 'body', message: NUL_MESSAGE }]);
    expect(findUnstorableStrings({ 'br\u0000and': 'x' }, 'query')).toEqual([
      { path: 'query', message: expect.stringContaining('Field names') },
    ]);
    expect(findUnstorableStrings({ a: { 'k\ud800': 1 } }, 'body')).toEqual([
      { path: 'a', message: expect.stringContaining('Field names') },
    ]);
  });

  test('clean and non-object input finds nothing', () => {
    expect(findUnstorableStrings(undefined, 'body')).toEqual([]);
    expect(findUnstorableStrings({ a: ['b', { c: '🛒' }], d: 1, e: true }, 'body')).toEqual([]);
  });

  test('deep nesting is walked without recursion', () => {
    let value: unknown = 'leaf\u0000';
    for (let i = 0; i < 20_000; i += 1) value = [value];
    const found = findUnstorableStrings(value, 'body');
    expect(found).toHaveLength(1);
    expect(found[0].path.split('.')).toHaveLength(20_000);
  });
});
