import { ValidationError } from '../../src/common/errors';
import { MAX_PERIODS, resolveStatsWindow, type StatsBound } from '../../src/modules/orders/stats-window';

const date = (value: string): StatsBound => ({ at: new Date(`${value}T00:00:00.000Z`), dateOnly: true });
const instant = (value: string): StatsBound => ({ at: new Date(value), dateOnly: false });
const NOW = new Date('2026-12-03T10:15:00.000Z');

const iso = (window: ReturnType<typeof resolveStatsWindow>) => ({
  from: window.from.toISOString(),
  to: window.to.toISOString(),
  firstPeriod: window.firstPeriod.toISOString(),
  lastPeriod: window.lastPeriod.toISOString(),
  periods: window.periods,
});

function validationDetails(run: () => unknown): Record<string, string[]> {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).details as Record<string, string[]>;
  }
  throw new Error('expected a ValidationError');
}

describe('resolveStatsWindow', () => {
  it('a date-only `to` is the whole UTC day; a date-only `from` its start', () => {
    expect(
      iso(resolveStatsWindow({ from: date('2026-11-01'), to: date('2026-11-03'), granularity: 'day' }, NOW)),
    ).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-03T23:59:59.999Z',
      firstPeriod: '2026-11-01T00:00:00.000Z',
      lastPeriod: '2026-11-03T00:00:00.000Z',
      periods: 3,
    });
  });

  it('instants are used as given; periods are the UTC days they touch', () => {
    const window = resolveStatsWindow(
      {
        from: instant('2026-11-01T20:30:00-02:00'),
        to: instant('2026-11-02T03:30:00+02:00'),
        granularity: 'day',
      },
      NOW,
    );
    expect(iso(window)).toEqual({
      from: '2026-11-01T22:30:00.000Z',
      to: '2026-11-02T01:30:00.000Z',
      firstPeriod: '2026-11-01T00:00:00.000Z',
      lastPeriod: '2026-11-02T00:00:00.000Z',
      periods: 2,
    });
  });

  it('defaults: to = now; from = the start of the 30th day / 12th month back, the current one included', () => {
    expect(iso(resolveStatsWindow({ granularity: 'day' }, NOW))).toEqual({
      from: '2026-11-04T00:00:00.000Z',
      to: NOW.toISOString(),
      firstPeriod: '2026-11-04T00:00:00.000Z',
      lastPeriod: '2026-12-03T00:00:00.000Z',
      periods: 30,
    });
    expect(iso(resolveStatsWindow({ granularity: 'month' }, NOW))).toMatchObject({
      from: '2026-01-01T00:00:00.000Z',
      firstPeriod: '2026-01-01T00:00:00.000Z',
      lastPeriod: '2026-12-01T00:00:00.000Z',
      periods: 12,
    });
    expect(iso(resolveStatsWindow({ to: date('2026-03-01'), granularity: 'month' }, NOW))).toMatchObject({
      from: '2025-04-01T00:00:00.000Z',
      to: '2026-03-01T23:59:59.999Z',
      periods: 12,
    });
  });

  it('month periods span years', () => {
    expect(
      resolveStatsWindow({ from: date('2025-11-15'), to: date('2026-02-01'), granularity: 'month' }, NOW)
        .periods,
    ).toBe(4);
  });

  it('from after to → 400 on `from`; from = to is one instant', () => {
    expect(
      validationDetails(() =>
        resolveStatsWindow({ from: date('2026-11-04'), to: date('2026-11-03'), granularity: 'day' }, NOW),
      ),
    ).toHaveProperty('from');
    const t = instant('2026-11-03T10:00:00.000Z');
    expect(resolveStatsWindow({ from: t, to: t, granularity: 'day' }, NOW).periods).toBe(1);
  });

  it.each([
    ['day', '2024-01-01', '2024-12-31', '2025-01-01'],
    ['month', '2017-01-01', '2026-12-31', '2027-01-01'],
  ] as const)('%s: at most MAX_PERIODS, one more → 400 on `to`', (granularity, from, lastOk, tooFar) => {
    expect(resolveStatsWindow({ from: date(from), to: date(lastOk), granularity }, NOW).periods).toBe(
      MAX_PERIODS[granularity],
    );
    expect(
      validationDetails(() => resolveStatsWindow({ from: date(from), to: date(tooFar), granularity }, NOW)),
    ).toHaveProperty('to');
  });
});
