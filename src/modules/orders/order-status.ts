import { UnprocessableError } from '../../common/errors';

export const ORDER_STATUSES = [
  'PENDING',
  'PAID',
  'PROCESSING',
  'SHIPPED',
  'DELIVERED',
  'CANCELLED',
  'REFUNDED',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * The contract's status machine, the only place it is written down: every path that changes an order's status
 * (placement aside) asks this table first.
 */
const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  PENDING: ['PAID', 'CANCELLED'],
  PAID: ['PROCESSING', 'CANCELLED', 'REFUNDED'],
  PROCESSING: ['SHIPPED', 'CANCELLED', 'REFUNDED'],
  SHIPPED: ['DELIVERED'],
  DELIVERED: ['REFUNDED'],
  CANCELLED: [],
  REFUNDED: [],
};

export class OrderStatusTransitionError extends UnprocessableError {
  constructor(
    readonly from: OrderStatus,
    readonly to: OrderStatus,
  ) {
    super('INVALID_STATUS_TRANSITION', `An order cannot go from ${from} to ${to}`, {
      from,
      to,
      allowed: [...TRANSITIONS[from]],
    });
  }
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw new OrderStatusTransitionError(from, to);
}

/** The statuses an order may be in for `to` to be reached: the `WHERE status IN (…)` of a conditional update. */
export function statusesLeadingTo(to: OrderStatus): OrderStatus[] {
  return ORDER_STATUSES.filter((from) => canTransition(from, to));
}

/**
 * Orders whose money the shop holds: paid and later on the happy path. CANCELLED and REFUNDED orders gave (or are
 * giving) the money back, PENDING ones never took it. Revenue, average order value and a customer's total spent count
 * these orders only, less what was refunded of them in part.
 */
export const REVENUE_STATUSES: readonly OrderStatus[] = ['PAID', 'PROCESSING', 'SHIPPED', 'DELIVERED'];
