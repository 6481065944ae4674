-- AlterTable
ALTER TABLE "sessions" ADD COLUMN "rotations_since_compaction" INTEGER NOT NULL DEFAULT 0;

-- The spent-token digests are random bytes: compressing them never pays, and PostgreSQL tried on
-- every rewrite of the list (once per compaction batch) before storing it out of line anyway.
ALTER TABLE "sessions" ALTER COLUMN "spent_token_digests" SET STORAGE EXTERNAL;
