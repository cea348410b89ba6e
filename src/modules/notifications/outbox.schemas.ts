import { z } from 'zod';
import { paginationQuery } from '../../common/pagination';

export const OUTBOX_STATUSES = ['PENDING', 'PUBLISHED', 'DONE', 'FAILED'] as const;

/** Outbox ids are bigint: plain decimal digits, at most 18 of them (always below 2^63). */
export const outboxIdParams = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,17}$/, 'Must be a positive integer')
    .transform((value) => BigInt(value)),
});

export const listOutboxQuery = paginationQuery.extend({
  status: z.string().toUpperCase().pipe(z.enum(OUTBOX_STATUSES)).optional(),
  type: z.string().trim().min(1).max(100).optional(),
});

/** An outbox row as admins see it: its delivery state, never its payload (reset tokens, verification links). */
export const outboxEventSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    aggregateType: z.string(),
    aggregateId: z.string(),
    status: z.enum(OUTBOX_STATUSES),
    attempts: z.number().int(),
    retryCount: z.number().int(),
    lastError: z.string().nullable(),
    availableAt: z.string(),
    createdAt: z.string(),
    processedAt: z.string().nullable(),
  })
  .meta({ id: 'OutboxEvent' });

export const outboxEventListSchema = z
  .object({
    events: z.array(outboxEventSchema),
    total: z.number().int(),
    skip: z.number().int(),
    limit: z.number().int(),
  })
  .meta({ id: 'OutboxEventList' });

export type ListOutboxQuery = z.output<typeof listOutboxQuery>;
export type PublicOutboxEvent = z.output<typeof outboxEventSchema>;
