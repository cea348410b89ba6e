import { Prisma, type Db } from '../../lib/prisma';
import type { OrderStatus } from './order-status';
import { REVENUE_STATUSES } from './order-status';
import type { StatsGranularity } from './stats-window';

/** A Decimal-like exact amount as the driver returns a numeric column. */
interface Amount {
  toFixed(digits: number): string;
}

export interface StatsSummaryRow {
  totalOrders: number;
  revenueOrders: number;
  revenue: Amount;
  averageOrderValue: Amount | null;
}

export interface StatusCountRow {
  status: OrderStatus;
  count: number;
}

export interface RevenuePeriodRow {
  period: string;
  orders: number;
  revenue: Amount;
}

export interface TopProductRow {
  productId: number;
  title: string;
  unitsSold: bigint;
  revenue: Amount;
}

export interface CustomerOrderSummary {
  totalOrders: number;
  totalSpent: Amount;
  lastOrder: { id: string; orderNumber: string; status: OrderStatus; total: Amount; createdAt: Date } | null;
}

export interface StatsRange {
  from: Date;
  to: Date;
}

/** Whitelisted SQL for each granularity (date_trunc's field, the series step, the period label). */
const PERIOD_SQL: Record<StatsGranularity, { field: Prisma.Sql; step: Prisma.Sql; label: Prisma.Sql }> = {
  day: {
    field: Prisma.raw(`'day'`),
    step: Prisma.raw(`interval '1 day'`),
    label: Prisma.raw(`'YYYY-MM-DD'`),
  },
  month: {
    field: Prisma.raw(`'month'`),
    step: Prisma.raw(`interval '1 month'`),
    label: Prisma.raw(`'YYYY-MM'`),
  },
};

const revenueStatus = Prisma.sql`o.status = ANY(${[...REVENUE_STATUSES]}::"OrderStatus"[])`;

/**
 * What the shop kept of order `o`: its total less what was refunded of its payments (a partial refund leaves the
 * order in its status). The one place this amount is written.
 */
const keptAmount = Prisma.sql`(o.total - COALESCE(
  (SELECT SUM(p.amount_refunded) FROM payments p WHERE p.order_id = o.id), 0))`;

/** created_at is timestamp(3) in UTC: an inclusive millisecond range is exact. */
const inRange = (range: StatsRange) =>
  Prisma.sql`o.created_at BETWEEN ${range.from}::timestamp AND ${range.to}::timestamp`;

/**
 * The aggregate reads over orders and their lines: admin statistics and a customer's totals. Every figure is a SQL
 * aggregate; the application only reshapes rows.
 */
export class OrderStatsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Order counts, revenue and average order value, counts by status and the revenue series, read in one
   * REPEATABLE READ snapshot so the figures agree with each other.
   */
  async overview(
    range: StatsRange,
    series: { granularity: StatsGranularity; firstPeriod: Date; lastPeriod: Date },
    topLimit: number,
  ): Promise<{
    summary: StatsSummaryRow;
    byStatus: StatusCountRow[];
    revenueSeries: RevenuePeriodRow[];
    topProducts: TopProductRow[];
  }> {
    const period = PERIOD_SQL[series.granularity];
    const [summary, byStatus, revenueSeries, topProducts] = await this.db.$transaction(
      [
        this.db.$queryRaw<StatsSummaryRow[]>`
          SELECT COUNT(*)::int AS "totalOrders",
                 COUNT(kept)::int AS "revenueOrders",
                 COALESCE(SUM(kept), 0)::numeric(14, 2) AS revenue,
                 ROUND(AVG(kept), 2) AS "averageOrderValue"
            FROM (SELECT CASE WHEN ${revenueStatus} THEN ${keptAmount} END AS kept
                    FROM orders o
                   WHERE ${inRange(range)}) scoped`,
        this.db.$queryRaw<StatusCountRow[]>`
          SELECT s.status::text AS status, COUNT(o.id)::int AS count
            FROM unnest(enum_range(NULL::"OrderStatus")) AS s(status)
            LEFT JOIN orders o ON o.status = s.status AND ${inRange(range)}
           GROUP BY s.status
           ORDER BY s.status`,
        this.db.$queryRaw<RevenuePeriodRow[]>`
          WITH periods AS (
            SELECT generate_series(${series.firstPeriod}::timestamp, ${series.lastPeriod}::timestamp, ${period.step})
                   AS period
          ), kept AS (
            SELECT date_trunc(${period.field}, o.created_at) AS period, ${keptAmount} AS amount
              FROM orders o
             WHERE ${inRange(range)} AND ${revenueStatus}
          )
          SELECT to_char(periods.period, ${period.label}) AS period,
                 COUNT(kept.amount)::int AS orders,
                 COALESCE(SUM(kept.amount), 0)::numeric(14, 2) AS revenue
            FROM periods LEFT JOIN kept ON kept.period = periods.period
           GROUP BY periods.period
           ORDER BY periods.period`,
        this.db.$queryRaw<TopProductRow[]>`
          SELECT oi.product_id AS "productId",
                 (array_agg(oi.title ORDER BY o.created_at DESC, oi.id DESC))[1] AS title,
                 SUM(oi.quantity)::bigint AS "unitsSold",
                 SUM(oi.line_total)::numeric(14, 2) AS revenue
            FROM order_items oi JOIN orders o ON o.id = oi.order_id
           WHERE ${inRange(range)} AND ${revenueStatus}
           GROUP BY oi.product_id
           ORDER BY "unitsSold" DESC, revenue DESC, "productId"
           LIMIT ${topLimit}`,
      ],
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead },
    );
    return { summary: summary[0], byStatus, revenueSeries, topProducts };
  }

  /**
   * A customer's number of orders (any status: what they placed), what they spent (revenue orders, less refunds)
   * and their latest order.
   */
  async customerSummary(userId: number): Promise<CustomerOrderSummary> {
    const [[totals], lastOrder] = await Promise.all([
      this.db.$queryRaw<Array<Omit<CustomerOrderSummary, 'lastOrder'>>>`
        SELECT COUNT(*)::int AS "totalOrders",
               COALESCE(SUM(${keptAmount}) FILTER (WHERE ${revenueStatus}), 0)::numeric(14, 2) AS "totalSpent"
          FROM orders o
         WHERE o.user_id = ${userId}`,
      this.db.order.findFirst({
        where: { userId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        select: { id: true, orderNumber: true, status: true, total: true, createdAt: true },
      }),
    ]);
    return { ...totals, lastOrder };
  }
}
