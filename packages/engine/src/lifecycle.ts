// Terminal transitions: status, terminal events, usage totals, the run's ephemeral key deleted,
// the chat released and the next run waiting on it promoted — all in one statement (FINISH_RUN).
import { isTerminalStatus, type RunEvent } from '@runyard/contract'
import crypto from 'node:crypto'
import type { PgBoss } from 'pg-boss'
import type { Notifier } from './notifier.ts'
import { enqueueRun } from './queue.ts'
import { RUN_VIEW_COLUMNS, runViewColumns, type RunView } from './run-row.ts'
import { withTransaction } from './tx.ts'
import type { DbPool } from './types.ts'
import type { RunOutcome } from '@runyard/contract'
import { encodeBatch, eventDataSql, insertBatchSql, lastSeqSql } from './event-log/index.ts'
import { prepared } from './prepared.ts'
import { webhookOutboxCtes } from './webhooks/index.ts'
import type { EngineObserver, RunFinished, WrittenEvent } from './observer.ts'

export interface FinishOptions {
  /** Told once the run is finished by this call (not when it was already terminal). */
  observer: Required<Pick<EngineObserver, 'runFinished' | 'eventsWritten'>>
  /** Tells other processes (and this one's listeners) once the finish is committed. */
  notifier: Pick<Notifier, 'sendEvents' | 'sendRunChange' | 'sendWebhookMessages'>
  /** Only finish if the run is still held by this execution attempt. */
  attempt?: number
}

/**
 * Finishes a run in one statement, so the transition is atomic without a transaction of its own.
 * $1 run id, $2 attempt fence (null: any holder), $3 status, $4/$5 error code/message,
 * $6/$9 the terminal events and their types (one batch, see encodeBatch) and $10 their count, $7
 * whether a waiting run may be promoted, $8 the promoted run's queue job id.
 * - `finished` locks and updates the run, fenced on status (not terminal) and attempt; everything
 *   else hangs off its RETURNING, so a fence that fails makes the whole statement a no-op.
 * - Seqs continue from the log's last seq and usage sums the completed steps (step_finish events,
 *   in the batches holding one); both read the statement's snapshot, so a caller that cannot rule
 *   out a concurrent writer (a lost worker of the same attempt) takes the run's row lock first, in
 *   a transaction (see finishRun).
 * - When $7 is false and a run waits on the chat, nothing happens: promoting it also needs its
 *   pg-boss job, which a caller inserts in the same transaction.
 * - The promotion reads `finished`, so the chat's unique lock is released before it is taken.
 * - It sends no notification (a NOTIFY would hold PostgreSQL's notify lock through the commit's
 *   flush): finishRun has them sent once it is committed (notifier.ts).
 * - The run's webhook messages are stored with its end (webhooks/outbox.ts: nothing more than an
 *   index probe for an account without enabled endpoints).
 */
const FINISH_RUN = prepared(`
WITH prev AS (
  SELECT ${lastSeqSql('$1')} AS seq
), steps AS (
  SELECT e.data::json->'usage' AS usage FROM (${eventDataSql('$1', 'step_finish')}) e
), usage AS (
  SELECT COALESCE(sum((usage->>'input_tokens')::int), 0)::int AS input,
         COALESCE(sum((usage->>'output_tokens')::int), 0)::int AS output,
         COALESCE(sum((usage->>'cache_read')::int), 0)::int AS "cacheRead",
         COALESCE(sum((usage->>'cache_write')::int), 0)::int AS "cacheWrite"
  FROM steps
), finished AS (
  UPDATE "Run" r SET status = $3::"RunStatus", "finishedAt" = now(), "lockedChatId" = NULL, "workerId" = NULL, "leaseExpiresAt" = NULL,
    "errorCode" = $4, "errorMessage" = $5, "lastSeq" = prev.seq + $10::int,
    "inputTokens" = usage.input, "outputTokens" = usage.output, "cacheReadTokens" = usage."cacheRead", "cacheWriteTokens" = usage."cacheWrite"
  FROM prev, usage
  WHERE r.id = $1 AND r.status IN ('queued', 'running') AND ($2::int IS NULL OR (r.status = 'running' AND r.attempt = $2::int))
    AND ($7::boolean OR NOT EXISTS (SELECT 1 FROM "Run" w WHERE w."chatId" = r."chatId" AND w.status = 'queued' AND w."lockedChatId" IS NULL))
  RETURNING ${runViewColumns('r')}
), events AS (
  ${insertBatchSql({ runId: 'f.id', seq: 'prev.seq + 1', lastSeq: 'f."lastSeq"', params: { events: 6, types: 9 }, from: 'finished f, prev' })}
), session AS (
  UPDATE "Session" s SET "inputTokens" = s."inputTokens" + usage.input, "outputTokens" = s."outputTokens" + usage.output,
    "cacheReadTokens" = s."cacheReadTokens" + usage."cacheRead", "cacheWriteTokens" = s."cacheWriteTokens" + usage."cacheWrite",
    "activeStreamId" = CASE WHEN s."activeStreamId" = f.id THEN NULL ELSE s."activeStreamId" END, "updatedAt" = now()
  FROM finished f, usage WHERE s.id = f."sessionId"
), key AS (
  DELETE FROM "ApiKey" WHERE "runId" IN (SELECT id FROM finished) AND kind = 'ephemeral'
), ${webhookOutboxCtes('finished')}, promoted AS (
  UPDATE "Run" SET "lockedChatId" = "chatId", "jobId" = $8 WHERE id = (
    SELECT w.id FROM "Run" w, finished f WHERE w."chatId" = f."chatId" AND w.status = 'queued' AND w."lockedChatId" IS NULL
    ORDER BY w."createdAt", w.id LIMIT 1 FOR UPDATE OF w SKIP LOCKED
  ) RETURNING id
)
SELECT f.*, (SELECT id FROM promoted) AS "promotedRunId", EXISTS (SELECT 1 FROM webhook_outbox) AS "webhookMessages" FROM finished f`)

type FinishedRow = RunView & { promotedRunId: string | null; webhookMessages: boolean }

/** A cancelled run's error, in its log and on the run. */
const CANCELLED = { code: 'cancelled', message: 'The run was cancelled.' } as const

/** The outcome of a run that ran longer than `maxRunMs` (counted from its first start, across attempts). */
export const timedOut = (maxRunMs: number): RunOutcome => ({
  status: 'failed',
  error: {
    code: 'timeout',
    message: `The run exceeded its maximum run time of ${maxRunMs < 120_000 ? `${Math.round(maxRunMs / 1000)} s` : `${Math.round(maxRunMs / 60_000)} min`}.`,
  },
})

/** The outcome of a run whose worker was lost `attempts` times (no attempt left). */
export const workerLost = (attempts: number): RunOutcome => ({
  status: 'failed',
  error: { code: 'worker_lost', message: `The run's worker was lost ${attempts} times.` },
})

/**
 * Longest error message a run keeps. A provider's or an executor's error can be any size, and the
 * message is stored on the run, in its log and in every webhook payload of its end.
 */
export const MAX_RUN_ERROR_MESSAGE = 4000

/** `message` cut to MAX_RUN_ERROR_MESSAGE characters, never between a surrogate pair (jsonb refuses a lone one). */
export function boundedErrorMessage(message: string): string {
  if (message.length <= MAX_RUN_ERROR_MESSAGE) return message
  const cut = message.slice(0, MAX_RUN_ERROR_MESSAGE - 1)
  return `${/[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut}…`
}

export async function finishRun(
  pool: DbPool,
  boss: PgBoss,
  runId: string,
  given: RunOutcome,
  opts: FinishOptions,
): Promise<RunView | null> {
  const outcome: RunOutcome =
    given.status === 'failed'
      ? { ...given, error: { ...given.error, message: boundedErrorMessage(given.error.message) } }
      : given
  const events: RunEvent[] = []
  if (outcome.status === 'failed')
    events.push({ type: 'error', code: outcome.error.code, message: outcome.error.message })
  if (outcome.status === 'cancelled') events.push({ type: 'error', ...CANCELLED })
  events.push({ type: 'run_status', status: outcome.status }, { type: 'done' })
  const error = outcome.status === 'failed' ? outcome.error : outcome.status === 'cancelled' ? CANCELLED : null
  const batch = encodeBatch(events)
  const params = (promote: boolean, jobId: string | null): unknown[] => [
    runId,
    opts.attempt ?? null,
    outcome.status,
    error?.code ?? null,
    error?.message ?? null,
    batch.events,
    promote,
    jobId,
    batch.types,
    events.length,
  ]

  // The common case, one round trip: the executing attempt finishes (its own events are flushed,
  // other attempts' writers are fenced out by the claim) and no run waits on the chat.
  if (opts.attempt !== undefined) {
    const { rows } = await pool.query<FinishedRow>({ ...FINISH_RUN, values: params(false, null) })
    if (rows[0]) return reportFinished(rows[0], events, opts)
  }
  let finishedHere: FinishedRow | undefined
  const result = await withTransaction(pool, async (tx) => {
    // The row lock first: FINISH_RUN's snapshot then includes every event a concurrent writer
    // committed before it (the reaper and cancel paths do not fence on the attempt).
    const { rows } = await tx.query<RunView>(`SELECT ${RUN_VIEW_COLUMNS} FROM "Run" WHERE id = $1 FOR UPDATE`, [runId])
    const run = rows[0]
    if (!run) return null
    if (isTerminalStatus(run.status)) return run
    if (opts.attempt !== undefined && (run.status !== 'running' || run.attempt !== opts.attempt)) return run
    const jobId = crypto.randomUUID()
    const finished = (await tx.query<FinishedRow>({ ...FINISH_RUN, values: params(true, jobId) })).rows[0]
    if (!finished) return run
    // The promoted run's job, in the same transaction as the promotion.
    if (finished.promotedRunId) await enqueueRun(boss, finished.promotedRunId, run.chatId, tx, jobId)
    return (finishedHere = finished)
  })
  // Only once committed: an observer must never hear of a finish that was rolled back.
  return finishedHere ? reportFinished(finishedHere, events, opts) : result
}

/**
 * Tells other processes about a run this call finished (its events, its status, the run promoted
 * on its chat, whose job committed with it and wakes a fetch loop, and the webhook messages stored
 * with it, which wake the dispatchers), then the observer: its terminal events, then the run.
 */
function reportFinished(row: FinishedRow, events: RunEvent[], { observer, notifier }: FinishOptions): RunView {
  const { promotedRunId, webhookMessages, ...run } = row
  notifier.sendEvents(run.id, run.lastSeq)
  notifier.sendRunChange({ accountId: run.accountId, runId: run.id, status: run.status })
  if (promotedRunId) notifier.sendRunChange({ accountId: run.accountId, runId: promotedRunId, status: 'queued' })
  if (webhookMessages) notifier.sendWebhookMessages()
  const first = run.lastSeq - events.length + 1
  const written: WrittenEvent[] = events.map((event, i) => ({ seq: first + i, event }))
  observer.eventsWritten({ run, events: written, at: run.finishedAt ?? new Date() })
  // FINISH_RUN only ever sets a terminal status.
  observer.runFinished({ run: run as RunFinished['run'] })
  return run
}
