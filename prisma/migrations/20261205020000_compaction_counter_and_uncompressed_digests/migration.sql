-- AlterTable
-- Sessions that exist when this runs start at the end of a batch, so that their next rotation
-- compacts whatever was waiting under the old rule (which waited for 32 rows past the grace
-- window). New sessions start at 0.
ALTER TABLE "sessions" ADD COLUMN "rotations_since_compaction" INTEGER NOT NULL DEFAULT 31;
ALTER TABLE "sessions" ALTER COLUMN "rotations_since_compaction" SET DEFAULT 0;

-- The spent-token digests are random bytes: compressing them never pays, yet PostgreSQL tried on
-- every rewrite of the list (once per compaction batch) before storing it out of line anyway.
ALTER TABLE "sessions" ALTER COLUMN "spent_token_digests" SET STORAGE EXTERNAL;
