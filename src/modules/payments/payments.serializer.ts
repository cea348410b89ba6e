import { toMajor, toMinor } from '../../common/money';
import type { Prisma } from '../../lib/prisma';
import type { PaymentRow, RefundRow } from './payments.repository';
import type { PaymentIntentResponse, PublicPayment, PublicRefund } from './payments.schemas';

const major = (value: Prisma.Decimal) => toMajor(toMinor(value));

export function toPublicRefund(refund: RefundRow): PublicRefund {
  return {
    id: refund.id,
    amount: major(refund.amount),
    status: refund.status,
    restocked: refund.restocked,
    reason: refund.reason,
    createdAt: refund.createdAt.toISOString(),
  };
}

export function toPublicPayment(payment: PaymentRow): PublicPayment {
  return {
    id: payment.id,
    orderId: payment.orderId,
    provider: payment.provider,
    paymentIntentId: payment.providerPaymentId,
    status: payment.status,
    amount: major(payment.amount),
    amountRefunded: major(payment.amountRefunded),
    currency: payment.currency,
    failureReason: payment.failureReason,
    refunds: payment.refunds.map(toPublicRefund),
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}

export function toIntentResponse(payment: PaymentRow): PaymentIntentResponse {
  return {
    paymentId: payment.id,
    paymentIntentId: payment.providerPaymentId!,
    clientSecret: payment.clientSecret!,
    amount: major(payment.amount),
    currency: payment.currency,
    status: payment.status,
  };
}
