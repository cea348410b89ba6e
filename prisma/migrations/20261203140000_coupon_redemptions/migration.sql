-- One-per-customer coupons, and one redemption row per order that used a coupon (the record behind usage_count).
ALTER TABLE "coupons" ADD COLUMN "one_per_customer" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "coupon_redemptions" (
    "id" SERIAL NOT NULL,
    "coupon_id" INTEGER NOT NULL,
    "order_id" UUID NOT NULL,
    "user_id" INTEGER NOT NULL,
    "exclusive_user_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "released_at" TIMESTAMP(3),

    CONSTRAINT "coupon_redemptions_pkey" PRIMARY KEY ("id"),
    -- exclusive_user_id is the redeeming user or nothing, and nothing once the use is given back.
    CONSTRAINT "coupon_redemptions_exclusive_user_check" CHECK (
        "exclusive_user_id" IS NULL OR ("exclusive_user_id" = "user_id" AND "released_at" IS NULL)
    )
);

-- CreateIndex
CREATE UNIQUE INDEX "coupon_redemptions_order_id_key" ON "coupon_redemptions"("order_id");

-- CreateIndex: NULLs are distinct, so only standing uses of one-per-customer coupons can collide.
CREATE UNIQUE INDEX "coupon_redemptions_coupon_id_exclusive_user_id_key" ON "coupon_redemptions"("coupon_id", "exclusive_user_id");

-- CreateIndex
CREATE INDEX "coupon_redemptions_coupon_id_user_id_idx" ON "coupon_redemptions"("coupon_id", "user_id");

-- AddForeignKey
ALTER TABLE "coupon_redemptions" ADD CONSTRAINT "coupon_redemptions_coupon_id_fkey" FOREIGN KEY ("coupon_id") REFERENCES "coupons"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "coupon_redemptions" ADD CONSTRAINT "coupon_redemptions_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "coupon_redemptions" ADD CONSTRAINT "coupon_redemptions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
