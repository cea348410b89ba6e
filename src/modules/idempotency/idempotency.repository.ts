import type { IdempotencyKey } from '../../generated/prisma/client';
import { SQL_UTC_NOW, type Db, type Prisma } from '../../lib/prisma';

export type { IdempotencyKey };

/** Every query on idempotency_keys. The unique (user_id, scope, key) index decides who owns a key. */
export class IdempotencyRepository {
  constructor(private readonly db: Db) {}

  /** Claims the key: true when this request inserted it (no live row existed), false when another row holds it. */
  async claim(row: { userId: number; scope: string; key: string; requestHash: string; expiresAt: Date }) {
    // An expired row gives way first, so a key can be used again after its 24 h. (A separate statement: inside
    // one, the INSERT's conflict check would still see the row a CTE deletes.)
    await this.db.$executeRaw`
      DELETE FROM idempotency_keys
       WHERE user_id = ${row.userId} AND scope = ${row.scope} AND key = ${row.key}
         AND expires_at <= ${SQL_UTC_NOW}`;
    const inserted = await this.db.$queryRaw<Array<{ id: number }>>`
      INSERT INTO idempotency_keys (user_id, scope, key, request_hash, status, expires_at)
      VALUES (${row.userId}, ${row.scope}, ${row.key}, ${row.requestHash}, 'IN_PROGRESS', ${row.expiresAt})
      ON CONFLICT (user_id, scope, key) DO NOTHING
      RETURNING id`;
    return inserted.length > 0;
  }

  find(userId: number, scope: string, key: string): Promise<IdempotencyKey | null> {
    return this.db.idempotencyKey.findUnique({ where: { userId_scope_key: { userId, scope, key } } });
  }

  async complete(
    userId: number,
    scope: string,
    key: string,
    response: { status: number; headers: Record<string, string>; body: Prisma.InputJsonValue },
  ): Promise<void> {
    await this.db.idempotencyKey.updateMany({
      where: { userId, scope, key, status: 'IN_PROGRESS' },
      data: {
        status: 'COMPLETED',
        responseStatus: response.status,
        responseHeaders: response.headers,
        responseBody: response.body,
      },
    });
  }

  /** A first attempt that failed gives its key back (only while still in progress: a completed key stays). */
  async release(userId: number, scope: string, key: string): Promise<void> {
    await this.db.idempotencyKey.deleteMany({ where: { userId, scope, key, status: 'IN_PROGRESS' } });
  }

  /** Housekeeping: rows past their expiry (a later claim replaces them anyway). */
  async deleteExpired(now: Date): Promise<number> {
    const { count } = await this.db.idempotencyKey.deleteMany({ where: { expiresAt: { lte: now } } });
    return count;
  }
}
