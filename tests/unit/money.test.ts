import { discountedPrice, percentOf, toDecimalString, toMajor, toMinor } from '../../src/common/money';

describe('money', () => {
  it('converts major to minor units without float error', () => {
    expect(toMinor(19.99)).toBe(1999);
    expect(toMinor('0.29')).toBe(29);
    expect(toMinor('1.005')).toBe(101);
    expect(toMinor({ toFixed: () => '12.30' })).toBe(1230);
    expect(toMinor('-4.5')).toBe(-450);
    expect(toMinor('7')).toBe(700);
  });

  it('rejects text that is not an amount', () => {
    expect(() => toMinor('12,30')).toThrow(TypeError);
    expect(() => toMinor('abc')).toThrow(TypeError);
  });

  it('converts minor to major numbers and decimal strings', () => {
    expect(toMajor(1999)).toBe(19.99);
    expect(toMajor(5)).toBe(0.05);
    expect(toDecimalString(1999)).toBe('19.99');
    expect(toDecimalString(5)).toBe('0.05');
    expect(toDecimalString(-105)).toBe('-1.05');
  });

  it('sums cents exactly where floats would drift', () => {
    const lines = [toMinor(0.1), toMinor(0.2)];
    expect(toMajor(lines.reduce((a, b) => a + b, 0))).toBe(0.3);
  });

  it('takes percentages with half-up rounding to the cent', () => {
    expect(percentOf(1999, 8)).toBe(160);
    expect(percentOf(10000, 12.5)).toBe(1250);
    expect(percentOf(1, 50)).toBe(1);
  });

  it('prices a unit after its discount, the discount rounded half up to the cent', () => {
    expect(discountedPrice(1999, 12.5)).toBe(1749); // 249.875 → 250 off
    expect(discountedPrice(1000, 0)).toBe(1000);
    expect(discountedPrice(1000, 100)).toBe(0);
    expect(discountedPrice(999, 10)).toBe(899); // 99.9 → 100 off
    expect(discountedPrice(101, 50)).toBe(50); // 50.5 → 51 off
    expect(discountedPrice(1, 49.99)).toBe(1); // 0.4999 → 0 off
    expect(discountedPrice(1, 50)).toBe(0);
  });

  it('keeps line totals exact: unit price × quantity in cents', () => {
    expect(toMajor(discountedPrice(1999, 12.5) * 3)).toBe(52.47);
    expect(toMajor(discountedPrice(toMinor('0.10'), 0) * 3)).toBe(0.3);
  });
});
