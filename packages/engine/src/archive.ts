// Archiving a session, the engine's part: the state change, taken under FOR UPDATE — the one
// lock that conflicts with the FOR KEY SHARE admission reads the session's state under (see
// admission.ts) — so once it commits no run can be admitted on the session, and every run
// admitted before it is visible to the listing that follows and gets cancelled.
import { notFound } from '@runyard/contract'
import type pg from 'pg'
import { withTransaction } from './tx.ts'

export interface ArchivedSession {
  /** False when the session was archived already (nothing changed). */
  changed: boolean
  /** Runs of the session that were still queued or running after the state change. */
  activeRunIds: string[]
}

export async function markSessionArchived(
  pool: pg.Pool,
  accountId: string,
  sessionId: string,
): Promise<ArchivedSession> {
  const changed = await withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ lifecycleState: string }>(
      'SELECT "lifecycleState" FROM "Session" WHERE id = $1 AND "accountId" = $2 FOR UPDATE',
      [sessionId, accountId],
    )
    const session = rows[0]
    if (!session) throw notFound('session_not_found', `Session ${sessionId} was not found`)
    if (session.lifecycleState === 'archived') return false
    await tx.query(
      `UPDATE "Session" SET "lifecycleState" = 'archived', "archivedAt" = now(), "updatedAt" = now() WHERE id = $1`,
      [sessionId],
    )
    return true
  })
  // Committed: admissions that held the session before are committed too, and later ones refuse.
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM "Run" WHERE "sessionId" = $1 AND "accountId" = $2 AND status IN ('queued', 'running') ORDER BY id`,
    [sessionId, accountId],
  )
  return { changed, activeRunIds: rows.map((r) => r.id) }
}
