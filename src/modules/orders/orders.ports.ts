import type { DbClient } from '../../lib/prisma';
import type { CheckoutCoupon } from './pricing';

export interface CheckoutLine {
  productId: number;
  quantity: number;
}

/** The cart as checkout sees it (implemented by the cart module's CartService). */
export interface CheckoutCart {
  linesForCheckout(userId: number): Promise<CheckoutLine[]>;
  /** After the order committed: removes exactly these quantities. */
  removeOrderedLines(userId: number, lines: CheckoutLine[]): Promise<void>;
}

/** Coupons as checkout sees them (implemented by the coupons module; see INTERFACES.md). */
export interface CheckoutCoupons {
  resolveForCheckout(
    code: string,
    input: { userId: number; subtotalCents: number; now: Date },
  ): Promise<CheckoutCoupon>;
  /** Conditional usage increment inside the order's transaction; false when used up meanwhile. */
  redeemIfAvailable(
    tx: DbClient,
    input: { couponId: number; userId: number; orderId: string },
  ): Promise<boolean>;
  /** A cancelled order gives its use back (idempotent). */
  releaseForOrder(tx: DbClient, orderId: string): Promise<void>;
}

/** Asks the payment provider, outside any transaction, which of these unpaid orders are in fact paid. */
export interface PendingPaymentCheck {
  settleBeforeExpiry(orderIds: string[]): Promise<Set<string>>;
}
