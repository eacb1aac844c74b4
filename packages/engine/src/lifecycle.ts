// Terminal transitions. One transaction: status, terminal events, usage totals, the run's
// ephemeral key deleted, the chat released and the next run waiting on it promoted.
import { isTerminalStatus, type RunEvent } from '@runyard/contract'
import type { PgBoss } from 'pg-boss'
import type pg from 'pg'
import { appendRunEvents } from './event-log.ts'
import { revokeRunKey } from './ephemeral-keys.ts'
import { CHANNELS } from './notifier.ts'
import { enqueueRun } from './queue.ts'
import type { RunRow } from './run-row.ts'
import { withTransaction } from './tx.ts'
import type { RunOutcome } from '@runyard/contract'

export interface FinishOptions {
  /** Only finish if the run is still held by this execution attempt. */
  attempt?: number
}

export async function finishRun(pool: pg.Pool, boss: PgBoss, runId: string, outcome: RunOutcome, opts: FinishOptions = {}): Promise<RunRow | null> {
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<RunRow>('SELECT * FROM "Run" WHERE id = $1 FOR UPDATE', [runId])
    const run = rows[0]
    if (!run) return null
    if (isTerminalStatus(run.status)) return run
    if (opts.attempt !== undefined && (run.status !== 'running' || run.attempt !== opts.attempt)) return run

    const events: RunEvent[] = []
    if (outcome.status === 'failed') events.push({ type: 'error', code: outcome.error.code, message: outcome.error.message })
    if (outcome.status === 'cancelled') events.push({ type: 'error', code: 'cancelled', message: 'The run was cancelled.' })
    events.push({ type: 'run_status', status: outcome.status }, { type: 'done' })
    const lastSeq = await appendRunEvents(tx, runId, events)
    const usage = await completedStepUsage(tx, runId)
    const error = outcome.status === 'failed' ? outcome.error : outcome.status === 'cancelled' ? { code: 'cancelled', message: 'The run was cancelled.' } : null

    const updated = await tx.query<RunRow>(
      `UPDATE "Run" SET status = $2, "finishedAt" = now(), "lockedChatId" = NULL, "workerId" = NULL, "leaseExpiresAt" = NULL,
         "errorCode" = $3, "errorMessage" = $4, "lastSeq" = $5,
         "inputTokens" = $6, "outputTokens" = $7, "cacheReadTokens" = $8, "cacheWriteTokens" = $9
       WHERE id = $1 RETURNING *`,
      [runId, outcome.status, error?.code ?? null, error?.message ?? null, lastSeq, usage.input, usage.output, usage.cacheRead, usage.cacheWrite],
    )
    await tx.query(
      `UPDATE "Session" SET "inputTokens" = "inputTokens" + $2, "outputTokens" = "outputTokens" + $3,
         "cacheReadTokens" = "cacheReadTokens" + $4, "cacheWriteTokens" = "cacheWriteTokens" + $5,
         "activeStreamId" = CASE WHEN "activeStreamId" = $6 THEN NULL ELSE "activeStreamId" END, "updatedAt" = now()
       WHERE id = $1`,
      [run.sessionId, usage.input, usage.output, usage.cacheRead, usage.cacheWrite, runId],
    )
    await revokeRunKey(tx, runId)
    await promoteNextWaitingRun(tx, boss, run.chatId)
    await notifyRunChange(tx, run.accountId, runId, outcome.status)
    return updated.rows[0] ?? null
  })
}

/** Token totals of the run's completed steps (partial steps of an interrupted attempt have none). */
async function completedStepUsage(tx: pg.PoolClient, runId: string) {
  const { rows } = await tx.query<{ input: number; output: number; cacheRead: number; cacheWrite: number }>(
    `SELECT COALESCE(sum((data->'usage'->>'input_tokens')::int), 0)::int AS input,
            COALESCE(sum((data->'usage'->>'output_tokens')::int), 0)::int AS output,
            COALESCE(sum((data->'usage'->>'cache_read')::int), 0)::int AS "cacheRead",
            COALESCE(sum((data->'usage'->>'cache_write')::int), 0)::int AS "cacheWrite"
     FROM "RunEvent" WHERE "runId" = $1 AND type = 'step_finish'`,
    [runId],
  )
  return rows[0]!
}

/** Hands the chat to the oldest run waiting on it (ifBusy: enqueue), in the same transaction. */
async function promoteNextWaitingRun(tx: pg.PoolClient, boss: PgBoss, chatId: string) {
  const { rows } = await tx.query<{ id: string; accountId: string }>(
    `UPDATE "Run" SET "lockedChatId" = "chatId" WHERE id = (
       SELECT id FROM "Run" WHERE "chatId" = $1 AND status = 'queued' AND "lockedChatId" IS NULL
       ORDER BY "createdAt", id LIMIT 1 FOR UPDATE SKIP LOCKED
     ) RETURNING id, "accountId"`,
    [chatId],
  )
  const next = rows[0]
  if (!next) return
  const jobId = await enqueueRun(boss, next.id, chatId, tx)
  await tx.query('UPDATE "Run" SET "jobId" = $2 WHERE id = $1', [next.id, jobId])
}

export async function notifyRunChange(client: pg.ClientBase | pg.Pool, accountId: string, runId: string, status: string) {
  await client.query(`SELECT pg_notify('${CHANNELS.runs}', $1)`, [`${accountId}:${runId}:${status}`])
}
