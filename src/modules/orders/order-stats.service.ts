import { toMajor, toMinor } from '../../common/money';
import type { ProductRepository } from '../products/products.repository';
import type { OrderStatsRepository } from './order-stats.repository';
import type { OrderStatus } from './order-status';
import type { OrderStats, OrderStatsQuery } from './orders.schemas';
import { resolveStatsWindow } from './stats-window';

export interface OrderStatsOptions {
  currency: string;
  lowStockThreshold: number;
}

const TOP_PRODUCTS = 10;
const LOW_STOCK_LIMIT = 50;

const major = (amount: { toFixed(digits: number): string }) => toMajor(toMinor(amount));

/** The admin dashboard's figures: every number is a SQL aggregate (OrderStatsRepository), reshaped here. */
export class OrderStatsService {
  constructor(
    private readonly stats: OrderStatsRepository,
    private readonly products: Pick<ProductRepository, 'lowStock'>,
    private readonly options: OrderStatsOptions,
  ) {}

  async overview(query: OrderStatsQuery, now = new Date()): Promise<OrderStats> {
    const window = resolveStatsWindow(query, now);
    const range = { from: window.from, to: window.to };
    const [{ summary, byStatus, revenueSeries, topProducts }, lowStock] = await Promise.all([
      this.stats.overview(range, window, TOP_PRODUCTS),
      this.products.lowStock(this.options.lowStockThreshold, LOW_STOCK_LIMIT),
    ]);
    return {
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      granularity: window.granularity,
      currency: this.options.currency,
      totalOrders: summary.totalOrders,
      ordersByStatus: Object.fromEntries(byStatus.map((row) => [row.status, row.count])) as Record<
        OrderStatus,
        number
      >,
      revenue: major(summary.revenue),
      averageOrderValue: summary.averageOrderValue ? major(summary.averageOrderValue) : 0,
      revenueSeries: revenueSeries.map((row) => ({
        period: row.period,
        orders: row.orders,
        revenue: major(row.revenue),
      })),
      topProducts: topProducts.map((row) => ({
        productId: row.productId,
        title: row.title,
        unitsSold: Number(row.unitsSold),
        revenue: major(row.revenue),
      })),
      lowStockThreshold: this.options.lowStockThreshold,
      lowStock: lowStock.map((product) => ({
        productId: product.id,
        title: product.title,
        sku: product.sku,
        stock: product.stock,
      })),
    };
  }
}
