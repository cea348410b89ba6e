import PDFDocument from 'pdfkit';
import { toMajor, type Minor } from '../../common/money';

/** Everything an invoice shows, from the order's snapshots; amounts in minor units. */
export interface InvoiceData {
  shopName: string;
  orderNumber: string;
  placedAt: Date;
  status: string;
  currency: string;
  lines: Array<{ title: string; sku: string; quantity: number; unitPrice: Minor; lineTotal: Minor }>;
  subtotal: Minor;
  discount: Minor;
  couponCode: string | null;
  tax: Minor;
  shipping: Minor;
  total: Minor;
  shippingAddress: {
    firstName: string;
    lastName: string;
    address: string;
    city: string;
    state: string;
    zipCode: string;
    country: string;
    phone: string;
  } | null;
}

const LOCALE = 'en-US';
const MARGIN = 50;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';

/** The table's columns: x offset from the left margin, width, alignment. */
const COLUMNS = {
  title: { x: 0, width: 215, align: 'left' },
  sku: { x: 220, width: 95, align: 'left' },
  quantity: { x: 320, width: 35, align: 'right' },
  unitPrice: { x: 360, width: 65, align: 'right' },
  lineTotal: { x: 430, width: 65, align: 'right' },
} as const;
type Column = keyof typeof COLUMNS;

export function formatMoney(amount: Minor, currency: string): string {
  return new Intl.NumberFormat(LOCALE, { style: 'currency', currency }).format(toMajor(amount));
}

function formatDate(at: Date): string {
  return new Intl.DateTimeFormat(LOCALE, { dateStyle: 'long', timeZone: 'UTC' }).format(at);
}

/** Renders the invoice as a PDF (A4, the standard Helvetica fonts). Pure: data in, PDF bytes out, no I/O. */
export function renderInvoice(invoice: InvoiceData): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: {
      Title: `Invoice ${invoice.orderNumber}`,
      Author: invoice.shopName,
      CreationDate: invoice.placedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const money = (amount: Minor) => formatMoney(amount, invoice.currency);
  const left = doc.page.margins.left;
  const bottom = () => doc.page.height - doc.page.margins.bottom;

  doc.font(BOLD).fontSize(20).text(invoice.shopName);
  doc.font(FONT).fontSize(12).text('Invoice').moveDown();
  doc.fontSize(10);
  doc.text(`Order number: ${invoice.orderNumber}`);
  doc.text(`Date: ${formatDate(invoice.placedAt)}`);
  doc.text(`Status: ${invoice.status}`).moveDown();

  const address = invoice.shippingAddress;
  if (address) {
    doc.font(BOLD).text('Ship to');
    doc.font(FONT);
    doc.text(`${address.firstName} ${address.lastName}`);
    doc.text(address.address);
    doc.text(`${address.city}, ${address.state} ${address.zipCode}`);
    doc.text(address.country);
    doc.text(address.phone).moveDown();
  }

  const row = (cells: Record<Column, string>, font: string) => {
    doc.font(font);
    const height = Math.max(
      ...(Object.keys(COLUMNS) as Column[]).map((column) =>
        doc.heightOfString(cells[column], { width: COLUMNS[column].width }),
      ),
    );
    if (doc.y + height > bottom()) doc.addPage();
    const top = doc.y;
    for (const column of Object.keys(COLUMNS) as Column[]) {
      const { x, width, align } = COLUMNS[column];
      doc.text(cells[column], left + x, top, { width, align });
    }
    doc.x = left;
    doc.y = top + height + 4;
  };

  row({ title: 'Item', sku: 'SKU', quantity: 'Qty', unitPrice: 'Unit price', lineTotal: 'Total' }, BOLD);
  for (const line of invoice.lines) {
    row(
      {
        title: line.title,
        sku: line.sku,
        quantity: String(line.quantity),
        unitPrice: money(line.unitPrice),
        lineTotal: money(line.lineTotal),
      },
      FONT,
    );
  }
  doc.moveDown();

  const totals: Array<[string, string]> = [
    ['Subtotal', money(invoice.subtotal)],
    ...(invoice.discount > 0
      ? [
          [
            invoice.couponCode ? `Discount (${invoice.couponCode})` : 'Discount',
            money(-invoice.discount),
          ] as [string, string],
        ]
      : []),
    ['Tax', money(invoice.tax)],
    ['Shipping', money(invoice.shipping)],
    ['Total', money(invoice.total)],
  ];
  for (const [label, amount] of totals) {
    const font = label === 'Total' ? BOLD : FONT;
    if (doc.y + doc.currentLineHeight(true) > bottom()) doc.addPage();
    const top = doc.y;
    doc.font(font).text(label, left + COLUMNS.sku.x, top, { width: 170 });
    doc.text(amount, left + COLUMNS.lineTotal.x - 50, top, {
      width: COLUMNS.lineTotal.width + 50,
      align: 'right',
    });
    doc.x = left;
  }
  doc.moveDown(2).font(FONT).text('Thank you for your order.', left);
  doc.end();
  return done;
}
