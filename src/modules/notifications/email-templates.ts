import { toDecimalString } from '../../common/money';
import type { EmailMessage, EmailOrderLine, EmailTemplateName } from './notifications.types';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface TemplateContext {
  /** Base URL of the storefront; every link in an e-mail points there. */
  storefrontUrl: string;
  /** Signature line, e.g. the shop name. */
  appName: string;
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

/** 123456 + USD → "$1,234.56"; an unknown currency code falls back to "1234.56 XYZ". */
export function formatMoney(minor: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(
      Number(toDecimalString(minor)),
    );
  } catch {
    return `${toDecimalString(minor)} ${currency}`;
  }
}

const STATUS_LABELS: Record<string, string> = {
  PENDING: 'pending payment',
  PAID: 'paid',
  PROCESSING: 'being prepared',
  SHIPPED: 'shipped',
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

function layout(subject: string, greetingName: string, blocks: Block[], ctx: TemplateContext): RenderedEmail {
  const greeting = `Hi ${greetingName || 'there'},`;
  const signature = `— ${ctx.appName}`;
  const text = [
    greeting,
    ...blocks.map((block) =>
      block.kind === 'p' ? block.text : block.kind === 'link' ? `${block.label}:\n${block.url}` : block.text,
    ),
    signature,
  ].join('\n\n');
  const body = blocks
    .map((block) => {
      if (block.kind === 'p') return `<p>${escapeHtml(block.text)}</p>`;
      if (block.kind === 'raw') return block.html;
      const href = escapeHtml(block.url);
      return (
        `<p><a href="${href}" style="display:inline-block;padding:10px 18px;background:#111827;color:#ffffff;` +
        `text-decoration:none;border-radius:4px">${escapeHtml(block.label)}</a></p>` +
        `<p style="font-size:12px;color:#6b7280">Or paste this link into your browser: ${href}</p>`
      );
    })
    .join('\n');
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;line-height:1.5;color:#111827;max-width:600px;margin:0 auto;padding:16px">
<p>${escapeHtml(greeting)}</p>
${body}
<p>${escapeHtml(signature)}</p>
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

/** Subject, plain-text and HTML body of a message. Every interpolated value is HTML-escaped in the HTML part. */
export function renderEmail(message: EmailMessage, ctx: TemplateContext): RenderedEmail {
  switch (message.template) {
    case 'verify-email': {
      const url = storefrontLink(ctx.storefrontUrl, '/verify-email', { token: message.data.token });
      return layout(
        'Verify your e-mail address',
        message.data.firstName,
        [
          p(`Thanks for signing up with ${ctx.appName}. Please confirm that this is your e-mail address.`),
          link('Verify e-mail address', url),
          p("If you didn't create an account, you can ignore this message."),
        ],
        ctx,
      );
    }
    case 'password-reset': {
      const url = storefrontLink(ctx.storefrontUrl, '/reset-password', { token: message.data.token });
      return layout(
        'Reset your password',
        message.data.firstName,
        [
          p(
            'We received a request to reset your password. The link below works once and expires in one hour.',
          ),
          link('Choose a new password', url),
          p("If you didn't ask for this, you can ignore this message: your password stays the same."),
        ],
        ctx,
      );
    }
    case 'password-changed':
      return layout(
        'Your password was changed',
        message.data.firstName,
        [
          p('The password of your account was just changed and your other sessions were signed out.'),
          p('If this was not you, reset your password right away and contact our support.'),
          link('Reset password', storefrontLink(ctx.storefrontUrl, '/forgot-password')),
        ],
        ctx,
      );
    case 'account-deleted':
      return layout(
        'Your account was deleted',
        message.data.firstName,
        [
          p(`Your ${ctx.appName} account has been deleted. We are sorry to see you go.`),
          p('If you did not request this, please contact our support.'),
        ],
        ctx,
      );
    case 'order-confirmation': {
      const d = message.data;
      const totals: Array<[string, number]> = [['Subtotal', d.subtotal]];
      if (d.discount) totals.push(['Discount', -d.discount]);
      totals.push(['Shipping', d.shipping], ['Tax', d.tax], ['Total', d.total]);
      return layout(
        `Order confirmation ${d.orderNumber}`,
        d.firstName,
        [
          p(`Thank you for your order ${d.orderNumber}. Here is what you ordered:`),
          orderTable(d.items, totals, d.currency),
          link(
            'View your order',
            storefrontLink(ctx.storefrontUrl, `/orders/${encodeURIComponent(d.orderId)}`),
          ),
        ],
        ctx,
      );
    }
    case 'order-status-changed': {
      const d = message.data;
      const blocks: Block[] = [p(`Your order ${d.orderNumber} is now ${statusLabel(d.status)}.`)];
      if (d.trackingNumber) {
        blocks.push(p(`Tracking number${d.carrier ? ` (${d.carrier})` : ''}: ${d.trackingNumber}`));
      }
      if (d.note) blocks.push(p(d.note));
      blocks.push(
        link(
          'View your order',
          storefrontLink(ctx.storefrontUrl, `/orders/${encodeURIComponent(d.orderId)}`),
        ),
      );
      return layout(`Order ${d.orderNumber}: ${statusLabel(d.status)}`, d.firstName, blocks, ctx);
    }
    default: {
      const unknown: never = message;
      throw new Error(`Unknown e-mail template: ${(unknown as { template?: unknown }).template}`);
    }
  }
}

const TEMPLATE_NAMES: Record<EmailTemplateName, true> = {
  'verify-email': true,
  'password-reset': true,
  'password-changed': true,
  'account-deleted': true,
  'order-confirmation': true,
  'order-status-changed': true,
};

/** Shape check of a payload read back from the outbox or a queue (JSON, so no compile-time guarantee). */
export function isEmailMessage(value: unknown): value is EmailMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { template, to, data } = value as Record<string, unknown>;
  return (
    typeof template === 'string' &&
    Object.hasOwn(TEMPLATE_NAMES, template) &&
    typeof to === 'string' &&
    to.length > 0 &&
    typeof data === 'object' &&
    data !== null
  );
}
