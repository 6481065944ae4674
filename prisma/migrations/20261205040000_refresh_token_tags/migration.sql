-- Refresh tokens carry an HMAC tag under their session's own key (ADR 0019), and the list of
-- spent-token digests it replaces goes. Tokens issued before this have no tag: their sessions end
-- here (their holders sign in again), since a replay of one of their spent tokens could no longer
-- be recognised once the list is gone (T17).
-- Only live ones: sessions that merely expired keep their history, and stay out of the deny-list
-- that every instance loads at start (revocations of the last access-token lifetime).
UPDATE "sessions" SET "revoked_at" = now(), "revoked_reason" = 'refresh-token-format'
 WHERE "revoked_at" IS NULL AND "idle_expires_at" > now() AND "absolute_expires_at" > now();

-- Ended sessions get a random key too (never used: only a live session's key is checked), so that
-- the column can be NOT NULL without a default: every new session brings its own key
-- (apps/api/src/auth/refresh-tokens.ts). gen_random_uuid draws from a CSPRNG (122 bits each).
ALTER TABLE "sessions" ADD COLUMN "refresh_token_key" BYTEA;
UPDATE "sessions" SET "refresh_token_key" = decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex');
ALTER TABLE "sessions" ALTER COLUMN "refresh_token_key" SET NOT NULL;

ALTER TABLE "sessions" DROP COLUMN "spent_token_digests";
