// Finds runs whose worker stopped heartbeating (lease expired) and either hands them to a new
// execution (resume from the last completed step) or, attempts exhausted, fails them with
// `worker_lost`. Every worker process runs one; claims are atomic, so they never double-reap.
import type { PgBoss } from 'pg-boss'
import type pg from 'pg'
import type { EngineConfig } from './config.ts'
import { finishRun } from './lifecycle.ts'
import { enqueueRun, RUN_QUEUE } from './queue.ts'
import type { Logger } from './worker.ts'

interface LostRun {
  id: string
  chatId: string
  attempt: number
  maxAttempts: number
  jobId: string | null
  cancelRequestedAt: Date | null
}

export async function reapLostRuns(pool: pg.Pool, boss: PgBoss, cfg: EngineConfig, log: Logger): Promise<number> {
  const { rows } = await pool.query<LostRun>(
    `UPDATE "Run" SET "workerId" = NULL, "leaseExpiresAt" = now() + $1 * interval '1 millisecond'
     WHERE id IN (SELECT id FROM "Run" WHERE status = 'running' AND "leaseExpiresAt" < now() FOR UPDATE SKIP LOCKED LIMIT 100)
     RETURNING id, "chatId", attempt, "maxAttempts", "jobId", "cancelRequestedAt"`,
    [cfg.leaseMs],
  )
  for (const run of rows) {
    try {
      if (run.cancelRequestedAt) await finishRun(pool, boss, run.id, { status: 'cancelled' })
      else if (run.attempt >= run.maxAttempts)
        await finishRun(pool, boss, run.id, { status: 'failed', error: { code: 'worker_lost', message: `The run's worker was lost ${run.attempt} times.` } })
      else await redeliver(pool, boss, run)
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
