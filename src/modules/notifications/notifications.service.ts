import type { DbClient, Prisma } from '../../lib/prisma';
import type { EmailMessage, EmailOutbox } from './notifications.types';
import type { OutboxRepository } from './outbox.repository';

export const EMAIL_EVENT = 'email.send';

export class NotificationService implements EmailOutbox {
  constructor(private readonly outbox: OutboxRepository) {}

  async queueEmail(message: EmailMessage, tx?: DbClient): Promise<void> {
    await this.outbox.insert(
      {
        type: EMAIL_EVENT,
        aggregateType: 'email',
        aggregateId: message.to,
        payload: message as unknown as Prisma.InputJsonValue,
      },
      tx,
    );
  }
}
