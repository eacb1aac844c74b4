// Finds runs whose worker stopped heartbeating (lease expired) and either hands them to a new
// execution (resume from the last completed step) or, attempts exhausted, fails them with
// `worker_lost`; gives a new queue job to a queued run whose job is gone (redeliverOrphanedRuns);
// and gives a free chat to a run left waiting on it (see promoteStrandedRuns).
// Every worker process runs one; claims are atomic, so they never double-reap.
import crypto from 'node:crypto'
import type { PgBoss } from 'pg-boss'
import type pg from 'pg'
import type { EngineConfig } from './config.ts'
import { finishRun, workerLost, type FinishOptions } from './lifecycle.ts'
import { enqueueRun, RUN_QUEUE } from './queue.ts'
import { withTransaction } from './tx.ts'
import type { Logger } from './types.ts'

interface LostRun {
  id: string
  chatId: string
  attempt: number
  maxAttempts: number
  jobId: string | null
  cancelRequestedAt: Date | null
}

export async function reapLostRuns(
  pool: pg.Pool,
  boss: PgBoss,
  cfg: EngineConfig,
  log: Logger,
  observer: FinishOptions['observer'],
  notifier: FinishOptions['notifier'],
): Promise<number> {
  // The lost attempt's key stops working now (expired), not when the next claim reissues it:
  // the dead worker's sandbox may still hold it.
  const { rows } = await pool.query<LostRun>(
    `WITH lost AS (
       UPDATE "Run" SET "workerId" = NULL, "leaseExpiresAt" = now() + $1 * interval '1 millisecond'
       WHERE id IN (SELECT id FROM "Run" WHERE status = 'running' AND "leaseExpiresAt" < now() FOR UPDATE SKIP LOCKED LIMIT 100)
       RETURNING id, "chatId", attempt, "maxAttempts", "jobId", "cancelRequestedAt"
     ), expired AS (
       UPDATE "ApiKey" SET "expiresAt" = now() WHERE kind = 'ephemeral' AND "runId" IN (SELECT id FROM lost)
     )
     SELECT * FROM lost`,
    [cfg.leaseMs],
  )
  for (const run of rows) {
    try {
      if (run.cancelRequestedAt || run.attempt >= run.maxAttempts) {
        const outcome = run.cancelRequestedAt ? ({ status: 'cancelled' } as const) : workerLost(run.attempt)
        await finishRun(pool, boss, run.id, outcome, { observer, notifier })
        // The lost worker's job is still active: it holds the chat's singleton slot (queue.ts), so
        // the run promoted on the chat could not start before pg-boss's own heartbeat check.
        if (run.jobId) await boss.cancel(RUN_QUEUE, run.jobId).catch(() => {})
      } else await redeliver(pool, boss, run)
      log.warn({ runId: run.id, attempt: run.attempt }, 'reaped a run whose worker was lost')
    } catch (err) {
      log.error({ err, runId: run.id }, 'reaping a lost run failed')
    }
  }
  return rows.length
}

/** Makes sure exactly one queue job will pick the run up again. */
async function redeliver(pool: pg.Pool, boss: PgBoss, run: LostRun) {
  const job = run.jobId ? await boss.getJobById(RUN_QUEUE, run.jobId) : null
  if (job && (job.state === 'created' || job.state === 'retry')) return
  if (job?.state === 'active') {
    // Frees the chat's singleton slot now instead of when pg-boss's own heartbeat check fires;
    // pg-boss retries the job, and that delivery claims the run.
    await boss.fail(RUN_QUEUE, { id: job.id, retryCount: job.retryCount })
    return
  }
  const jobId = await enqueueRun(boss, run.id, run.chatId)
  await pool.query('UPDATE "Run" SET "jobId" = $2 WHERE id = $1', [run.id, jobId])
}

/**
 * Queued runs holding their chat whose queue job is gone for good (pg-boss gave up after its
 * retries, e.g. claims failing while the database was unreachable) would wait forever with their
 * chat locked: each gets a new job. Only runs queued for longer than a lease are looked at, oldest
 * first; the new job replaces the old one only if the run is still queued on it.
 */
export async function redeliverOrphanedRuns(
  pool: pg.Pool,
  boss: PgBoss,
  cfg: EngineConfig,
  log: Logger,
  max = 100,
): Promise<number> {
  const { rows } = await pool.query<{ id: string; chatId: string; jobId: string | null }>(
    `SELECT id, "chatId", "jobId" FROM "Run" WHERE status = 'queued' AND "lockedChatId" IS NOT NULL AND "createdAt" < now() - $1 * interval '1 millisecond'
     ORDER BY "createdAt" LIMIT $2`,
    [cfg.leaseMs, max],
  )
  let redelivered = 0
  for (const run of rows) {
    const job = run.jobId ? await boss.getJobById(RUN_QUEUE, run.jobId) : null
    if (job && (job.state === 'created' || job.state === 'retry' || job.state === 'active')) continue
    const replaced = await withTransaction(pool, async (tx) => {
      const jobId = crypto.randomUUID()
      const { rowCount } = await tx.query(
        `UPDATE "Run" SET "jobId" = $3 WHERE id = $1 AND status = 'queued' AND "jobId" IS NOT DISTINCT FROM $2`,
        [run.id, run.jobId, jobId],
      )
      if (rowCount) await enqueueRun(boss, run.id, run.chatId, tx, jobId)
      return rowCount === 1
    })
    if (replaced) {
      redelivered++
      log.warn(
        { runId: run.id, jobId: run.jobId, jobState: job?.state ?? null },
        'gave a new queue job to a queued run whose job was gone',
      )
    }
  }
  return redelivered
}

/**
 * The oldest run waiting (`ifBusy: enqueue`) on a chat nobody holds. A run admitted to wait while
 * the chat's active run was finishing can miss that run's promotion: neither transaction sees the
 * other's row. It would wait forever; this gives it the chat and a queue job ($1).
 */
const PROMOTE_STRANDED = `
UPDATE "Run" SET "lockedChatId" = "chatId", "jobId" = $1 WHERE id = (
  SELECT w.id FROM "Run" w
  WHERE w.status = 'queued' AND w."lockedChatId" IS NULL
    AND NOT EXISTS (SELECT 1 FROM "Run" a WHERE a."lockedChatId" = w."chatId")
    AND NOT EXISTS (
      SELECT 1 FROM "Run" e WHERE e."chatId" = w."chatId" AND e.status = 'queued' AND e."lockedChatId" IS NULL
        AND (e."createdAt", e.id) < (w."createdAt", w.id))
  ORDER BY w."createdAt", w.id LIMIT 1 FOR UPDATE OF w SKIP LOCKED
) RETURNING id, "chatId"`

/**
 * The oldest run waiting on chat $2 when nobody holds the chat: it gets the chat and a queue job ($1).
 * SKIP LOCKED: a waiting run locked by its cancel is skipped (it is ending).
 */
const PROMOTE_ON_FREE_CHAT = `
UPDATE "Run" SET "lockedChatId" = "chatId", "jobId" = $1 WHERE id = (
  SELECT w.id FROM "Run" w
  WHERE w."chatId" = $2 AND w.status = 'queued' AND w."lockedChatId" IS NULL
    AND NOT EXISTS (SELECT 1 FROM "Run" a WHERE a."lockedChatId" = $2)
  ORDER BY w."createdAt", w.id LIMIT 1 FOR UPDATE OF w SKIP LOCKED
) RETURNING id, "chatId"`

/**
 * Runs a promotion statement (`sql`: $1 the new job's id, then `params`) in `tx` and inserts the
 * promoted run's queue job in the same transaction. The run promoted, or undefined for none.
 */
async function promoteWithJob(
  tx: pg.PoolClient,
  boss: PgBoss,
  sql: string,
  params: unknown[] = [],
): Promise<{ id: string; chatId: string } | undefined> {
  const jobId = crypto.randomUUID()
  const { rows } = await tx.query<{ id: string; chatId: string }>(sql, [jobId, ...params])
  if (rows[0]) await enqueueRun(boss, rows[0].id, rows[0].chatId, tx, jobId)
  return rows[0]
}

/** A promotion's unique violation: another run took the chat at the same moment (it is held). */
function nullWhenChatTaken(err: unknown): null {
  if ((err as { code?: string }).code === '23505') return null
  throw err
}

/**
 * Called once a run admitted to wait on `chatId` is committed. Its admission found the chat held,
 * but the holder's finish may have been in flight: a finish statement whose snapshot predates the
 * waiting run releases the chat without promoting it (the run would wait for promoteStrandedRuns).
 * Reading the holder under FOR KEY SHARE waits for such a finish (it holds the row FOR UPDATE)
 * and then no longer finds it; a holder found has not begun finishing, and its finish will see the
 * waiting run. When nobody holds the chat, its oldest waiting run is promoted, with its job. The
 * id of the run promoted, or null.
 */
export async function promoteOnFreeChat(pool: pg.Pool, boss: PgBoss, chatId: string): Promise<string | null> {
  return withTransaction(pool, async (tx) => {
    const holder = await tx.query('SELECT id FROM "Run" WHERE "lockedChatId" = $1 FOR KEY SHARE', [chatId])
    if (holder.rowCount) return null
    return (await promoteWithJob(tx, boss, PROMOTE_ON_FREE_CHAT, [chatId]))?.id ?? null
  }).catch(nullWhenChatTaken)
}

export async function promoteStrandedRuns(pool: pg.Pool, boss: PgBoss, log: Logger, max = 100): Promise<number> {
  let promoted = 0
  for (let i = 0; i < max; i++) {
    // null: a finishing run promoted a waiting run of the same chat at the same moment.
    const run = await withTransaction(pool, (tx) => promoteWithJob(tx, boss, PROMOTE_STRANDED)).catch(nullWhenChatTaken)
    if (run === undefined) return promoted
    if (run) {
      promoted++
      log.warn({ runId: run.id, chatId: run.chatId }, 'promoted a run left waiting on a free chat')
    }
  }
  return promoted
}
