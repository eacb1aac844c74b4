-- Hand-written: the Prisma schema cannot express CHECK constraints, and schema diffs leave them alone.
-- A run holds the lock of its own chat only, and only while it is queued or running. With the
-- unique index on "lockedChatId" this makes "at most one active run per chat" a database rule,
-- whatever statement writes the run.
-- Rows that would violate it (a finished run still holding a lock) release the lock first.
UPDATE "Run" SET "lockedChatId" = NULL
  WHERE "lockedChatId" IS NOT NULL AND ("lockedChatId" <> "chatId" OR status NOT IN ('queued', 'running'));
ALTER TABLE "Run" ADD CONSTRAINT "Run_lockedChatId_check"
  CHECK ("lockedChatId" IS NULL OR ("lockedChatId" = "chatId" AND status IN ('queued', 'running')));
