import { toMinor } from '../../common/money';
import type { ActorContext } from '../../common/request-context';
import { renderInvoice } from './invoice';
import type { OrderService } from './orders.service';

/** Invoices of orders, rendered from their snapshots; who may see which order is OrderService.get's rule. */
export class OrderInvoiceService {
  constructor(
    private readonly orders: Pick<OrderService, 'get'>,
    private readonly options: { shopName: string },
  ) {}

  async render(context: ActorContext, orderId: string): Promise<{ filename: string; pdf: Buffer }> {
    const order = await this.orders.get(context, orderId);
    const pdf = await renderInvoice({
      shopName: this.options.shopName,
      orderNumber: order.orderNumber,
      placedAt: new Date(order.createdAt),
      status: order.status,
      currency: order.currency,
      lines: order.items.map((item) => ({
        title: item.title,
        sku: item.sku,
        quantity: item.quantity,
        unitPrice: toMinor(item.unitPrice),
        lineTotal: toMinor(item.lineTotal),
      })),
      subtotal: toMinor(order.subtotal),
      discount: toMinor(order.discount),
      couponCode: order.couponCode,
      tax: toMinor(order.tax),
      shipping: toMinor(order.shipping),
      total: toMinor(order.total),
      shippingAddress: order.shippingAddress,
    });
    return { filename: `invoice-${order.orderNumber}.pdf`, pdf };
  }
}
