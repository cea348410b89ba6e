-- The headers of the first response that a replay repeats (e.g. Location).
ALTER TABLE "idempotency_keys" ADD COLUMN "response_headers" JSONB;
