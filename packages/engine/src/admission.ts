// Admission: everything a run needs before any sandbox or model work, in one transaction — the
// per-chat lock (a unique index, not memory), the run row, its ephemeral key, its first event,
// its queue job and, for headless runs, the new session and chat. Either all of it exists
// afterwards or none of it does. A run is ONE statement, its queue job included (NEW_CHAT,
// EXISTING_CHAT: no BEGIN or COMMIT, a statement is its own transaction), or, when rate limits
// apply, one round trip on the engine's pipelining pool (BEGIN, the limits' statement, the
// statement and COMMIT in one write: oneTrip below). A run on a busy chat that is to wait is a
// second statement (without the chat's lock or a job: it gets its job when promoted).
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
import type pg from 'pg'
import type { EngineConfig } from './config.ts'
import { encodeBatch, insertBatchSql } from './event-log/index.ts'
import { RUN_QUEUE } from './queue.ts'
import { limitsApply, quotaError, takeQuota } from './rate-limits.ts'
import { RUN_VIEW_COLUMNS, type RunRow, type RunView } from './run-row.ts'
import type { DbPool } from './types.ts'
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

const KEY_AND_EVENT = `
key AS (
  INSERT INTO "ApiKey" (id, "accountId", name, kind, prefix, hash, "expiresAt", "runId")
  SELECT $13, $2, 'run ' || run.id, 'ephemeral', $14, $15, now() + $16 * interval '1 millisecond', run.id FROM run
), event AS (
  ${insertBatchSql({ runId: 'run.id', seq: '1', lastSeq: '1', params: { events: 17, types: 18 }, from: 'run' })}
)`

/** The admitted run, with what tells why there is none (`extra`: more columns first). */
const admittedRow = (extra = '') => `
SELECT (SELECT count(*) FROM chat)::int AS "chatFound", (SELECT "sessionId" FROM chat WHERE archived) AS "archivedSessionId",
  ${extra}${PREVIOUS_TRACEPARENT}, run.* FROM (SELECT 1) one LEFT JOIN run ON true`

/**
 * The run's queue job, written as pg-boss's send writes it for enqueueRun's options (queue.ts:
 * the data `{ runId }`, the chat as singleton key, the run's jobId as id) — pg-boss 12's
 * insertJobs, column for column: the queue's settings from its row with pg-boss's defaults behind
 * them, start_after and created_on job_now(), keep_until start_after + the queue's retention, ON
 * CONFLICT DO NOTHING. Into pgboss.job, whose partitioning puts it in the queue's table as pg-boss
 * does. As a CTE of the admission statement rather than through boss.send: pg-boss rebuilt its
 * ~3 KB statement text per call and sent it as a statement of its own, with a check that it wrote
 * the job and BEGIN and COMMIT around them (docs/benchmarks.md, "Admission CPU").
 * The job-written check stays: pg-boss's insert skips a conflicting job silently (no row, no
 * error), so the statement divides by the jobs it wrote and fails as a whole when that is none.
 */
const RUN_JOB = `
job AS (
  INSERT INTO pgboss.job (id, name, data, priority, start_after, created_on, singleton_key, singleton_on, group_id, group_tier,
    expire_seconds, deletion_seconds, keep_until, retry_limit, retry_delay, retry_backoff, retry_delay_max, policy, dead_letter,
    heartbeat_seconds, blocked, blocking, pending_dependencies, trace_context)
  SELECT run."jobId"::uuid, '${RUN_QUEUE}', jsonb_build_object('runId', run.id), 0, pgboss.job_now(), pgboss.job_now(), run."chatId", NULL, NULL, NULL,
    COALESCE(q.expire_seconds, 900), COALESCE(q.deletion_seconds, 604800), pgboss.job_now() + COALESCE(q.retention_seconds, 1209600) * interval '1s',
    COALESCE(q.retry_limit, 2), COALESCE(q.retry_delay, 0), COALESCE(q.retry_backoff, false), q.retry_delay_max, q.policy, q.dead_letter,
    q.heartbeat_seconds, false, false, 0, NULL
  FROM run LEFT JOIN pgboss.queue q ON q.name = '${RUN_QUEUE}' WHERE run."jobId" IS NOT NULL
  ON CONFLICT DO NOTHING RETURNING id
)`

/**
 * RUN_JOB's check: 1 / (jobs written + 1 − jobs wanted), a division by zero when the run holds its
 * chat's lock (it has a jobId) and its job was not written. A run that waits behind the chat's
 * active run, or no run at all, wants none.
 */
const JOB_WRITTEN = `1 / ((SELECT count(*) FROM job) + 1 - (SELECT count(*) FROM run WHERE run."jobId" IS NOT NULL))::int AS "jobWritten", `

/** PostgreSQL's division_by_zero: RUN_JOB's check that the job was written. */
const JOB_NOT_WRITTEN = '22012'

const EXISTING_CHAT = prepared(`
WITH chat AS (
  SELECT c.id, c."sessionId", s."lifecycleState" = 'archived' AS archived
  FROM "Chat" c JOIN "Session" s ON s.id = c."sessionId" WHERE c.id = $3 AND c."accountId" = $2 FOR KEY SHARE OF s
),
run AS (${RUN_COLUMNS} ON CONFLICT ("lockedChatId") DO NOTHING ${RUN_RETURNING}),${KEY_AND_EVENT},${RUN_JOB}${admittedRow(JOB_WRITTEN)}`)

// $21 session id, $22 title, $23 sandbox type, $24 model id, $25 provider id, $26 the chat's client id
const NEW_CHAT = prepared(`
WITH session AS (
  INSERT INTO "Session" (id, "accountId", title, "sandboxType", "modelId", "providerId", "updatedAt")
  VALUES ($21, $2, $22, $23::"SandboxType", $24, $25, now()) RETURNING id
), chat AS (
  INSERT INTO "Chat" (id, "sessionId", "accountId", title, "clientId", "updatedAt") SELECT $3, session.id, $2, $22, $26, now() FROM session RETURNING id, "sessionId", false AS archived
),
run AS (${RUN_COLUMNS} ${RUN_RETURNING}),${KEY_AND_EVENT},${RUN_JOB}${admittedRow(JOB_WRITTEN)}`)

type AdmitRow = AdmittedRun & { chatFound: number; archivedSessionId: string | null }

export async function admitRun(pool: pg.Pool, cfg: EngineConfig, req: StartRunRequest): Promise<AdmittedRun> {
  return traceAdmission(req, (traceparent) => {
    const params = runValues(cfg, req, traceparent)
    if (req.provision) return admitOnNewChat(pool, cfg, req, [...params(true), ...newChatValues(req.provision)])
    // Limits: both of its statements in one transaction, so that a refused run takes no quota.
    if (limitsApply(cfg.limits, req.keyId))
      return withTransaction(pool, (tx) => withinLimits(tx, cfg, req, () => admitOnExistingChat(tx, req, params)))
    return admitOnExistingChat(pool, req, params)
  })
}

/**
 * A run on an existing chat: the statement asks for the chat's lock; when another run holds it,
 * the run is refused as busy or (ifBusy: enqueue) admitted again without the lock, to wait. On the
 * pool each statement is its own transaction: the first writes the run with its job or nothing.
 */
async function admitOnExistingChat(
  db: pg.Pool | pg.PoolClient,
  req: StartRunRequest,
  params: (lock: boolean) => unknown[],
): Promise<AdmittedRun> {
  const admit = async (lock: boolean) => {
    const values = params(lock)
    const row = await admitStatement(db, EXISTING_CHAT, values)
    if (!row.chatFound) throw notFound('chat_not_found', `Chat ${req.chatId} was not found`)
    if (row.archivedSessionId) throw sessionArchived(row.archivedSessionId)
    return row.id ? row : undefined
  }
  const locked = await admit(true)
  if (locked) return locked
  if (req.ifBusy !== 'enqueue') {
    const active = await db.query<{ id: string }>('SELECT id FROM "Run" WHERE "lockedChatId" = $1', [req.chatId])
    const activeRunId = active.rows[0]?.id
    throw new AppError(
      'conflict',
      'chat_busy',
      `Chat ${req.chatId} already has an active run${activeRunId ? ` (${activeRunId})` : ''}`,
      { activeRunId },
    )
  }
  // Waits behind the active run; gets its job when promoted (see lifecycle.ts).
  const waiting = await admit(false)
  if (!waiting) throw new Error(`Run ${String(params(false)[0])} was not admitted on chat ${req.chatId}`)
  return waiting
}

/** $1–$20 of the run's statement; the ids are made once, whether the chat lock is asked for once or twice. */
function runValues(cfg: EngineConfig, req: StartRunRequest, traceparent: string | null) {
  const runId = req.runId ?? newId('run')
  const key = newApiKeySecret('run') // its secret is never revealed: a worker issues a fresh one at claim
  const jobId = crypto.randomUUID()
  const keyId = newId('apiKey')
  return (lock: boolean): unknown[] => [
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
    keyId,
    key.prefix,
    key.hash,
    cfg.ephemeralKeyTtlMs,
    QUEUED.events,
    QUEUED.types,
    traceparent,
    req.keyId ?? null,
  ]
}

/** $21–$26 of NEW_CHAT. */
function newChatValues(p: NewSessionValues): unknown[] {
  return [p.sessionId, p.title, p.sandboxType, p.modelId, p.providerId, p.chatClientId ?? null]
}

/**
 * A new chat's run: NEW_CHAT alone, a transaction by itself, when no rate limit applies; behind
 * the limits' statement in one round trip (oneTrip) when one does.
 */
async function admitOnNewChat(
  pool: pg.Pool,
  cfg: EngineConfig,
  req: StartRunRequest,
  values: unknown[],
): Promise<AdmittedRun> {
  if (!limitsApply(cfg.limits, req.keyId)) return admitStatement(pool, NEW_CHAT, values)
  return oneTrip(pool, (tx, sent) =>
    withinLimits(tx, cfg, req, () => {
      const admitted = admitStatement(tx, NEW_CHAT, values)
      sent()
      return admitted
    }),
  )
}

/**
 * One admission statement (NEW_CHAT or EXISTING_CHAT) and its row. It fails as a whole when the
 * run's job was not written (RUN_JOB's check); reported as pg-boss's refusal was (enqueueRun).
 */
async function admitStatement(
  db: pg.Pool | pg.PoolClient,
  statement: typeof NEW_CHAT,
  values: unknown[],
): Promise<AdmitRow> {
  try {
    // Always one row (admittedRow), with or without a run.
    return (await db.query<AdmitRow>({ ...statement, values })).rows[0]!
  } catch (err) {
    if ((err as { code?: unknown }).code === JOB_NOT_WRITTEN)
      throw new Error(`The run queue refused the job for run ${String(values[0])} (a conflicting job)`, { cause: err })
    throw err
  }
}

/**
 * A transaction in one round trip: everything it sends is known before any answer comes back, so
 * on a pipelining connection COMMIT is queued right behind the last statement (`fn` calls `sent`
 * once it sent it) instead of after the answers: the 202 is one round trip sooner, and the backend
 * is woken once per admission instead of twice (docs/benchmarks.md, "admission CPU"). Atomicity is
 * PostgreSQL's: a statement that fails aborts the transaction, and the COMMIT of an aborted
 * transaction rolls it back. Should `fn` fail before it sent its statement, ROLLBACK is sent
 * instead of COMMIT. Without pipelining: withTransaction.
 */
async function oneTrip<T>(pool: DbPool, fn: (client: pg.PoolClient, sent: () => void) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  if (!client.pipeline) {
    client.release()
    return withTransaction(pool, (tx) => fn(tx, () => {}))
  }
  const ignore = () => {}
  client.on('error', ignore) // a dying connection rejects the statements anyway (see tx.ts)
  const stream = client.connection.stream
  stream.cork()
  const uncork = setImmediate(() => stream.uncork())
  let markSent!: () => void
  const sent = new Promise<true>((resolve) => (markSent = () => resolve(true)))
  try {
    const begin = client.query('BEGIN')
    const result = fn(client, markSent)
    const end = Promise.race([sent, result.then(notSent, notSent)]).then((wasSent): Promise<unknown> =>
      client.query(wasSent ? 'COMMIT' : 'ROLLBACK'),
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

const notSent = (): false => false

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
