-- Keys of runs that no longer exist would block the constraint, and can only be leftovers.
DELETE FROM "ApiKey" WHERE "runId" IS NOT NULL AND "runId" NOT IN (SELECT id FROM "Run");

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
