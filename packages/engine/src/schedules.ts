// Recurring maintenance jobs (retention) on pg-boss schedules: each job is a queue with a cron
// schedule stored in the database. Every process that has the job in its options keeps the
// schedule and works the queue; pg-boss's cron pass sends each occurrence once across them, and
// the queue's `stately` policy keeps one job at a time (an occurrence due while the previous one
// still runs waits for it, at most one waiting), so two processes never run the job at once.
import type { PgBoss } from 'pg-boss'
import type { Logger } from './types.ts'

export interface ScheduledJob {
  /** The queue's and schedule's name (`runyard-…`). */
  name: string
  /** A cron expression, evaluated in UTC. */
  cron: string
  /** The work; `signal` fires when the process stops (return early, the next occurrence goes on). */
  run(signal: AbortSignal): Promise<void>
}

/** Longest one occurrence may run before pg-boss counts it failed (its maximum). */
const EXPIRE_SECONDS = 24 * 60 * 60

export async function startSchedules(
  boss: PgBoss,
  jobs: readonly ScheduledJob[],
  signal: AbortSignal,
  log: Logger,
): Promise<void> {
  for (const job of jobs) {
    // A failed occurrence is not retried: the next one starts where it stopped.
    const options = { policy: 'stately' as const, retryLimit: 0, expireInSeconds: EXPIRE_SECONDS, notify: true }
    if (!(await boss.getQueue(job.name))) await boss.createQueue(job.name, options)
    await boss.schedule(job.name, job.cron, null, { tz: 'UTC' })
    await boss.work(job.name, { pollingIntervalSeconds: 60, notifyPollingIntervalSeconds: 300 }, async () => {
      try {
        await job.run(signal)
      } catch (err) {
        // Stopped by shutdown: what it did stays done, the next occurrence goes on from there.
        if (signal.aborted) return log.info({ job: job.name }, 'scheduled job stopped for shutdown')
        log.error({ err, job: job.name }, 'scheduled job failed; the next occurrence tries again')
        throw err
      }
    })
  }
}
