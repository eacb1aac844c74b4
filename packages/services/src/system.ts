// Health of the process's dependencies, for liveness and readiness endpoints and metrics.
import type { Engine } from '@runyard/engine'

/** One readiness check: `ok`, or `fail` with what is wrong (no internal error text: probes are unauthenticated). */
export type ReadinessCheck = { status: 'ok' } | { status: 'fail'; reason: string }

export interface Readiness {
  status: 'ready' | 'not_ready'
  checks: {
    /** The database answers. */
    database: ReadinessCheck
    /** Every migration this build ships is applied (`pending` names those that are not). */
    migrations: ReadinessCheck & { pending?: string[] }
    /** This process's run queue (pg-boss) is started and its queue exists. */
    queue: ReadinessCheck
  }
}

/** A check that has not answered by then counts as failed: a probe must answer promptly. */
const CHECK_TIMEOUT_MS = 3_000

export class SystemService {
  constructor(private readonly engine: Engine) {}

  /** Fails when the database cannot be reached (answered as 503 by the surfaces). */
  ping(): Promise<void> {
    return this.engine.ping()
  }

  /** Whether this process can do its work now: database, schema and queue, checked at once. */
  async readiness(): Promise<Readiness> {
    const [database, migrations, queue] = await Promise.all([
      check(async () => {
        await this.engine.ping()
        return { status: 'ok' as const }
      }, 'the database is unreachable'),
      check(async () => {
        const { pending } = await this.engine.migrationStatus()
        return pending.length
          ? { status: 'fail' as const, reason: `${pending.length} migration(s) not applied`, pending }
          : { status: 'ok' as const }
      }, 'the migration status could not be read'),
      check(
        async () =>
          (await this.engine.queueReady())
            ? { status: 'ok' as const }
            : { status: 'fail' as const, reason: 'the run queue is not running' },
        'the run queue could not be reached',
      ),
    ])
    const ready = database.status === 'ok' && migrations.status === 'ok' && queue.status === 'ok'
    return { status: ready ? 'ready' : 'not_ready', checks: { database, migrations, queue } }
  }

  /** Runs waiting to execute and the oldest one's wait (metrics). */
  queueStats(): Promise<{ queued: number; oldestQueuedSeconds: number }> {
    return this.engine.queueStats()
  }
}

async function check<T extends ReadinessCheck>(run: () => Promise<T>, failure: string): Promise<T | ReadinessCheck> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<ReadinessCheck>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: 'fail', reason: `${failure} (no answer within ${CHECK_TIMEOUT_MS / 1000} s)` }),
      CHECK_TIMEOUT_MS,
    )
  })
  try {
    return await Promise.race([run().catch((): ReadinessCheck => ({ status: 'fail', reason: failure })), timeout])
  } finally {
    clearTimeout(timer)
  }
}
