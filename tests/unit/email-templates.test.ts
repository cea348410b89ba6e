import {
  escapeHtml,
  formatMoney,
  isEmailMessage,
  renderEmail,
  storefrontLink,
} from '../../src/modules/notifications/email-templates';
import type { EmailMessage } from '../../src/modules/notifications/notifications.types';

const ctx = { storefrontUrl: 'https://shop.example.test/', appName: 'Shop' };

describe('email templates', () => {
  const messages: EmailMessage[] = [
    { template: 'verify-email', to: 'a@example.test', data: { firstName: 'Ada', token: 't1' } },
    { template: 'password-reset', to: 'a@example.test', data: { firstName: 'Ada', token: 't2' } },
    { template: 'password-changed', to: 'a@example.test', data: { firstName: 'Ada' } },
    { template: 'account-deleted', to: 'a@example.test', data: { firstName: 'Ada' } },
    {
      template: 'order-confirmation',
      to: 'a@example.test',
      data: {
        firstName: 'Ada',
        orderId: 'b6a1c7e2-0000-4000-8000-000000000001',
        orderNumber: 'ORD-20261121-7F3K9Q',
        currency: 'USD',
        items: [{ title: 'Mug', quantity: 2, unitPrice: 999, lineTotal: 1998 }],
        subtotal: 1998,
        discount: 200,
        tax: 144,
        shipping: 999,
        total: 2941,
      },
    },
    {
      template: 'order-status-changed',
      to: 'a@example.test',
      data: {
        firstName: 'Ada',
        orderId: 'b6a1c7e2-0000-4000-8000-000000000001',
        orderNumber: 'ORD-20261121-7F3K9Q',
        status: 'SHIPPED',
        carrier: 'UPS',
        trackingNumber: '1Z999',
      },
    },
  ];

  test.each(messages.map((m) => [m.template, m] as const))(
    '%s renders subject, text and HTML',
    (_name, message) => {
      const rendered = renderEmail(message, ctx);
      expect(rendered.subject.length).toBeGreaterThan(0);
      expect(rendered.text).toContain('Hi Ada,');
      expect(rendered.html).toContain('<p>Hi Ada,</p>');
      expect(isEmailMessage(message)).toBe(true);
    },
  );

  test('links point at the storefront', () => {
    expect(renderEmail(messages[0], ctx).text).toContain('https://shop.example.test/verify-email?token=t1');
    expect(renderEmail(messages[1], ctx).text).toContain('https://shop.example.test/reset-password?token=t2');
    expect(renderEmail(messages[5], ctx).text).toContain(
      'https://shop.example.test/orders/b6a1c7e2-0000-4000-8000-000000000001',
    );
    expect(storefrontLink('https://x.test/shop', '/verify-email', { token: 'a b&c' })).toBe(
      'https://x.test/shop/verify-email?token=a+b%26c',
    );
  });

  test('order amounts are formatted from minor units', () => {
    const { text, html } = renderEmail(messages[4], ctx);
    expect(text).toContain('2 × Mug — $19.98');
    expect(text).toContain('Discount: -$2.00');
    expect(text).toContain('Total: $29.41');
    expect(html).toContain('$29.41');
    expect(formatMoney(123456, 'EUR')).toBe('€1,234.56');
    expect(formatMoney(100, 'NOPE')).toBe('1.00 NOPE');
  });

  test('every interpolated value is HTML-escaped', () => {
    const { html, text } = renderEmail(
      {
        template: 'verify-email',
        to: 'a@example.test',
        data: { firstName: '<script>x</script>', token: '"><b>' },
      },
      ctx,
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('"><b>');
    expect(text).toContain('Hi <script>x</script>,'); // plain text stays plain
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  test('payload shape check rejects unknown templates and missing recipients', () => {
    expect(isEmailMessage({ template: 'nope', to: 'a@example.test', data: {} })).toBe(false);
    expect(isEmailMessage({ template: 'verify-email', to: '', data: {} })).toBe(false);
    expect(isEmailMessage({ template: 'toString', to: 'a@example.test', data: {} })).toBe(false);
    expect(isEmailMessage(null)).toBe(false);
  });
});
