/**
 * Every outbox event type, in one place: the services that write rows and the job registry (job-kinds.ts) that
 * delivers them use these constants.
 */

/** An e-mail to render and send (payload: EmailMessage). */
export const EMAIL_EVENT = 'email.send';

/** A refund the shop owes (a cancel of a paid order, a payment that arrived after a cancel): `{ orderId, reason }`. */
export const REFUND_REQUESTED_EVENT = 'payment.refund-requested';

export type OutboxEventType = typeof EMAIL_EVENT | typeof REFUND_REQUESTED_EVENT;
