// Idle hibernation: a worker process suspends the persistent sandbox (E2B: pause) of a session
// nobody has used for `sessionIdleMs`, through the injected SandboxHibernator — the engine never
// knows the providers. States: active → hibernating (claimed) → hibernated (suspended); a later
// run goes hibernated → restoring → active when its executor opens the sandbox again.
//
// Claiming is one transaction per batch: candidates are locked FOR UPDATE SKIP LOCKED — which
// skips a session an admission is reading FOR KEY SHARE or a run claim is updating at that moment,
// and one another worker process is claiming — then, in a second statement (a fresh snapshot),
// the locked sessions that have a queued or running run are dropped, so a run admitted or claimed
// just before the lock is seen. A run admitted after the claim commits is allowed (only archived
// sessions refuse runs): its worker waits until the pause is over (see waitWhileHibernating)
// before the executor opens — and thereby resumes — the sandbox.
//
// A pause that fails sets the session back to `active` with a fresh `updatedAt`, so it is retried
// after another idle period, not on every tick. A sandbox that is gone counts as suspended (the
// provider's hibernate resolves; the next open creates a new one), so hibernation never marks a
// session `failed`. A claim whose worker died mid-pause (left `hibernating` longer than
// `hibernateTimeoutMs`) is claimed again; pausing is idempotent. So is one left `restoring` with
// no run (its run's worker died while resuming the sandbox): it is treated as active.
import type { SandboxHibernator, SandboxType } from '@runyard/contract'
import type pg from 'pg'
import type { EngineConfig } from './config.ts'
import { withTransaction } from './tx.ts'
import type { Logger, Queryable } from './types.ts'

interface ClaimedSession {
  id: string
  sandboxType: SandboxType
  sandboxState: unknown
}

// $1 sandbox types, $2 idle ms, $3 hibernate timeout ms, $4 batch size
const LOCK_CANDIDATES = `
SELECT id FROM "Session" s
WHERE s."sandboxType"::text = ANY($1::text[]) AND s."sandboxState" IS NOT NULL
  AND ((s."lifecycleState" IN ('active', 'restoring') AND s."updatedAt" < now() - $2 * interval '1 millisecond')
    OR (s."lifecycleState" = 'hibernating' AND s."updatedAt" < now() - $3 * interval '1 millisecond'))
  AND NOT EXISTS (SELECT 1 FROM "Run" r WHERE r."sessionId" = s.id AND r.status IN ('queued', 'running'))
ORDER BY s."updatedAt" LIMIT $4 FOR UPDATE SKIP LOCKED`

// $1 locked ids. Re-checked under the lock, in a new snapshot: runs committed meanwhile count.
const CLAIM = `
UPDATE "Session" s SET "lifecycleState" = 'hibernating', "updatedAt" = now()
WHERE s.id = ANY($1::text[])
  AND NOT EXISTS (SELECT 1 FROM "Run" r WHERE r."sessionId" = s.id AND r.status IN ('queued', 'running'))
RETURNING s.id, s."sandboxType", s."sandboxState"`

/** Claims idle sessions atomically, suspends their sandboxes, and records the outcome. Returns how many were hibernated. */
export async function hibernateIdleSessions(
  pool: pg.Pool,
  hibernator: SandboxHibernator,
  cfg: EngineConfig,
  log: Logger,
  batch = 20,
): Promise<number> {
  if (!hibernator.sandboxTypes.length) return 0
  const claimed = await withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ id: string }>(LOCK_CANDIDATES, [
      hibernator.sandboxTypes,
      cfg.sessionIdleMs,
      cfg.hibernateTimeoutMs,
      batch,
    ])
    if (!rows.length) return []
    return (await tx.query<ClaimedSession>(CLAIM, [rows.map((r) => r.id)])).rows
  })
  let hibernated = 0
  for (const session of claimed) {
    try {
      await hibernator.hibernate(session.sandboxType, session.sandboxState)
    } catch (err) {
      log.error(
        { err, sessionId: session.id, sandboxType: session.sandboxType },
        'hibernation: could not suspend the session sandbox; the session stays active and is retried after another idle period',
      )
      await pool
        .query(
          `UPDATE "Session" SET "lifecycleState" = 'active', "updatedAt" = now() WHERE id = $1 AND "lifecycleState" = 'hibernating'`,
          [session.id],
        )
        .catch((e: unknown) =>
          log.error({ err: e, sessionId: session.id }, 'hibernation: could not set the session back to active'),
        )
      continue
    }
    // A run that gave up waiting for this pause (hibernateTimeoutMs) may have moved the session on.
    const { rowCount } = await pool.query(
      `UPDATE "Session" SET "lifecycleState" = 'hibernated', "updatedAt" = now() WHERE id = $1 AND "lifecycleState" = 'hibernating'`,
      [session.id],
    )
    if (rowCount) hibernated++
    log.info({ sessionId: session.id, sandboxType: session.sandboxType }, 'hibernated an idle session')
  }
  return hibernated
}

/**
 * For a run claimed on a session that is `hibernating`: waits until the pause is over (the session
 * is `hibernated`, or `active` again after a failed pause) and returns the session's state then, so
 * the executor resumes the suspended sandbox instead of racing the pause. Gives up after
 * `hibernateTimeoutMs` (the hibernating worker died) and reports `hibernated`: opening resumes a
 * paused sandbox and reconnects to a running one alike. Stops early when `signal` aborts.
 */
export async function waitWhileHibernating(
  pool: Queryable,
  sessionId: string,
  cfg: EngineConfig,
  signal: AbortSignal,
): Promise<{ lifecycleState: string; sandboxState: unknown }> {
  const deadline = Date.now() + cfg.hibernateTimeoutMs
  let delay = 50
  for (;;) {
    const { rows } = await pool.query<{ lifecycleState: string; sandboxState: unknown }>(
      'SELECT "lifecycleState", "sandboxState" FROM "Session" WHERE id = $1',
      [sessionId],
    )
    const row = rows[0]!
    if (row.lifecycleState !== 'hibernating' || signal.aborted) return row
    if (Date.now() >= deadline) return { ...row, lifecycleState: 'hibernated' }
    await new Promise((resolve) => setTimeout(resolve, delay))
    delay = Math.min(delay * 2, 1000)
  }
}
