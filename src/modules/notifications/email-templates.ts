import type { EmailMessage, EmailOrderLine, EmailOrderRef, EmailTemplateName } from './notifications.types';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** What every template may use from the configuration. */
export interface TemplateContext {
  /** Base URL of the storefront (STOREFRONT_URL); every link in an e-mail points there. */
  storefrontUrl: string;
  /** The shop's name (SHOP_NAME), in subjects, bodies and the signature. */
  shopName: string;
  /** Where customers write with questions (SUPPORT_EMAIL), in every footer. */
  supportEmail: string;
}

export function templateContext(config: {
  STOREFRONT_URL: string;
  SHOP_NAME: string;
  SUPPORT_EMAIL: string;
}): TemplateContext {
  return {
    storefrontUrl: config.STOREFRONT_URL,
    shopName: config.SHOP_NAME,
    supportEmail: config.SUPPORT_EMAIL,
  };
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}

/** `${storefrontUrl}/path?query`, whether or not the configured URL ends with a slash or has a path. */
export function storefrontLink(
  storefrontUrl: string,
  path: string,
  query: Record<string, string> = {},
): string {
  const search = new URLSearchParams(query).toString();
  return `${storefrontUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}${search ? `?${search}` : ''}`;
}

/** `minor` integer minor units as an exact decimal string with `digits` fraction digits: (-5, 2) → "-0.05". */
function minorToDecimal(minor: number, digits: number): `${number}` {
  const sign = minor < 0 ? '-' : '';
  const units = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, '0');
  const whole = units.slice(0, units.length - digits);
  const fraction = units.slice(units.length - digits);
  return `${sign}${whole}${digits > 0 ? `.${fraction}` : ''}` as `${number}`;
}

/**
 * Integer minor units in the currency's own precision: (123456, USD) → "$1,234.56", (1235, JPY) → "¥1,235",
 * (1234, KWD) → "KWD 1.234". A code Intl does not accept falls back to "1234.56 XYZ".
 */
export function formatMoney(minor: number, currency: string): string {
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
  } catch {
    return `${minorToDecimal(minor, 2)} ${currency}`;
  }
  return format.format(minorToDecimal(minor, format.resolvedOptions().maximumFractionDigits ?? 2));
}

/** "2026-12-24T00:00:00.000Z" → "December 24, 2026" (UTC: the date the admin entered). */
function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

const STATUS_LABELS: Record<string, string> = {
  PENDING: 'pending payment',
  PAID: 'paid',
  PROCESSING: 'being prepared',
  SHIPPED: 'on its way',
  DELIVERED: 'delivered',
  CANCELLED: 'cancelled',
  REFUNDED: 'refunded',
};

function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status.toLowerCase().replace(/_/g, ' ');
}

/** A block of the body: a paragraph, a call-to-action link, or a pre-rendered HTML fragment with its text form. */
type Block =
  | { kind: 'p'; text: string }
  | { kind: 'link'; label: string; url: string }
  | { kind: 'raw'; html: string; text: string };

const p = (text: string): Block => ({ kind: 'p', text });
const link = (label: string, url: string): Block => ({ kind: 'link', label, url });

function blockText(block: Block): string {
  return block.kind === 'link' ? `${block.label}:\n${block.url}` : block.text;
}

function blockHtml(block: Block): string {
  if (block.kind === 'p') return `<p>${escapeHtml(block.text)}</p>`;
  if (block.kind === 'raw') return block.html;
  const href = escapeHtml(block.url);
  return (
    `<p><a href="${href}" style="display:inline-block;padding:10px 18px;background:#111827;color:#ffffff;` +
    `text-decoration:none;border-radius:4px">${escapeHtml(block.label)}</a></p>` +
    `<p style="font-size:12px;color:#6b7280">Or paste this link into your browser: ${href}</p>`
  );
}

/** Greeting, body, signature and the support footer, as plain text and as HTML (every value escaped). */
function layout(subject: string, greetingName: string, blocks: Block[], ctx: TemplateContext): RenderedEmail {
  const greeting = `Hi ${greetingName || 'there'},`;
  const signature = `— ${ctx.shopName}`;
  const footer = `Questions? Write to ${ctx.supportEmail}.`;
  const text = [greeting, ...blocks.map(blockText), signature, footer].join('\n\n');
  const support = escapeHtml(ctx.supportEmail);
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;line-height:1.5;color:#111827;max-width:600px;margin:0 auto;padding:16px">
<p>${escapeHtml(greeting)}</p>
${blocks.map(blockHtml).join('\n')}
<p>${escapeHtml(signature)}</p>
<p style="font-size:12px;color:#6b7280">Questions? Write to <a href="mailto:${support}">${support}</a>.</p>
</body></html>`;
  return { subject, text, html };
}

function orderTable(items: EmailOrderLine[], totals: Array<[string, number]>, currency: string): Block {
  const money = (minor: number) => formatMoney(minor, currency);
  const text = [
    ...items.map((item) => `${item.quantity} × ${item.title} — ${money(item.lineTotal)}`),
    '',
    ...totals.map(([label, amount]) => `${label}: ${money(amount)}`),
  ].join('\n');
  const cell = 'style="padding:4px 8px;border-bottom:1px solid #e5e7eb"';
  const right = 'style="padding:4px 8px;border-bottom:1px solid #e5e7eb;text-align:right"';
  const rows = items
    .map(
      (item) =>
        `<tr><td ${cell}>${escapeHtml(item.title)}</td><td ${right}>${escapeHtml(item.quantity)}</td>` +
        `<td ${right}>${escapeHtml(money(item.unitPrice))}</td><td ${right}>${escapeHtml(money(item.lineTotal))}</td></tr>`,
    )
    .join('\n');
  const totalRows = totals
    .map(
      ([label, amount]) =>
        `<tr><td colspan="3" ${right}>${escapeHtml(label)}</td><td ${right}>${escapeHtml(money(amount))}</td></tr>`,
    )
    .join('\n');
  const html = `<table style="border-collapse:collapse;width:100%">
<thead><tr><th ${cell}>Item</th><th ${right}>Qty</th><th ${right}>Price</th><th ${right}>Total</th></tr></thead>
<tbody>
${rows}
${totalRows}
</tbody></table>`;
  return { kind: 'raw', html, text };
}

const orderLink = (ctx: TemplateContext, order: EmailOrderRef) =>
  link('View your order', storefrontLink(ctx.storefrontUrl, `/orders/${encodeURIComponent(order.orderId)}`));

type Template<T extends EmailTemplateName> = (
  data: Extract<EmailMessage, { template: T }>['data'],
  ctx: TemplateContext,
) => RenderedEmail;

const verifyEmail: Template<'verify-email'> = (d, ctx) =>
  layout(
    'Verify your e-mail address',
    d.firstName,
    [
      p(`Thanks for signing up with ${ctx.shopName}. Please confirm that this is your e-mail address.`),
      link('Verify e-mail address', storefrontLink(ctx.storefrontUrl, '/verify-email', { token: d.token })),
      p("If you didn't create an account, you can ignore this message."),
    ],
    ctx,
  );

const passwordReset: Template<'password-reset'> = (d, ctx) =>
  layout(
    'Reset your password',
    d.firstName,
    [
      p('We received a request to reset your password. The link below works once and expires in one hour.'),
      link('Choose a new password', storefrontLink(ctx.storefrontUrl, '/reset-password', { token: d.token })),
      p("If you didn't ask for this, you can ignore this message: your password stays the same."),
    ],
    ctx,
  );

const passwordChanged: Template<'password-changed'> = (d, ctx) =>
  layout(
    'Your password was changed',
    d.firstName,
    [
      p('The password of your account was just changed and your other sessions were signed out.'),
      p(`If this was not you, reset your password right away and write to ${ctx.supportEmail}.`),
      link('Reset password', storefrontLink(ctx.storefrontUrl, '/forgot-password')),
    ],
    ctx,
  );

const accountDeleted: Template<'account-deleted'> = (d, ctx) =>
  layout(
    'Your account was deleted',
    d.firstName,
    [
      p(`Your ${ctx.shopName} account has been deleted. We are sorry to see you go.`),
      p(`If you did not request this, please write to ${ctx.supportEmail}.`),
    ],
    ctx,
  );

const orderConfirmation: Template<'order-confirmation'> = (d, ctx) => {
  const totals: Array<[string, number]> = [['Subtotal', d.subtotal]];
  if (d.discount) totals.push(['Discount', -d.discount]);
  totals.push(['Shipping', d.shipping], ['Tax', d.tax], ['Total', d.total]);
  return layout(
    `${ctx.shopName}: we received your order ${d.orderNumber}`,
    d.firstName,
    [
      p(`Thank you for your order ${d.orderNumber}. Here is what you ordered:`),
      orderTable(d.items, totals, d.currency),
      p('We will write again as soon as your payment is received.'),
      orderLink(ctx, d),
    ],
    ctx,
  );
};

const paymentReceived: Template<'payment-received'> = (d, ctx) =>
  layout(
    `${ctx.shopName}: payment received for order ${d.orderNumber}`,
    d.firstName,
    [
      p(`We received your payment of ${formatMoney(d.amount, d.currency)} for order ${d.orderNumber}.`),
      p('We are preparing your order now and will let you know when it ships.'),
      orderLink(ctx, d),
    ],
    ctx,
  );

const orderStatusChanged: Template<'order-status-changed'> = (d, ctx) => {
  const blocks: Block[] = [p(`Your order ${d.orderNumber} is now ${statusLabel(d.status)}.`)];
  if (d.status === 'SHIPPED' && d.carrier) blocks.push(p(`Carrier: ${d.carrier}`));
  if (d.trackingNumber) blocks.push(p(`Tracking number: ${d.trackingNumber}`));
  if (d.estimatedDelivery) blocks.push(p(`Estimated delivery: ${formatDate(d.estimatedDelivery)}`));
  if (d.note) blocks.push(p(d.note));
  if (d.status === 'SHIPPED') {
    blocks.push(
      link(
        'Track your parcel',
        storefrontLink(ctx.storefrontUrl, `/orders/${encodeURIComponent(d.orderId)}/tracking`),
      ),
    );
  } else {
    blocks.push(orderLink(ctx, d));
  }
  return layout(
    `${ctx.shopName}: order ${d.orderNumber} is ${statusLabel(d.status)}`,
    d.firstName,
    blocks,
    ctx,
  );
};

const orderCancelled: Template<'order-cancelled'> = (d, ctx) =>
  layout(
    `${ctx.shopName}: order ${d.orderNumber} was cancelled`,
    d.firstName,
    [
      p(`Your order ${d.orderNumber} has been cancelled.`),
      ...(d.reason ? [p(`Reason: ${d.reason}`)] : []),
      p(
        d.refundDue
          ? `Your refund of ${formatMoney(d.total, d.currency)} is on its way; depending on your bank it can take a few days to appear.`
          : 'You have not been charged for it.',
      ),
      orderLink(ctx, d),
    ],
    ctx,
  );

const orderRefunded: Template<'order-refunded'> = (d, ctx) =>
  layout(
    d.full
      ? `${ctx.shopName}: order ${d.orderNumber} refunded`
      : `${ctx.shopName}: partial refund for order ${d.orderNumber}`,
    d.firstName,
    [
      p(
        d.full
          ? `We refunded ${formatMoney(d.amount, d.currency)} for order ${d.orderNumber}: the order is now refunded in full.`
          : `We refunded ${formatMoney(d.amount, d.currency)} of order ${d.orderNumber} (partial refund; ${formatMoney(d.totalRefunded, d.currency)} refunded so far).`,
      ),
      ...(d.reason ? [p(`Reason: ${d.reason}`)] : []),
      p('Depending on your bank it can take a few days to appear on your statement.'),
      orderLink(ctx, d),
    ],
    ctx,
  );

const lowStock: Template<'low-stock'> = (d, ctx) =>
  layout(
    `${ctx.shopName}: low stock for ${d.title} (${d.stock} left)`,
    d.firstName,
    [
      p(
        `Stock of ${d.title} (SKU ${d.sku}, product ${d.productId}) fell to ${d.stock}, below the alert threshold of ${d.threshold}.`,
      ),
      link('Open the product', storefrontLink(ctx.storefrontUrl, `/admin/products/${d.productId}`)),
    ],
    ctx,
  );

/** Every template by name: each a small pure function of its message's data and the configuration. */
const TEMPLATES: { [K in EmailTemplateName]: Template<K> } = {
  'verify-email': verifyEmail,
  'password-reset': passwordReset,
  'password-changed': passwordChanged,
  'account-deleted': accountDeleted,
  'order-confirmation': orderConfirmation,
  'payment-received': paymentReceived,
  'order-status-changed': orderStatusChanged,
  'order-cancelled': orderCancelled,
  'order-refunded': orderRefunded,
  'low-stock': lowStock,
};

/** Subject, plain-text and HTML body of a message. Every interpolated value is HTML-escaped in the HTML part. */
export function renderEmail(message: EmailMessage, ctx: TemplateContext): RenderedEmail {
  // TypeScript cannot correlate a union's `template` with its `data`; TEMPLATES' mapped type pairs them.
  const template = TEMPLATES[message.template] as Template<typeof message.template>;
  return template(message.data as never, ctx);
}

/** Shape check of a payload read back from the outbox or a queue (JSON, so no compile-time guarantee). */
export function isEmailMessage(value: unknown): value is EmailMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { template, to, data } = value as Record<string, unknown>;
  return (
    typeof template === 'string' &&
    Object.hasOwn(TEMPLATES, template) &&
    typeof to === 'string' &&
    to.length > 0 &&
    typeof data === 'object' &&
    data !== null
  );
}
