// Cancel in every state. Queued: finished as cancelled at once (it never starts). Running: the
// request is recorded and the worker holding it is woken (NOTIFY) to abort the executor, which
// persists partial output; the heartbeat check and the reaper back this up. Terminal: no-op.
import { isTerminalStatus, notFound } from '@runyard/contract'
import type { PgBoss } from 'pg-boss'
import type pg from 'pg'
import { finishRun, type FinishOptions } from './lifecycle.ts'
import { CHANNELS } from './notifier.ts'
import { RUN_QUEUE } from './queue.ts'
import { findRunView, RUN_VIEW_COLUMNS, type RunRow, type RunView } from './run-row.ts'

export async function requestCancel(
  pool: pg.Pool,
  boss: PgBoss,
  finish: Omit<FinishOptions, 'attempt'>,
  accountId: string,
  runId: string,
): Promise<RunView> {
  const { rows } = await pool.query<RunView & Pick<RunRow, 'jobId'>>(
    `UPDATE "Run" SET "cancelRequestedAt" = COALESCE("cancelRequestedAt", now())
     WHERE id = $1 AND "accountId" = $2 AND status IN ('queued', 'running') RETURNING ${RUN_VIEW_COLUMNS}, "jobId"`,
    [runId, accountId],
  )
  const run = rows[0]
  if (!run) {
    const existing = await findRunView(pool, accountId, runId)
    if (!existing) throw notFound('run_not_found', `Run ${runId} was not found`)
    return existing
  }
  if (run.status === 'queued') {
    const finished = await finishRun(pool, boss, runId, { status: 'cancelled' }, finish)
    if (finished && isTerminalStatus(finished.status)) {
      if (run.jobId) await boss.cancel(RUN_QUEUE, run.jobId).catch(() => {})
      return finished
    }
  }
  await pool.query(`SELECT pg_notify('${CHANNELS.cancel}', $1)`, [runId])
  return run
}
