-- DropIndex
DROP INDEX "refresh_tokens_session_id_idx";

-- CreateIndex
CREATE INDEX "refresh_tokens_session_id_rotated_at_idx" ON "refresh_tokens"("session_id", "rotated_at");
