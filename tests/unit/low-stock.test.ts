import { crossedBelowThreshold } from '../../src/modules/products/low-stock';

describe('crossedBelowThreshold', () => {
  test.each([
    [10, 4, true], // from above to below
    [5, 4, true], // from exactly the threshold to below
    [6, 5, false], // down to the threshold: not below it
    [4, 3, false], // already below: no second alert
    [4, 8, false], // a restock
    [3, 3, false],
    [5, 0, true],
  ])('%i → %i with threshold 5: %s', (previous, stock, expected) => {
    expect(crossedBelowThreshold(previous, stock, 5)).toBe(expected);
  });

  test('a threshold of 0 never alerts', () => {
    expect(crossedBelowThreshold(1, 0, 0)).toBe(false);
    expect(crossedBelowThreshold(0, 0, 0)).toBe(false);
  });
});
