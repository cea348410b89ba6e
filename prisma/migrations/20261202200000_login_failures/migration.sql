-- CreateTable
CREATE TABLE "login_failures" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "window_ends_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "login_failures_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "login_failures_window_ends_at_idx" ON "login_failures"("window_ends_at");
