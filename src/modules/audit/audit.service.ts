import type { RequestMeta } from '../../common/request-meta';
import type { DbClient, Prisma } from '../../lib/prisma';
import type { AuditRepository } from './audit.repository';

export interface AuditEvent {
  /** The user who acted; null for anonymous events (failed login for an unknown e-mail). */
  actorId: number | null;
  /** Dotted verb, e.g. `auth.login`, `auth.login_failed`, `user.status_changed`, `product.updated`. */
  action: string;
  entityType: string;
  entityId?: string | number | null;
  metadata?: Prisma.InputJsonValue;
  meta?: RequestMeta;
}

/** Append-only audit trail of auth events and admin actions. Pass `tx` to commit it with the change it records. */
export class AuditService {
  constructor(private readonly audits: AuditRepository) {}

  async record(event: AuditEvent, tx?: DbClient): Promise<void> {
    await this.audits.create(
      {
        actorId: event.actorId,
        action: event.action,
        entityType: event.entityType,
        entityId: event.entityId == null ? null : String(event.entityId),
        metadata: event.metadata,
        ip: event.meta?.ip,
        userAgent: event.meta?.userAgent,
        requestId: event.meta?.requestId,
      },
      tx,
    );
  }
}
