import type { DbClient } from '../../lib/prisma';
import type { EmailOutbox } from '../notifications/notifications.types';
import { crossedBelowThreshold } from './low-stock';

/** A product's stock before and after a change (an order's decrement, an admin's adjustment). */
export interface StockMovement {
  productId: number;
  title: string;
  sku: string;
  previous: number;
  stock: number;
}

/** Who gets the alert: every active admin (the users repository owns the table). */
export interface AlertRecipients {
  listActiveAdmins(tx: DbClient): Promise<Array<{ email: string; firstName: string }>>;
}

/**
 * Writes a low-stock mail to every active admin, in the transaction of the change, for each crossing movement: two
 * statements (the admins, one INSERT of every mail), as they run while the decremented rows are still locked.
 */
export class LowStockAlerts {
  constructor(
    private readonly recipients: AlertRecipients,
    private readonly outbox: EmailOutbox,
    private readonly threshold: number,
  ) {}

  async afterStockChange(tx: DbClient, movements: StockMovement[]): Promise<void> {
    const crossed = movements.filter((m) => crossedBelowThreshold(m.previous, m.stock, this.threshold));
    if (crossed.length === 0) return;
    const admins = await this.recipients.listActiveAdmins(tx);
    await this.outbox.queueEmails(
      crossed.flatMap((movement) =>
        admins.map((admin) => ({
          template: 'low-stock' as const,
          to: admin.email,
          data: {
            firstName: admin.firstName,
            productId: movement.productId,
            title: movement.title,
            sku: movement.sku,
            stock: movement.stock,
            threshold: this.threshold,
          },
        })),
      ),
      tx,
    );
  }
}
