// Admission: everything a run needs before any sandbox or model work, in one transaction — the
// per-chat lock (a unique index, not memory), the run row, its ephemeral key, its first event,
// its queue job and, for headless runs, the new session and chat. Either all of it exists
// afterwards or none of it does. On the engine's pipelining pool a new chat takes one round trip
// (BEGIN, the statement, the job, a check that the job was written and COMMIT in one write:
// oneTrip below), an existing chat three (BEGIN with the statement; the job; COMMIT).
// An archived session admits nothing: the statement reads the session's state under FOR KEY
// SHARE (the lock the Run foreign key takes anyway), which only the archive's FOR UPDATE (archive.ts)
// conflicts with: an archive either committed first (the run is refused) or waits until this
// admission has committed (and then finds the run and cancels it) — no run slips in between.
// Ordinary session updates (usage totals when a run finishes) do not conflict, so no deadlock.
// Rate limits and the concurrent-run quota, when the operator sets any, are one more statement
// sent first on the same round trip (rate-limits.ts, withinLimits below).
import crypto from 'node:crypto'
import {
  AppError,
  newId,
  notFound,
  sessionArchived,
  storableJson,
  type NewSessionValues,
  type RunEvent,
  type StartRunRequest,
} from '@runyard/contract'
import { newApiKeySecret } from '@runyard/db'
import type { PgBoss } from 'pg-boss'
import type pg from 'pg'
import type { EngineConfig } from './config.ts'
import { encodeBatch, insertBatchSql } from './event-log/index.ts'
import { enqueueRun, RUN_QUEUE } from './queue.ts'
import { limitsApply, quotaError, takeQuota } from './rate-limits.ts'
import { RUN_VIEW_COLUMNS, type RunRow, type RunView } from './run-row.ts'
import type { DbPool, Queryable } from './types.ts'
import { withTransaction } from './tx.ts'
import { prepared } from './prepared.ts'
import { traceAdmission } from './tracing.ts'

/** Every run's first event (seq 1). */
export const QUEUED_EVENT: RunEvent = { type: 'run_status', status: 'queued' }
const QUEUED = encodeBatch([QUEUED_EVENT])

// $1 run id, $2 account, $3 chat, $4 kind, $5 lock?, $6 model, $7 input, $8 maxAttempts,
// $9 responseId, $10 previousResponseId, $11 metadata, $12 jobId, $13-$16 key (id, prefix, hash, ttl ms),
// $17/$18 the first event (QUEUED's events and types), $19 traceparent (tracing.ts), $20 the rate-limited key
const RUN_COLUMNS = `INSERT INTO "Run" (id, "accountId", "chatId", "sessionId", kind, status, "lockedChatId", model, input, "maxAttempts",
    "responseId", "previousResponseId", metadata, "jobId", "lastSeq", traceparent, "rateKeyId")
  SELECT $1, $2, chat.id, chat."sessionId", $4::"RunKind", 'queued', CASE WHEN $5::boolean THEN chat.id END, $6, $7::jsonb, $8,
    $9, $10, $11::jsonb, CASE WHEN $5::boolean THEN $12 END, 1, $19, $20 FROM chat WHERE NOT chat.archived`

/** What admission's caller reads back: the run as reported, and its lock and job. */
const RUN_RETURNING = `RETURNING ${RUN_VIEW_COLUMNS}, "lockedChatId", "jobId"`
type AdmittedRun = RunView & Pick<RunRow, 'lockedChatId' | 'jobId'> & { previousTraceparent: string | null }

/**
 * When tracing is on ($19 set), the traceparent of the chat's run before this one (the statement
 * does not see the run it inserts): the new run's trace links to it, so a turn that answers a
 * client tool call, or any later turn, leads back to the run it continues.
 */
const PREVIOUS_TRACEPARENT = `CASE WHEN $19::text IS NOT NULL THEN
    (SELECT p.traceparent FROM "Run" p WHERE p."chatId" = $3 ORDER BY p."createdAt" DESC LIMIT 1) END AS "previousTraceparent"`

const AFTER_RUN = `
key AS (
  INSERT INTO "ApiKey" (id, "accountId", name, kind, prefix, hash, "expiresAt", "runId")
  SELECT $13, $2, 'run ' || run.id, 'ephemeral', $14, $15, now() + $16 * interval '1 millisecond', run.id FROM run
), event AS (
  ${insertBatchSql({ runId: 'run.id', seq: '1', lastSeq: '1', params: { events: 17, types: 18 }, from: 'run' })}
)
SELECT (SELECT count(*) FROM chat)::int AS "chatFound", (SELECT "sessionId" FROM chat WHERE archived) AS "archivedSessionId",
  ${PREVIOUS_TRACEPARENT}, run.* FROM (SELECT 1) one LEFT JOIN run ON true`

const EXISTING_CHAT = prepared(`
WITH chat AS (
  SELECT c.id, c."sessionId", s."lifecycleState" = 'archived' AS archived
  FROM "Chat" c JOIN "Session" s ON s.id = c."sessionId" WHERE c.id = $3 AND c."accountId" = $2 FOR KEY SHARE OF s
),
run AS (${RUN_COLUMNS} ON CONFLICT ("lockedChatId") DO NOTHING ${RUN_RETURNING}),${AFTER_RUN}`)

// $21 session id, $22 title, $23 sandbox type, $24 model id, $25 provider id, $26 the chat's client id
const NEW_CHAT = prepared(`
WITH session AS (
  INSERT INTO "Session" (id, "accountId", title, "sandboxType", "modelId", "providerId", "updatedAt")
  VALUES ($21, $2, $22, $23::"SandboxType", $24, $25, now()) RETURNING id
), chat AS (
  INSERT INTO "Chat" (id, "sessionId", "accountId", title, "clientId", "updatedAt") SELECT $3, session.id, $2, $22, $26, now() FROM session RETURNING id, "sessionId", false AS archived
),
run AS (${RUN_COLUMNS} ${RUN_RETURNING}),${AFTER_RUN}`)

type AdmitRow = AdmittedRun & { chatFound: number; archivedSessionId: string | null }

export async function admitRun(
  pool: pg.Pool,
  boss: PgBoss,
  cfg: EngineConfig,
  req: StartRunRequest,
): Promise<AdmittedRun> {
  const transaction: typeof oneTrip = req.provision ? oneTrip : withTransaction
  return traceAdmission(req, (traceparent) =>
    transaction(pool, (tx, jobSent) =>
      withinLimits(tx, cfg, req, async () => {
        const runId = req.runId ?? newId('run')
        const key = newApiKeySecret('run') // its secret is never revealed: a worker issues a fresh one at claim
        const jobId = crypto.randomUUID()
        const params = (lock: boolean): unknown[] => [
          runId,
          req.accountId,
          req.chatId,
          req.kind,
          lock,
          req.model,
          storableJson(req.input),
          cfg.maxAttempts,
          req.responseId ?? null,
          req.previousResponseId ?? null,
          req.metadata ? storableJson(req.metadata) : null,
          jobId,
          newId('apiKey'),
          key.prefix,
          key.hash,
          cfg.ephemeralKeyTtlMs,
          QUEUED.events,
          QUEUED.types,
          traceparent,
          req.keyId ?? null,
        ]
        if (req.provision) {
          const p: NewSessionValues = req.provision
          // A new chat's run always holds the chat lock, so its job is sent without waiting for the
          // statement (one round trip for both on a pipelining connection). If the statement fails,
          // the transaction is aborted and the job insert fails with it.
          const admitted = tx.query<AdmitRow>({
            ...NEW_CHAT,
            values: [
              ...params(true),
              p.sessionId,
              p.title,
              p.sandboxType,
              p.modelId,
              p.providerId,
              p.chatClientId ?? null,
            ],
          })
          const enqueued = enqueueRun(boss, runId, req.chatId, signalling(tx, jobSent && (() => jobSent(jobId))), jobId)
          const [a, e] = await Promise.allSettled([admitted, enqueued])
          if (a.status === 'rejected') throw a.reason
          if (e.status === 'rejected') throw e.reason
          return a.value.rows[0]!
        }
        let row = (await tx.query<AdmitRow>({ ...EXISTING_CHAT, values: params(true) })).rows[0]
        if (!row?.chatFound) throw notFound('chat_not_found', `Chat ${req.chatId} was not found`)
        if (row.archivedSessionId) throw sessionArchived(row.archivedSessionId)
        if (!row.id) {
          if (req.ifBusy !== 'enqueue') {
            const active = await tx.query<{ id: string }>('SELECT id FROM "Run" WHERE "lockedChatId" = $1', [
              req.chatId,
            ])
            const activeRunId = active.rows[0]?.id
            throw new AppError(
              'conflict',
              'chat_busy',
              `Chat ${req.chatId} already has an active run${activeRunId ? ` (${activeRunId})` : ''}`,
              { activeRunId },
            )
          }
          // Waits behind the active run; gets its job when promoted (see lifecycle.ts).
          row = (await tx.query<AdmitRow>({ ...EXISTING_CHAT, values: params(false) })).rows[0]
          if (row?.archivedSessionId) throw sessionArchived(row.archivedSessionId)
        }
        const run = row!
        if (run.lockedChatId) await enqueueRun(boss, runId, req.chatId, tx, run.jobId!)
        return run
      }),
    ),
  )
}

/**
 * Fails (division by zero) unless the run's job was written: pg-boss's insert skips a conflicting
 * job silently (no row, no error). The count is not a constant, so the planner cannot fold 1/0.
 */
const JOB_WRITTEN = prepared(`SELECT 1 / count(*)::int FROM pgboss.job WHERE name = '${RUN_QUEUE}' AND id = $1::uuid`)

/** `tx` calling `sent` once it has sent a statement (the job's insert: pg-boss sends it a few promise jobs later). */
function signalling(tx: Queryable, sent: (() => void) | undefined): Queryable {
  if (!sent) return tx
  return {
    query: ((...args: unknown[]) => {
      const result = (tx.query as (...a: unknown[]) => unknown)(...args)
      sent()
      return result
    }) as Queryable['query'],
  }
}

const noJob = (): undefined => undefined

/**
 * A new chat's admission in one round trip. Everything it sends is known before any answer comes
 * back, so on a pipelining connection COMMIT is queued right behind the job's insert instead of
 * after the answers: the 202 is one round trip sooner, and the backend is woken once per admission
 * instead of twice (docs/benchmarks.md, "admission CPU"). Atomicity is PostgreSQL's: a statement that fails aborts
 * the transaction, and the COMMIT of an aborted transaction rolls it back. A job that pg-boss's
 * insert skipped (ON CONFLICT DO NOTHING: no error) is caught by JOB_WRITTEN, sent between the
 * insert and the COMMIT, which then fails as well. Should pg-boss fail before sending the insert,
 * ROLLBACK is sent instead of COMMIT. Without pipelining: withTransaction.
 */
async function oneTrip<T>(
  pool: DbPool,
  fn: (client: pg.PoolClient, jobSent?: (jobId: string) => void) => Promise<T>,
): Promise<T> {
  const client = await pool.connect()
  if (!client.pipeline) {
    client.release()
    return withTransaction(pool, fn)
  }
  const ignore = () => {}
  client.on('error', ignore) // a dying connection rejects the statements anyway (see tx.ts)
  const stream = client.connection.stream
  stream.cork()
  const uncork = setImmediate(() => stream.uncork())
  let jobSent!: (jobId: string) => void
  const sent = new Promise<string>((resolve) => (jobSent = resolve))
  try {
    const begin = client.query('BEGIN')
    const result = fn(client, jobSent)
    const end = Promise.race([sent, result.then(noJob, noJob)]).then((jobId): Promise<unknown> =>
      jobId === undefined
        ? client.query('ROLLBACK')
        : Promise.all([client.query({ ...JOB_WRITTEN, values: [jobId] }), client.query('COMMIT')]),
    )
    const settled = await Promise.allSettled([begin, result, end])
    for (const s of settled) if (s.status === 'rejected') throw s.reason
    return await result
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    clearImmediate(uncork)
    if (stream.writableCorked) stream.uncork()
    client.off('error', ignore)
    client.release()
  }
}

/**
 * Runs `admit` behind the rate limits and the concurrent-run quota, when any applies: their check
 * is sent first in the transaction without waiting (one round trip with admission's statement on
 * the pipelining pool). When it refuses, the statements after it fail as well (the transaction is
 * aborted) and the refusal is what the caller gets: a 429.
 */
async function withinLimits(
  tx: pg.PoolClient,
  cfg: EngineConfig,
  req: StartRunRequest,
  admit: () => Promise<AdmittedRun>,
): Promise<AdmittedRun> {
  if (!limitsApply(cfg.limits, req.keyId)) return admit()
  const quota = takeQuota(tx, cfg.limits, req.accountId, req.keyId)
  quota.catch(() => {}) // awaited below either way
  try {
    const run = await admit()
    await quota
    return run
  } catch (err) {
    throw (
      (await quota.then(
        () => undefined,
        (refused: unknown) => quotaError(refused, req.accountId) ?? refused,
      )) ?? err
    )
  }
}
