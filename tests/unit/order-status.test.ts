import {
  assertTransition,
  canTransition,
  ORDER_STATUSES,
  OrderStatusTransitionError,
  statusesLeadingTo,
  type OrderStatus,
} from '../../src/modules/orders/order-status';

// The contract, written out pair by pair: anything not listed is refused.
const ALLOWED = new Set<string>([
  'PENDING>PAID',
  'PAID>PROCESSING',
  'PROCESSING>SHIPPED',
  'SHIPPED>DELIVERED',
  'PENDING>CANCELLED',
  'PAID>CANCELLED',
  'PROCESSING>CANCELLED',
  'PAID>REFUNDED',
  'PROCESSING>REFUNDED',
  'DELIVERED>REFUNDED',
]);

const pairs: Array<[OrderStatus, OrderStatus]> = ORDER_STATUSES.flatMap((from) =>
  ORDER_STATUSES.map((to): [OrderStatus, OrderStatus] => [from, to]),
);

describe('order status machine', () => {
  it.each(pairs)('%s → %s follows the contract', (from, to) => {
    const allowed = ALLOWED.has(`${from}>${to}`);
    expect(canTransition(from, to)).toBe(allowed);
    if (allowed) {
      expect(() => assertTransition(from, to)).not.toThrow();
    } else {
      let thrown: unknown;
      try {
        assertTransition(from, to);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(OrderStatusTransitionError);
      expect(thrown).toMatchObject({ status: 422, code: 'INVALID_STATUS_TRANSITION', details: { from, to } });
    }
  });

  it('lists the statuses each target is reachable from', () => {
    expect(statusesLeadingTo('CANCELLED')).toEqual(['PENDING', 'PAID', 'PROCESSING']);
    expect(statusesLeadingTo('REFUNDED')).toEqual(['PAID', 'PROCESSING', 'DELIVERED']);
    expect(statusesLeadingTo('PENDING')).toEqual([]);
  });
});
