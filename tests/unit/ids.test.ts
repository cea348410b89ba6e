import { idParams, integerId } from '../../src/common/ids';

describe('integerId', () => {
  test('takes plain positive decimal 32-bit integers', () => {
    expect(integerId.parse('7')).toBe(7);
    expect(integerId.parse('2147483647')).toBe(2147483647);
    expect(idParams.parse({ id: '12' })).toEqual({ id: 12 });
  });

  test.each([
    '0',
    '-1',
    '07',
    ' 7',
    '7 ',
    '0x10',
    '1e3',
    '1.5',
    '+7',
    'abc',
    '2147483648',
    '',
    '1e3x',
    '\u00007',
  ])('refuses %j', (id) => {
    expect(idParams.safeParse({ id }).success).toBe(false);
  });
});
