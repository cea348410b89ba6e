import type { RequestContext } from '../../common/request-context';
import type { DbClient, Prisma } from '../../lib/prisma';
import type { AuditRepository } from './audit.repository';

export interface AuditEvent {
  /**
   * The user who acted, when it is not the context's actor: the user a login or registration is for, or null for
   * an anonymous event (a failed login for an unknown e-mail). Defaults to the context's actor.
   */
  actorId?: number | null;
  /** Dotted verb, e.g. `auth.login`, `auth.login_failed`, `user.status_changed`, `product.updated`. */
  action: string;
  entityType: string;
  entityId?: string | number | null;
  metadata?: Prisma.InputJsonValue;
}

/** Append-only audit trail of auth events and admin actions. Pass `tx` to commit it with the change it records. */
export class AuditService {
  constructor(private readonly audits: AuditRepository) {}

  async record(context: RequestContext, event: AuditEvent, tx?: DbClient): Promise<void> {
    await this.audits.create(
      {
        actorId: event.actorId === undefined ? (context.actor?.id ?? null) : event.actorId,
        action: event.action,
        entityType: event.entityType,
        entityId: event.entityId == null ? null : String(event.entityId),
        metadata: event.metadata,
        ip: context.ip,
        userAgent: context.userAgent,
        requestId: context.requestId,
      },
      tx,
    );
  }
}
