import type { DbClient, Prisma } from '../../lib/prisma';
import type { EmailMessage, EmailOutbox } from './notifications.types';
import { EMAIL_EVENT } from './outbox-events';
import type { NewOutboxEvent, OutboxRepository } from './outbox.repository';

function emailEvent(message: EmailMessage): NewOutboxEvent {
  return {
    type: EMAIL_EVENT,
    aggregateType: 'email',
    aggregateId: message.to,
    payload: message as unknown as Prisma.InputJsonValue,
  };
}

export class NotificationService implements EmailOutbox {
  constructor(private readonly outbox: OutboxRepository) {}

  async queueEmail(message: EmailMessage, tx?: DbClient): Promise<void> {
    await this.outbox.insert(emailEvent(message), tx);
  }

  async queueEmails(messages: EmailMessage[], tx?: DbClient): Promise<void> {
    if (messages.length > 0) await this.outbox.insertMany(messages.map(emailEvent), tx);
  }
}
