import { formatMoney, renderInvoice, type InvoiceData } from '../../src/modules/orders/invoice';
import { pdfText } from '../helpers/pdf';

const base: InvoiceData = {
  shopName: 'Test Shop',
  orderNumber: 'ORD-20261203-ABC123',
  placedAt: new Date('2026-12-03T23:30:00.000Z'),
  status: 'PAID',
  currency: 'USD',
  lines: [{ title: 'Widget', sku: 'SKU-1', quantity: 2, unitPrice: 1999, lineTotal: 3998 }],
  subtotal: 3998,
  discount: 0,
  couponCode: null,
  tax: 320,
  shipping: 999,
  total: 5317,
  shippingAddress: null,
};

describe('formatMoney', () => {
  it.each([
    [123456, 'USD', '$1,234.56'],
    [5, 'USD', '$0.05'],
    [-500, 'USD', '-$5.00'],
    [199, 'EUR', '€1.99'],
    [1000, 'GBP', '£10.00'],
  ])('%i %s → %s', (minor, currency, expected) => {
    expect(formatMoney(minor, currency)).toBe(expected);
  });
});

describe('renderInvoice', () => {
  it('shows the order date in UTC and no discount or address block when there is none', async () => {
    const { pages, text } = await pdfText(await renderInvoice(base));
    expect(pages).toBe(1);
    expect(text).toContain('December 3, 2026');
    expect(text).not.toContain('Discount');
    expect(text).not.toContain('Ship to');
    expect(text).toContain('$53.17');
  });

  it('shows the coupon discount as a negative amount', async () => {
    const { text } = await pdfText(
      await renderInvoice({ ...base, discount: 500, couponCode: 'SAVE5', total: 4817 }),
    );
    expect(text).toContain('Discount (SAVE5)');
    expect(text).toContain('-$5.00');
  });

  it('breaks long orders over pages, every line and the totals kept', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => ({
      title: `Line ${i + 1} with a title long enough to wrap onto a second row of its column`,
      sku: `SKU-${i + 1}`,
      quantity: 1,
      unitPrice: 100,
      lineTotal: 100,
    }));
    const { pages, text } = await pdfText(await renderInvoice({ ...base, lines }));
    expect(pages).toBeGreaterThan(1);
    for (let i = 1; i <= 50; i += 1) expect(text).toContain(`SKU-${i} `);
    expect(text).toContain('Thank you for your order.');
  });
});
