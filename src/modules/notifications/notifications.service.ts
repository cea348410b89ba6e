import type { DbClient, Prisma } from '../../lib/prisma';
import type { EmailMessage, EmailOutbox } from './notifications.types';
import { EMAIL_EVENT } from './outbox-events';
import type { OutboxRepository } from './outbox.repository';

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
