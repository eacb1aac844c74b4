// Run changes a listener may have missed: notifications are not queued for a connection that is
// down, so when this process's LISTEN connection comes back, an account's change listeners (the
// console's run lists, `runs.changes`) are given the runs that may have changed meanwhile — every
// run active now and every run finished since — from the table, which is the truth. Duplicates
// of changes they did hear are harmless: a change only says "read this run again".
import type pg from 'pg'
import type { RunChange } from './notifier.ts'
import { prepared } from './prepared.ts'

/** At most this many runs per account on one reconnect (the newest); a list shows fewer. */
const MAX_RESYNCED = 500

// Active runs, and runs created, started or finished since $2 (a run finished since then started
// within the run time limit $3 before it: bounds what is read of the account's history).
const CHANGED_SINCE = prepared(`
SELECT id, status FROM "Run"
WHERE "accountId" = $1 AND (status IN ('queued', 'running') OR ("createdAt" >= $2::timestamptz - $3 * interval '1 millisecond'
  AND ("createdAt" >= $2 OR "startedAt" >= $2 OR "finishedAt" >= $2)))
ORDER BY "createdAt" DESC LIMIT ${MAX_RESYNCED}`)

/** The account's runs that are active now or were created, started or finished since `since`. */
export async function runChangesSince(
  pool: pg.Pool,
  accountId: string,
  since: Date,
  maxRunMs: number,
): Promise<RunChange[]> {
  const { rows } = await pool.query<{ id: string; status: string }>({
    ...CHANGED_SINCE,
    values: [accountId, since, maxRunMs],
  })
  return rows.map((r) => ({ accountId, runId: r.id, status: r.status }))
}
