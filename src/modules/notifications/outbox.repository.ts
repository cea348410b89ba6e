import type { DbClient, Prisma } from '../../lib/prisma';

export class OutboxRepository {
  constructor(private readonly db: DbClient) {}

  insert(
    event: { type: string; aggregateType: string; aggregateId: string; payload: Prisma.InputJsonValue },
    tx: DbClient = this.db,
  ) {
    return tx.outboxEvent.create({ data: event });
  }
}
