import { ValidationError } from '../../common/errors';

export const STATS_GRANULARITIES = ['day', 'month'] as const;
export type StatsGranularity = (typeof STATS_GRANULARITIES)[number];

/** A `from`/`to` query value: a calendar date (`2026-12-03`, a whole UTC day) or an instant. */
export interface StatsBound {
  at: Date;
  dateOnly: boolean;
}

/** The time range of the admin statistics: inclusive at both ends, to the millisecond (orders' created_at precision). */
export interface StatsWindow {
  from: Date;
  to: Date;
  granularity: StatsGranularity;
  /** Start of the first and of the last period of the revenue series (UTC). */
  firstPeriod: Date;
  lastPeriod: Date;
  periods: number;
}

/** Longest series one request may ask for: a year of days, ten years of months. */
export const MAX_PERIODS: Record<StatsGranularity, number> = { day: 366, month: 120 };
/** Without `from`: the last 30 days, or the last 12 months, each including the current one. */
const DEFAULT_PERIODS: Record<StatsGranularity, number> = { day: 30, month: 12 };

const DAY_MS = 86_400_000;

function periodStart(at: Date, granularity: StatsGranularity): Date {
  return granularity === 'day'
    ? new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()))
    : new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

function addPeriods(start: Date, count: number, granularity: StatsGranularity): Date {
  return granularity === 'day'
    ? new Date(start.getTime() + count * DAY_MS)
    : new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + count, 1));
}

function periodsBetween(first: Date, last: Date, granularity: StatsGranularity): number {
  return granularity === 'day'
    ? Math.round((last.getTime() - first.getTime()) / DAY_MS) + 1
    : (last.getUTCFullYear() - first.getUTCFullYear()) * 12 + last.getUTCMonth() - first.getUTCMonth() + 1;
}

/**
 * Resolves the statistics range from the query: a date-only `to` means the end of that UTC day, a missing `to` is
 * now, a missing `from` the start of the default span ending at `to`. `from` after `to`, or more periods than
 * MAX_PERIODS, is a 400.
 */
export function resolveStatsWindow(
  query: { from?: StatsBound; to?: StatsBound; granularity: StatsGranularity },
  now: Date,
): StatsWindow {
  const { granularity } = query;
  const to = query.to
    ? query.to.dateOnly
      ? new Date(query.to.at.getTime() + DAY_MS - 1)
      : query.to.at
    : now;
  const lastPeriod = periodStart(to, granularity);
  const from = query.from
    ? query.from.at
    : addPeriods(lastPeriod, 1 - DEFAULT_PERIODS[granularity], granularity);
  if (from.getTime() > to.getTime()) {
    throw new ValidationError({ from: ['Must not be after `to`'] });
  }
  const firstPeriod = periodStart(from, granularity);
  const periods = periodsBetween(firstPeriod, lastPeriod, granularity);
  if (periods > MAX_PERIODS[granularity]) {
    throw new ValidationError({
      to: [
        `At most ${MAX_PERIODS[granularity]} ${granularity}s from \`from\` with granularity=${granularity}`,
      ],
    });
  }
  return { from, to, granularity, firstPeriod, lastPeriod, periods };
}
