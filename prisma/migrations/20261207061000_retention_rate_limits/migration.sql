-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "archivedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "RunRateWindow" (
    "scope" TEXT NOT NULL,
    "windowStart" TIMESTAMPTZ(3) NOT NULL,
    "runs" INTEGER NOT NULL,

    CONSTRAINT "RunRateWindow_pkey" PRIMARY KEY ("scope")
);

-- Sessions archived before this migration: archiving set updatedAt, the best record of when.
UPDATE "Session" SET "archivedAt" = "updatedAt" WHERE "lifecycleState" = 'archived';

-- One scope's count of runs admitted in the current minute, this admission included: a fixed
-- one-minute window per row, reset when a new minute starts. The minute is read after the row
-- lock (clock_timestamp in SET), so an admission that waited for the lock into the next minute
-- never moves a window back.
CREATE FUNCTION "RunRateWindow_take"(window_scope text) RETURNS "RunRateWindow" LANGUAGE sql AS $$
  INSERT INTO "RunRateWindow" AS w (scope, "windowStart", runs) VALUES (window_scope, date_trunc('minute', clock_timestamp()), 1)
  ON CONFLICT (scope) DO UPDATE SET
    runs = CASE WHEN w."windowStart" >= date_trunc('minute', clock_timestamp()) THEN w.runs + 1 ELSE 1 END,
    "windowStart" = GREATEST(w."windowStart", date_trunc('minute', clock_timestamp()))
  RETURNING w.*
$$;

-- Admission's rate limits and concurrent-run quota, run first in its transaction (engine
-- src/rate-limits.ts): takes the run's place in its key's and its account's windows and counts
-- the account's queued and running runs. A NULL limit is off. Over a limit it raises SQLSTATE
-- RY429 with a JSON DETAIL {limit, max, retryAfterSeconds}, which aborts the admission: nothing
-- is counted for it. The account's row is taken whenever an account limit is on, also for the
-- concurrency quota alone: its lock, held until the admission commits, makes two admissions of
-- one account count each other's runs (READ COMMITTED: each statement here sees what committed
-- before its lock was granted). Key before account, always: no lock-order deadlock.
CREATE FUNCTION "Run_take_quota"(account text, api_key text, key_per_minute int, account_per_minute int, account_concurrent int)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  taken "RunRateWindow";
  active int;
BEGIN
  IF api_key IS NOT NULL AND key_per_minute IS NOT NULL THEN
    taken := "RunRateWindow_take"('key:' || api_key);
    IF taken.runs > key_per_minute THEN
      RAISE EXCEPTION 'rate limit: runs per minute per key' USING ERRCODE = 'RY429',
        DETAIL = json_build_object('limit', 'runs_per_minute_per_key', 'max', key_per_minute,
          'retryAfterSeconds', ceil(extract(epoch FROM taken."windowStart" + interval '1 minute' - clock_timestamp())))::text;
    END IF;
  END IF;
  IF account_per_minute IS NOT NULL OR account_concurrent IS NOT NULL THEN
    taken := "RunRateWindow_take"('account:' || account);
    IF taken.runs > account_per_minute THEN
      RAISE EXCEPTION 'rate limit: runs per minute per account' USING ERRCODE = 'RY429',
        DETAIL = json_build_object('limit', 'runs_per_minute_per_account', 'max', account_per_minute,
          'retryAfterSeconds', ceil(extract(epoch FROM taken."windowStart" + interval '1 minute' - clock_timestamp())))::text;
    END IF;
  END IF;
  IF account_concurrent IS NOT NULL THEN
    -- Index "Run_accountId_status_createdAt_idx"; at most `account_concurrent` entries read.
    SELECT count(*) INTO active FROM (
      SELECT 1 FROM "Run" WHERE "accountId" = account AND status IN ('queued', 'running') LIMIT account_concurrent
    ) a;
    IF active >= account_concurrent THEN
      RAISE EXCEPTION 'quota: concurrent runs per account' USING ERRCODE = 'RY429',
        DETAIL = json_build_object('limit', 'concurrent_runs_per_account', 'max', account_concurrent, 'retryAfterSeconds', NULL)::text;
    END IF;
  END IF;
END
$$;
