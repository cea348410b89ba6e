-- A row handed to its queue is PUBLISHED; the worker marks it DONE only after its processor succeeded.
ALTER TYPE "OutboxStatus" ADD VALUE 'PUBLISHED' BEFORE 'DONE';

-- Manual retries of a dead letter (POST /admin/outbox/:id/retry, npm run outbox:retry): each one gets a new job id.
ALTER TABLE "outbox_events" ADD COLUMN "retry_count" INTEGER NOT NULL DEFAULT 0;
