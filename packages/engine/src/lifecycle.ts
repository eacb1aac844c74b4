// Terminal transitions: status, terminal events, usage totals, the run's ephemeral key deleted,
// the chat released and the next run waiting on it promoted — all in one statement (FINISH_RUN), and
// for several runs ending together in one statement too (FINISH_RUNS).
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
import { TurnBatcher } from './turn-batcher.ts'
import { webhookOutboxCtes } from './webhooks/index.ts'
import type { EngineObserver, RunFinished, WrittenEvent } from './observer.ts'

export interface FinishOptions {
  /** Told once the run is finished by this call (not when it was already terminal). */
  observer: Required<Pick<EngineObserver, 'runFinished' | 'eventsWritten'>>
  /** Tells other processes (and this one's listeners) once the finish is committed. */
  notifier: Pick<Notifier, 'sendEvents' | 'sendRunChange' | 'sendWebhookMessages'>
  /** Only finish if the run is still held by this execution attempt. */
  attempt?: number
  /** With `attempt`: the statement is shared with other runs finishing at the same time (the worker's). */
  batch?: ReturnType<typeof finishBatcher>
}

/**
 * Finishes runs in one statement, so each transition is atomic without a transaction of its own:
 * one run (FINISH_RUN), or several that ended close together (FINISH_RUNS, the worker's batches:
 * turn-batcher.ts), each fenced on its own. `input` is the runs: run_id, attempt (the fence; null:
 * any holder), status, error_code/error_message, events/types (the terminal events, one batch
 * each, see encodeBatch) and n (their count). $1 whether a waiting run may be promoted, $2 the
 * promoted run's queue job id (one run only).
 * - `finished` locks and updates each run, fenced on status (not terminal) and attempt; everything
 *   else hangs off its RETURNING, so a run whose fence fails is left out of all of it (and of the
 *   result), the others are finished.
 * - Seqs continue from the log's last seq and usage sums the completed steps (step_finish events,
 *   in the batches holding one); both read the statement's snapshot, so a caller that cannot rule
 *   out a concurrent writer (a lost worker of the same attempt) takes the run's row lock first, in
 *   a transaction (see finishRun).
 * - When $1 is false and a run waits on the chat, nothing happens: promoting it also needs its
 *   pg-boss job, which a caller inserts in the same transaction.
 * - A session's usage grows by the sum of its runs finished here (two runs of one session may end
 *   together: an UPDATE … FROM applies one joined row per target row).
 * - The promotion reads `finished`, so the chat's unique lock is released before it is taken. Only
 *   a run that held the lock hands the chat on (`held`, read before `finished` clears it: every
 *   part of the statement sees the rows as they were); a waiting run that ends (cancelled, with
 *   the chat held by another run) promotes nothing: promoting then broke the lock's unique index.
 * - It sends no notification (a NOTIFY would hold PostgreSQL's notify lock through the commit's
 *   flush): finishRun has them sent once it is committed (notifier.ts).
 * - The runs' webhook messages are stored with their end (webhooks/outbox.ts: nothing more than an
 *   index probe for an account without enabled endpoints).
 */
const finishSql = (input: string) => `
WITH input AS (
  ${input}
), prev AS (
  SELECT i.*, ${lastSeqSql('i.run_id')} AS seq FROM input i
), held AS (
  SELECT r.id FROM "Run" r JOIN prev p ON r.id = p.run_id WHERE r."lockedChatId" IS NOT NULL
), usage AS (
  SELECT p.run_id,
         COALESCE(sum((u.usage->>'input_tokens')::int), 0)::int AS input,
         COALESCE(sum((u.usage->>'output_tokens')::int), 0)::int AS output,
         COALESCE(sum((u.usage->>'cache_read')::int), 0)::int AS "cacheRead",
         COALESCE(sum((u.usage->>'cache_write')::int), 0)::int AS "cacheWrite"
  FROM prev p LEFT JOIN LATERAL (SELECT e.data::json->'usage' AS usage FROM (${eventDataSql('p.run_id', 'step_finish')}) e) u ON true
  GROUP BY p.run_id
), finished AS (
  UPDATE "Run" r SET status = p.status::"RunStatus", "finishedAt" = now(), "lockedChatId" = NULL, "workerId" = NULL, "leaseExpiresAt" = NULL,
    "errorCode" = p.error_code, "errorMessage" = p.error_message, "lastSeq" = p.seq + p.n,
    "inputTokens" = u.input, "outputTokens" = u.output, "cacheReadTokens" = u."cacheRead", "cacheWriteTokens" = u."cacheWrite"
  FROM prev p JOIN usage u ON u.run_id = p.run_id
  WHERE r.id = p.run_id AND r.status IN ('queued', 'running') AND (p.attempt IS NULL OR (r.status = 'running' AND r.attempt = p.attempt))
    AND ($1::boolean OR NOT EXISTS (SELECT 1 FROM "Run" w WHERE w."chatId" = r."chatId" AND w.status = 'queued' AND w."lockedChatId" IS NULL))
  RETURNING ${runViewColumns('r')}
), events AS (
  ${insertBatchSql({ runId: 'f.id', seq: 'p.seq + 1', lastSeq: 'f."lastSeq"', params: { arrays: { events: 'p.events', types: 'p.types' } }, from: 'finished f JOIN prev p ON p.run_id = f.id' })}
), session_usage AS (
  SELECT f."sessionId" AS id, array_agg(f.id) AS runs, sum(f."inputTokens")::int AS input, sum(f."outputTokens")::int AS output,
    sum(f."cacheReadTokens")::int AS "cacheRead", sum(f."cacheWriteTokens")::int AS "cacheWrite"
  FROM finished f GROUP BY f."sessionId"
), session AS (
  UPDATE "Session" s SET "inputTokens" = s."inputTokens" + su.input, "outputTokens" = s."outputTokens" + su.output,
    "cacheReadTokens" = s."cacheReadTokens" + su."cacheRead", "cacheWriteTokens" = s."cacheWriteTokens" + su."cacheWrite",
    "activeStreamId" = CASE WHEN s."activeStreamId" = ANY(su.runs) THEN NULL ELSE s."activeStreamId" END, "updatedAt" = now()
  FROM session_usage su WHERE s.id = su.id
), key AS (
  DELETE FROM "ApiKey" WHERE "runId" IN (SELECT id FROM finished) AND kind = 'ephemeral'
), ${webhookOutboxCtes('finished')}, promoted AS (
  UPDATE "Run" SET "lockedChatId" = "chatId", "jobId" = $2 WHERE id = (
    SELECT w.id FROM "Run" w, finished f JOIN held h ON h.id = f.id
    WHERE w."chatId" = f."chatId" AND w.status = 'queued' AND w."lockedChatId" IS NULL
    ORDER BY w."createdAt", w.id LIMIT 1 FOR UPDATE OF w SKIP LOCKED
  ) RETURNING id
)
SELECT f.*, (SELECT id FROM promoted) AS "promotedRunId", EXISTS (SELECT 1 FROM webhook_outbox o WHERE o."runId" = f.id) AS "webhookMessages"
FROM finished f`

/** $3 run id, $4 attempt, $5 status, $6/$7 error code/message, $8/$9 events/types, $10 their count. */
const FINISH_RUN = prepared(
  finishSql(
    `SELECT $3::text AS run_id, $4::int AS attempt, $5::text AS status, $6::text AS error_code, $7::text AS error_message, $8::text AS events, $9::text AS types, $10::int AS n`,
  ),
)
/** The same as arrays, one element per run (never a promotion: $1 is false). */
const FINISH_RUNS = prepared(
  finishSql(
    `SELECT * FROM unnest($3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[])
    AS i(run_id, attempt, status, error_code, error_message, events, types, n)`,
  ),
)

/** One run's part of a finish: FINISH_RUN's $3 to $10. */
export type FinishParams = [
  runId: string,
  attempt: number | null,
  status: string,
  errorCode: string | null,
  errorMessage: string | null,
  events: string,
  types: string,
  count: number,
]

/** Most runs one finish statement takes. */
const MAX_FINISHES_PER_STATEMENT = 64

/**
 * A worker's attempt-fenced finishes (finishRun's one-round-trip case): those made in the same
 * event-loop turn, or while the previous finish statement is in flight, go in one statement.
 * Resolves with the run's finished row, or null when it was not finished there (its fence
 * failed, or a run waits on its chat: finishRun then takes its transaction path).
 */
export function finishBatcher(
  pool: DbPool,
  onBatchError: (err: unknown, size: number) => void,
): TurnBatcher<FinishParams, FinishedRow | null> {
  return new TurnBatcher<FinishParams, FinishedRow | null>({
    max: MAX_FINISHES_PER_STATEMENT,
    onBatchError,
    async one(params) {
      return (await pool.query<FinishedRow>({ ...FINISH_RUN, values: [false, null, ...params] })).rows[0] ?? null
    },
    async many(all) {
      // A run twice in one batch: finished once; the other finish finds it terminal (finishRun's transaction path).
      const seen = new Set<string>()
      const finishes = all.filter((f) => !seen.has(f[0]) && seen.add(f[0]))
      const column = <K extends number>(k: K) => finishes.map((f) => f[k])
      const { rows } = await pool.query<FinishedRow>({
        ...FINISH_RUNS,
        values: [false, null, column(0), column(1), column(2), column(3), column(4), column(5), column(6), column(7)],
      })
      const byId = new Map(rows.map((r) => [r.id, r]))
      return all.map((f) => (finishes.includes(f) ? (byId.get(f[0]) ?? null) : null))
    },
  })
}

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
  const params: FinishParams = [
    runId,
    opts.attempt ?? null,
    outcome.status,
    error?.code ?? null,
    error?.message ?? null,
    batch.events,
    batch.types,
    events.length,
  ]

  // The common case, one round trip: the executing attempt finishes (its own events are flushed,
  // other attempts' writers are fenced out by the claim) and no run waits on the chat.
  if (opts.attempt !== undefined) {
    const row = opts.batch
      ? await opts.batch.add(params)
      : (await pool.query<FinishedRow>({ ...FINISH_RUN, values: [false, null, ...params] })).rows[0]
    if (row) return reportFinished(row, events, opts)
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
    const finished = (await tx.query<FinishedRow>({ ...FINISH_RUN, values: [true, jobId, ...params] })).rows[0]
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
