import {
  escapeHtml,
  formatMoney,
  isEmailMessage,
  renderEmail,
  storefrontLink,
  templateContext,
} from '../../src/modules/notifications/email-templates';
import type { EmailMessage } from '../../src/modules/notifications/notifications.types';

const ctx = templateContext({
  STOREFRONT_URL: 'https://shop.example.test/',
  SHOP_NAME: 'Acme Shop',
  SUPPORT_EMAIL: 'help@acme.test',
});
const ORDER = {
  firstName: 'Ada',
  orderId: 'b6a1c7e2-0000-4000-8000-000000000001',
  orderNumber: 'ORD-20261121-7F3K9Q',
};
const ORDER_URL = 'https://shop.example.test/orders/b6a1c7e2-0000-4000-8000-000000000001';
const to = 'a@example.test';

const confirmation: EmailMessage = {
  template: 'order-confirmation',
  to,
  data: {
    ...ORDER,
    currency: 'USD',
    items: [{ title: 'Mug', quantity: 2, unitPrice: 999, lineTotal: 1998 }],
    subtotal: 1998,
    discount: 200,
    tax: 144,
    shipping: 999,
    total: 2941,
  },
};

const messages: EmailMessage[] = [
  { template: 'verify-email', to, data: { firstName: 'Ada', token: 't1' } },
  { template: 'password-reset', to, data: { firstName: 'Ada', token: 't2' } },
  { template: 'password-changed', to, data: { firstName: 'Ada' } },
  { template: 'account-deleted', to, data: { firstName: 'Ada' } },
  confirmation,
  { template: 'payment-received', to, data: { ...ORDER, currency: 'USD', amount: 2941 } },
  { template: 'order-status-changed', to, data: { ...ORDER, status: 'PROCESSING' } },
  {
    template: 'order-status-changed',
    to,
    data: { ...ORDER, status: 'SHIPPED', carrier: 'UPS', trackingNumber: '1Z999' },
  },
  { template: 'order-status-changed', to, data: { ...ORDER, status: 'DELIVERED' } },
  {
    template: 'order-cancelled',
    to,
    data: { ...ORDER, reason: 'Changed my mind', refundDue: false, currency: 'USD', total: 2941 },
  },
  {
    template: 'order-refunded',
    to,
    data: { ...ORDER, currency: 'USD', amount: 1000, totalRefunded: 1000, full: false },
  },
  {
    template: 'low-stock',
    to,
    data: { firstName: 'Ada', productId: 42, title: 'Mug', sku: 'MUG-1', stock: 4, threshold: 5 },
  },
];

const render = (message: EmailMessage) => renderEmail(message, ctx);

describe('email templates', () => {
  test.each(messages.map((m, i) => [`${m.template} #${i}`, m] as const))(
    '%s renders subject, text and HTML with the greeting, the shop name and the support address',
    (_name, message) => {
      const { subject, text, html } = render(message);
      expect(subject.length).toBeGreaterThan(0);
      expect(text).toContain('Hi Ada,');
      expect(html).toContain('<p>Hi Ada,</p>');
      expect(text).toContain('— Acme Shop');
      expect(html).toContain('— Acme Shop');
      expect(text).toContain('Questions? Write to help@acme.test.');
      expect(html).toContain('href="mailto:help@acme.test"');
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(isEmailMessage(message)).toBe(true);
    },
  );

  test('account links point at the storefront', () => {
    expect(render(messages[0]).text).toContain('https://shop.example.test/verify-email?token=t1');
    expect(render(messages[0]).html).toContain('href="https://shop.example.test/verify-email?token=t1"');
    expect(render(messages[1]).text).toContain('https://shop.example.test/reset-password?token=t2');
    expect(render(messages[2]).text).toContain('https://shop.example.test/forgot-password');
    expect(storefrontLink('https://x.test/shop', '/verify-email', { token: 'a b&c' })).toBe(
      'https://x.test/shop/verify-email?token=a+b%26c',
    );
  });

  test('order confirmation: "order received" with every line and the totals', () => {
    const { subject, text, html } = render(confirmation);
    expect(subject).toBe('Acme Shop: we received your order ORD-20261121-7F3K9Q');
    expect(text).toContain('2 × Mug — $19.98');
    expect(text).toContain('Subtotal: $19.98');
    expect(text).toContain('Discount: -$2.00');
    expect(text).toContain('Shipping: $9.99');
    expect(text).toContain('Tax: $1.44');
    expect(text).toContain('Total: $29.41');
    expect(text).toContain('as soon as your payment is received');
    expect(text).toContain(ORDER_URL);
    expect(html).toContain('<td style="padding:4px 8px;border-bottom:1px solid #e5e7eb">Mug</td>');
    expect(html).toContain('$9.99');
    expect(html).toContain('$29.41');
    expect(html).toContain(`href="${ORDER_URL}"`);
  });

  test('payment received names the amount and the order', () => {
    const { subject, text, html } = render(messages[5]);
    expect(subject).toBe('Acme Shop: payment received for order ORD-20261121-7F3K9Q');
    expect(text).toContain('We received your payment of $29.41 for order ORD-20261121-7F3K9Q.');
    expect(html).toContain('$29.41');
    expect(text).toContain(ORDER_URL);
  });

  test('status changes: PROCESSING, SHIPPED with carrier and tracking, DELIVERED', () => {
    expect(render(messages[6]).subject).toBe('Acme Shop: order ORD-20261121-7F3K9Q is being prepared');
    expect(render(messages[6]).text).toContain('is now being prepared');

    const shipped = render(messages[7]);
    expect(shipped.subject).toBe('Acme Shop: order ORD-20261121-7F3K9Q is on its way');
    expect(shipped.text).toContain('Carrier: UPS');
    expect(shipped.text).toContain('Tracking number: 1Z999');
    expect(shipped.text).toContain(`Track your parcel:\n${ORDER_URL}/tracking`);
    expect(shipped.html).toContain(`href="${ORDER_URL}/tracking"`);
    expect(shipped.html).toContain('<p>Tracking number: 1Z999</p>');

    const withDate = render({
      template: 'order-status-changed',
      to,
      data: { ...ORDER, status: 'SHIPPED', estimatedDelivery: '2026-12-24T00:00:00.000Z' },
    });
    expect(withDate.text).toContain('Estimated delivery: December 24, 2026');
    expect(withDate.text).not.toContain('Carrier:');

    expect(render(messages[8]).subject).toBe('Acme Shop: order ORD-20261121-7F3K9Q is delivered');
    expect(render(messages[8]).text).toContain('is now delivered');
  });

  test('cancellation: the reason, and the refund only when the order was paid', () => {
    const unpaid = render(messages[9]);
    expect(unpaid.subject).toBe('Acme Shop: order ORD-20261121-7F3K9Q was cancelled');
    expect(unpaid.text).toContain('Reason: Changed my mind');
    expect(unpaid.text).toContain('You have not been charged');
    expect(unpaid.text).not.toContain('refund');

    const paid = render({
      template: 'order-cancelled',
      to,
      data: { ...ORDER, reason: null, refundDue: true, currency: 'EUR', total: 2941 },
    });
    expect(paid.text).toContain('Your refund of €29.41 is on its way');
    expect(paid.html).toContain('Your refund of €29.41 is on its way');
    expect(paid.text).not.toContain('Reason:');
  });

  test('refund: partial names the amount and the running total, full says so', () => {
    const partial = render(messages[10]);
    expect(partial.subject).toBe('Acme Shop: partial refund for order ORD-20261121-7F3K9Q');
    expect(partial.text).toContain('We refunded $10.00 of order ORD-20261121-7F3K9Q (partial refund');
    expect(partial.text).toContain('$10.00 refunded so far');

    const full = render({
      template: 'order-refunded',
      to,
      data: { ...ORDER, currency: 'USD', amount: 1941, totalRefunded: 2941, full: true, reason: 'Damaged' },
    });
    expect(full.subject).toBe('Acme Shop: order ORD-20261121-7F3K9Q refunded');
    expect(full.text).toContain(
      'We refunded $19.41 for order ORD-20261121-7F3K9Q: the order is now refunded in full.',
    );
    expect(full.text).toContain('Reason: Damaged');
  });

  test('low-stock alert names the product, its stock, the threshold and links to it', () => {
    const { subject, text, html } = render(messages[11]);
    expect(subject).toBe('Acme Shop: low stock for Mug (4 left)');
    expect(text).toContain('Stock of Mug (SKU MUG-1, product 42) fell to 4, below the alert threshold of 5.');
    expect(html).toContain('href="https://shop.example.test/admin/products/42"');
  });

  test('money is formatted from integer minor units in each currency’s precision', () => {
    expect(formatMoney(123456, 'USD')).toBe('$1,234.56');
    expect(formatMoney(123456, 'EUR')).toBe('€1,234.56');
    expect(formatMoney(5, 'USD')).toBe('$0.05');
    expect(formatMoney(-200, 'USD')).toBe('-$2.00');
    expect(formatMoney(0, 'GBP')).toBe('£0.00');
    // Zero-decimal currencies: the minor unit is the whole unit.
    expect(formatMoney(1235, 'JPY')).toBe('¥1,235');
    expect(formatMoney(50000, 'KRW')).toBe('₩50,000');
    // Three decimals.
    expect(formatMoney(1234, 'KWD')).toBe('KWD\u00a01.234');
    // Exact for amounts beyond float precision of the major value.
    expect(formatMoney(1234567890123456, 'USD')).toBe('$12,345,678,901,234.56');
    expect(formatMoney(100, 'NOPE')).toBe('1.00 NOPE');

    const yen = render({
      ...confirmation,
      data: {
        ...confirmation.data,
        currency: 'JPY',
        items: [{ title: 'Tea', quantity: 3, unitPrice: 1200, lineTotal: 3600 }],
        subtotal: 3600,
        discount: 0,
        tax: 288,
        shipping: 0,
        total: 3888,
      },
    });
    expect(yen.text).toContain('3 × Tea — ¥3,600');
    expect(yen.text).toContain('Total: ¥3,888');
    expect(yen.text).not.toContain('Discount');
    expect(
      render({ template: 'payment-received', to, data: { ...ORDER, currency: 'JPY', amount: 3888 } }).text,
    ).toContain('payment of ¥3,888');
  });

  test('every interpolated value is HTML-escaped; the text part stays plain', () => {
    const evil = '<script>x</script>';
    const { html, text } = render({
      template: 'verify-email',
      to,
      data: { firstName: evil, token: '"><b>' },
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('"><b>');
    expect(text).toContain('Hi <script>x</script>,');
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');

    const hostile: EmailMessage[] = [
      {
        ...confirmation,
        data: {
          ...confirmation.data,
          firstName: evil,
          orderNumber: evil,
          items: [{ title: `<img src=x onerror="alert(1)">`, quantity: 1, unitPrice: 1, lineTotal: 1 }],
        },
      },
      {
        template: 'order-status-changed',
        to,
        data: {
          ...ORDER,
          firstName: evil,
          status: 'SHIPPED',
          carrier: evil,
          trackingNumber: evil,
          note: evil,
        },
      },
      {
        template: 'order-cancelled',
        to,
        data: { ...ORDER, reason: evil, refundDue: true, currency: 'USD', total: 1 },
      },
      {
        template: 'order-refunded',
        to,
        data: {
          ...ORDER,
          orderNumber: evil,
          currency: 'USD',
          amount: 1,
          totalRefunded: 1,
          full: true,
          reason: evil,
        },
      },
      {
        template: 'low-stock',
        to,
        data: { firstName: evil, productId: 1, title: evil, sku: evil, stock: 0, threshold: 5 },
      },
    ];
    for (const message of hostile) {
      const rendered = render(message);
      expect(rendered.html).not.toMatch(/<script|<img/);
      expect(rendered.html).toContain('&lt;');
    }
    const shop = renderEmail(messages[5], { ...ctx, shopName: 'A&B <Shop>' });
    expect(shop.html).toContain('A&amp;B &lt;Shop&gt;');
    expect(shop.html).not.toContain('<Shop>');
  });

  test('payload shape check rejects unknown templates and missing recipients', () => {
    expect(isEmailMessage({ template: 'nope', to, data: {} })).toBe(false);
    expect(isEmailMessage({ template: 'verify-email', to: '', data: {} })).toBe(false);
    expect(isEmailMessage({ template: 'toString', to, data: {} })).toBe(false);
    expect(isEmailMessage({ template: 'low-stock', to, data: null })).toBe(false);
    expect(isEmailMessage(null)).toBe(false);
  });
});
