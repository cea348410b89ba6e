-- One payment per order and provider (parallel create-intent calls claim this row); the intent attempt is part of
-- Stripe's idempotency key.
ALTER TABLE "payments" ADD COLUMN "intent_attempt" INTEGER NOT NULL DEFAULT 1;

DROP INDEX "payments_order_id_idx";

CREATE UNIQUE INDEX "payments_order_id_provider_key" ON "payments"("order_id", "provider");

-- A refund row is written (PENDING) before Stripe is called, so concurrent refunds can never exceed the payment;
-- its id is Stripe's idempotency key.
CREATE TYPE "RefundStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');

ALTER TABLE "refunds" ADD COLUMN "status" "RefundStatus" NOT NULL DEFAULT 'PENDING';
