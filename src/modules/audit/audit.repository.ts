import type { DbClient, Prisma } from '../../lib/prisma';

export class AuditRepository {
  constructor(private readonly db: DbClient) {}

  create(data: Prisma.AuditLogUncheckedCreateInput, tx: DbClient = this.db) {
    return tx.auditLog.create({ data });
  }
}
