-- AlterTable
ALTER TABLE "refresh_tokens" ADD COLUMN     "sealed_token" TEXT;

-- AlterTable
ALTER TABLE "sessions" ADD COLUMN     "spent_token_digests" BYTEA;

-- CreateIndex
CREATE INDEX "refresh_tokens_expires_at_idx" ON "refresh_tokens"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_fingerprint_hash_key" ON "sessions"("fingerprint_hash");
