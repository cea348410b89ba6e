import { statusChangeEmail, type MailedOrder } from '../../src/modules/orders/order-emails';
import { ORDER_STATUSES } from '../../src/modules/orders/order-status';

const order = (status: MailedOrder['status']): MailedOrder => ({
  id: 'b6a1c7e2-0000-4000-8000-000000000001',
  orderNumber: 'ORD-20261121-7F3K9Q',
  status,
  email: 'ada@example.test',
  firstName: 'Ada',
  currency: 'USD',
  total: '58.03',
});
const ref = { firstName: 'Ada', orderId: order('PENDING').id, orderNumber: 'ORD-20261121-7F3K9Q' };

describe('statusChangeEmail', () => {
  test('PAID sends the payment-received mail with the order total in minor units', () => {
    expect(statusChangeEmail(order('PENDING'), 'PAID', { note: null })).toEqual({
      template: 'payment-received',
      to: 'ada@example.test',
      data: { ...ref, currency: 'USD', amount: 5803 },
    });
  });

  test.each([
    ['PENDING', false],
    ['PAID', true],
    ['PROCESSING', true],
  ] as const)('CANCELLED from %s: the reason, refund due %s', (from, refundDue) => {
    expect(statusChangeEmail(order(from), 'CANCELLED', { note: 'Changed my mind' })).toEqual({
      template: 'order-cancelled',
      to: 'ada@example.test',
      data: { ...ref, reason: 'Changed my mind', refundDue, currency: 'USD', total: 5803 },
    });
  });

  test('SHIPPED carries carrier, tracking number and estimated delivery', () => {
    expect(
      statusChangeEmail(order('PROCESSING'), 'SHIPPED', {
        note: null,
        carrier: 'UPS',
        trackingNumber: '1Z999',
        estimatedDelivery: new Date('2026-12-24T00:00:00.000Z'),
      }),
    ).toEqual({
      template: 'order-status-changed',
      to: 'ada@example.test',
      data: {
        ...ref,
        status: 'SHIPPED',
        previousStatus: 'PROCESSING',
        carrier: 'UPS',
        trackingNumber: '1Z999',
        estimatedDelivery: '2026-12-24T00:00:00.000Z',
        note: null,
      },
    });
  });

  test.each(['PROCESSING', 'DELIVERED'] as const)('%s sends a status mail', (to) => {
    expect(statusChangeEmail(order('PAID'), to, { note: 'x' })).toMatchObject({
      template: 'order-status-changed',
      data: { status: to, note: 'x', carrier: null, trackingNumber: null, estimatedDelivery: null },
    });
  });

  test('REFUNDED (an admin’s manual refund) announces the full total', () => {
    expect(statusChangeEmail(order('DELIVERED'), 'REFUNDED', { note: 'Returned' })).toEqual({
      template: 'order-refunded',
      to: 'ada@example.test',
      data: { ...ref, currency: 'USD', amount: 5803, totalRefunded: 5803, full: true, reason: 'Returned' },
    });
  });

  test('every status but PENDING has exactly one mail', () => {
    for (const to of ORDER_STATUSES) {
      const mail = statusChangeEmail(order('PENDING'), to, { note: null });
      if (to === 'PENDING') expect(mail).toBeNull();
      else expect(mail?.to).toBe('ada@example.test');
    }
  });
});
