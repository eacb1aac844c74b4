// Retention: what is deleted once it is older than the cutoff, in short statements (at most
// `batchSize` rows each, no transaction around them), so no lock is held for long and nothing
// else waits. In this order, each step idempotent (an interrupted sweep is finished by the next):
//
// 1. the event logs (RunEventBatch rows) of runs that finished before the cutoff;
// 2. the ephemeral keys of those runs still stored (a run's key is deleted when the run ends;
//    this catches any left behind);
// 3. archived sessions archived before the cutoff whose runs all finished before it, whose
//    sandbox was released (`sandboxState` cleared: see SessionService.releaseLeftoverSandboxes),
//    with their chats, messages and runs;
// 4. webhook delivery log entries (with the message body they hold) that are done — delivered or
//    given up — and were last created, tried or delivered before the cutoff. Pending messages stay.
//
// Kept: the Run rows of sessions that are not deleted (status, usage, error, timestamps: what
// accounting reads), the sessions themselves unless archived, messages of kept chats, personal
// and org keys (revoked ones too: an `auto` server stays in keys mode because a key once existed).
// Never touched: queued or running runs, their logs, and the sessions they belong to.
import type pg from 'pg'
import {
  countFinishedRunEvents,
  deleteRunEventBatches,
  finishedBeforeSql,
  runsWithExpiredEvents,
  type EventCounts,
} from './event-log/retention.ts'
import type { Queryable } from './types.ts'

export interface SessionCounts {
  sessions: number
  chats: number
  messages: number
  runs: number
}

/** What a sweep deletes (or, counted, would delete). */
export interface RetentionCounts {
  /** Event logs of runs finished before the cutoff. */
  runEvents: EventCounts
  /** Ephemeral keys of runs finished before the cutoff. */
  runKeys: number
  /** Archived sessions deleted, with their chats, messages and runs. */
  archivedSessions: SessionCounts
  /** Archived before the cutoff but kept for now: a run finished after it, or the sandbox is not released yet. */
  archivedSessionsKept: number
  /** Webhook messages delivered or given up, last touched before the cutoff (their delivery log entries). */
  webhookDeliveries: number
}

/** The session a sweep is about to delete (its workspace folder is the caller's to remove). */
export interface ExpiringSession {
  id: string
  accountId: string
  /** Null for sessions that use a server-managed workspace folder. */
  workspaceId: string | null
}

export interface SweepOptions {
  /** Rows per statement (default 1000). */
  batchSize?: number
  /** Stops the sweep between two statements (what was deleted stays deleted; the rest waits for the next sweep). */
  signal?: AbortSignal
  /** Called after each step's page with the totals so far. */
  onProgress?(totals: RetentionCounts): void
  /** Called with each page of sessions before their rows are deleted (e.g. to remove their folders). */
  beforeSessionsDeleted?(sessions: ExpiringSession[]): Promise<void>
}

export const DEFAULT_RETENTION_BATCH = 1000
/** Sessions per page: each brings its chats, messages and runs (deleted `batchSize` rows at a time). */
const SESSION_PAGE = 100

/** An archived session retention may delete: archived before the cutoff ($2), sandbox released, every run finished before the cutoff. */
const expiredSessionSql = (s: string, cutoff: string) =>
  `${s}."lifecycleState" = 'archived' AND ${s}."archivedAt" < ${cutoff} AND ${s}."sandboxState" IS NULL
   AND NOT EXISTS (SELECT 1 FROM "Run" live WHERE live."sessionId" = ${s}.id AND (${finishedBeforeSql('live', cutoff)}) IS NOT TRUE)`

/** Done webhook messages whose last creation, attempt or success is before the cutoff. */
const OLD_WEBHOOK_DELIVERIES = (cutoff: string) =>
  `SELECT d.id FROM "WebhookDelivery" d WHERE d.status <> 'pending' AND GREATEST(d."createdAt", d."lastAttemptAt", d."succeededAt") < ${cutoff}`

const RUN_KEYS = (cutoff: string) =>
  `SELECT k.id FROM "ApiKey" k JOIN "Run" r ON r.id = k."runId" WHERE k.kind = 'ephemeral' AND ${finishedBeforeSql('r', cutoff)}`

export async function countRetention(pool: Queryable, cutoff: Date): Promise<RetentionCounts> {
  const runEvents = await countFinishedRunEvents(pool, cutoff)
  const { rows } = await pool.query<SessionCounts & { runKeys: number; kept: number; webhookDeliveries: number }>(
    `WITH doomed AS (SELECT s.id FROM "Session" s WHERE ${expiredSessionSql('s', '$1')})
     SELECT (SELECT count(*) FROM (${RUN_KEYS('$1')}) k)::int AS "runKeys",
       (SELECT count(*) FROM (${OLD_WEBHOOK_DELIVERIES('$1')}) w)::int AS "webhookDeliveries",
       (SELECT count(*) FROM doomed)::int AS sessions,
       (SELECT count(*) FROM "Chat" c WHERE c."sessionId" IN (SELECT id FROM doomed))::int AS chats,
       (SELECT count(*) FROM "Message" m JOIN "Chat" c ON c.id = m."chatId" WHERE c."sessionId" IN (SELECT id FROM doomed))::int AS messages,
       (SELECT count(*) FROM "Run" r WHERE r."sessionId" IN (SELECT id FROM doomed))::int AS runs,
       (SELECT count(*) FROM "Session" s WHERE s."lifecycleState" = 'archived' AND s."archivedAt" < $1 AND s.id NOT IN (SELECT id FROM doomed))::int AS kept`,
    [cutoff],
  )
  const { runKeys, kept, webhookDeliveries, ...archivedSessions } = rows[0]!
  return { runEvents, runKeys, archivedSessions, archivedSessionsKept: kept, webhookDeliveries }
}

/** Deletes what {@link countRetention} counts, step by step (see the top of this file). */
export async function sweepRetention(pool: pg.Pool, cutoff: Date, opts: SweepOptions = {}): Promise<RetentionCounts> {
  const batch = opts.batchSize ?? DEFAULT_RETENTION_BATCH
  const totals: RetentionCounts = {
    runEvents: { runs: 0, batches: 0, events: 0 },
    runKeys: 0,
    archivedSessions: { sessions: 0, chats: 0, messages: 0, runs: 0 },
    archivedSessionsKept: 0,
    webhookDeliveries: 0,
  }
  const progress = () => {
    opts.signal?.throwIfAborted()
    opts.onProgress?.(totals)
  }

  // 1. event logs, a page of runs at a time, each page's rows `batch` at a time
  for (let after = ''; ;) {
    const runIds = await runsWithExpiredEvents(pool, cutoff, after, batch)
    if (!runIds.length) break
    after = runIds[runIds.length - 1]!
    for (;;) {
      const gone = await deleteRunEventBatches(pool, runIds, cutoff, batch)
      totals.runEvents.batches += gone.batches
      totals.runEvents.events += gone.events
      if (gone.batches < batch) break
    }
    totals.runEvents.runs += runIds.length
    progress()
  }

  // 2. leftover run keys
  for (;;) {
    const { rowCount } = await pool.query(`DELETE FROM "ApiKey" WHERE id IN (${RUN_KEYS('$1')} LIMIT $2)`, [
      cutoff,
      batch,
    ])
    totals.runKeys += rowCount ?? 0
    if ((rowCount ?? 0) < batch) break
  }
  progress()

  // 3. archived sessions: their messages, runs and chats first (cascades would delete them in one
  //    unbounded statement), then the sessions. Every statement checks the session again.
  const deleteAll = async (sql: string, ids: string[]) => {
    let n = 0
    for (;;) {
      const { rowCount } = await pool.query(sql, [ids, cutoff, batch])
      n += rowCount ?? 0
      if ((rowCount ?? 0) < batch) return n
    }
  }
  const ofDoomed = `JOIN "Session" s ON s.id = x."sessionId" WHERE s.id = ANY($1::text[]) AND ${expiredSessionSql('s', '$2')}`
  for (let after = ''; ;) {
    const { rows: sessions } = await pool.query<ExpiringSession>(
      `SELECT s.id, s."accountId", s."workspaceId" FROM "Session" s WHERE s.id > $1 AND ${expiredSessionSql('s', '$2')} ORDER BY s.id LIMIT $3`,
      [after, cutoff, SESSION_PAGE],
    )
    if (!sessions.length) break
    after = sessions[sessions.length - 1]!.id
    await opts.beforeSessionsDeleted?.(sessions)
    const ids = sessions.map((s) => s.id)
    const counts = totals.archivedSessions
    counts.messages += await deleteAll(
      `DELETE FROM "Message" m WHERE (m."chatId", m.id) IN (SELECT y."chatId", y.id FROM "Message" y JOIN "Chat" x ON x.id = y."chatId" ${ofDoomed} LIMIT $3)`,
      ids,
    )
    counts.runs += await deleteAll(`DELETE FROM "Run" WHERE id IN (SELECT x.id FROM "Run" x ${ofDoomed} LIMIT $3)`, ids)
    counts.chats += await deleteAll(
      `DELETE FROM "Chat" WHERE id IN (SELECT x.id FROM "Chat" x ${ofDoomed} LIMIT $3)`,
      ids,
    )
    const { rowCount } = await pool.query(
      `DELETE FROM "Session" s WHERE s.id = ANY($1::text[]) AND ${expiredSessionSql('s', '$2')}`,
      [ids, cutoff],
    )
    counts.sessions += rowCount ?? 0
    progress()
  }
  // 4. the webhook delivery log
  for (;;) {
    const { rowCount } = await pool.query(
      `DELETE FROM "WebhookDelivery" WHERE id IN (${OLD_WEBHOOK_DELIVERIES('$1')} LIMIT $2)`,
      [cutoff, batch],
    )
    totals.webhookDeliveries += rowCount ?? 0
    if ((rowCount ?? 0) < batch) break
  }
  progress()

  const { rows } = await pool.query<{ kept: number }>(
    `SELECT count(*)::int AS kept FROM "Session" s WHERE s."lifecycleState" = 'archived' AND s."archivedAt" < $1`,
    [cutoff],
  )
  totals.archivedSessionsKept = rows[0]!.kept
  return totals
}

/** Counting and sweeping on one pool (the engine's, or the CLI's own). */
export interface RetentionStore {
  count(cutoff: Date): Promise<RetentionCounts>
  sweep(cutoff: Date, opts?: SweepOptions): Promise<RetentionCounts>
}

export function retentionStore(pool: pg.Pool): RetentionStore {
  return {
    count: (cutoff) => countRetention(pool, cutoff),
    sweep: (cutoff, opts) => sweepRetention(pool, cutoff, opts),
  }
}
