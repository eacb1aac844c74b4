// pg-boss, in both deployment modes: one queue of "execute run X" jobs. The per-chat guarantee
// comes from the Run table (lockedChatId) and from the queue policy `singleton` keyed by chat id.
import pg from 'pg'
import { PgBoss, type Db as BossDb } from 'pg-boss'
import type { EngineConfig } from './config.ts'
import type { Queryable } from './types.ts'
import { preparedFor } from './prepared.ts'
import { slottedClient, type StatementSlots } from './statement-slots.ts'

export const RUN_QUEUE = 'runyard-runs'

export interface RunJob {
  runId: string
}

type QueryArgs = [text: unknown, values?: unknown, callback?: unknown]
const clientQuery = pg.Client.prototype.query as (this: pg.Client, ...args: QueryArgs) => unknown

/**
 * The connections of pg-boss's pool prepare its parameterized statements once per connection, as
 * ours are (prepared.ts): otherwise its fetch and complete statements are planned on every call
 * (measured: 0.5 ms of PostgreSQL time per run, more than executing them).
 */
class PreparingClient extends pg.Client {}
Object.defineProperty(PreparingClient.prototype, 'query', {
  value(this: pg.Client, ...[text, values, callback]: QueryArgs) {
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0)
      return clientQuery.call(this, { ...preparedFor(text), values }, callback)
    return clientQuery.call(this, text, values, callback)
  },
})

/**
 * pg-boss for this process; `slots` (processes that execute runs) paces its statements with the
 * workers'; `schedule`: this process keeps schedules (schedules.ts) and takes part in sending them.
 */
export function createBoss(
  url: string,
  cfg: EngineConfig,
  opts: { supervise: boolean; slots?: StatementSlots; schedule?: boolean },
): PgBoss {
  const superviseSeconds = Math.max(1, Math.min(5, Math.floor(cfg.leaseMs / 2000)))
  // pg-boss hands its options to pg.Pool, which takes the client class (not in pg-boss's types).
  const pool = { Client: opts.slots ? slottedClient(PreparingClient, opts.slots) : PreparingClient }
  return new PgBoss({
    ...pool,
    connectionString: url,
    options: '-c TimeZone=UTC -c plan_cache_mode=force_generic_plan',
    // The run queue's fetch, complete and touch, the webhook sender's fetch and the supervisor's
    // maintenance: one at a time each, rarely more than two at once. Each connection is a
    // PostgreSQL backend (2–9 MB with pg-boss's prepared statements); 4 kept 3–4 of them alive on
    // an idle server, polled by those timers.
    max: 2,
    schema: 'pgboss',
    // pg-boss's LISTEN connection (a PostgreSQL backend of its own) wakes only notify-enabled
    // queues: the schedules' (schedules.ts). The run and webhook queues are woken through the
    // engine's own LISTEN (notifier.ts), so a process without schedules does without it.
    useListenNotify: Boolean(opts.schedule),
    supervise: opts.supervise,
    schedule: Boolean(opts.schedule),
    superviseIntervalSeconds: superviseSeconds,
    monitorIntervalSeconds: superviseSeconds,
    registerInstance: false,
    // A run's trace is carried by the Run row (tracing.ts), across re-queues by the reaper too;
    // pg-boss's own spans (a new trace per job processed) would only scatter it.
    openTelemetry: { enabled: false },
  })
}

export async function ensureRunQueue(boss: PgBoss, cfg: EngineConfig): Promise<void> {
  const options = {
    policy: 'singleton' as const,
    // Workers are woken by run notifications, one loop at a time (see fetch-loops.ts).
    notify: false,
    heartbeatSeconds: Math.max(10, Math.ceil(cfg.leaseMs / 1000)),
    // Not the liveness check (heartbeats and leases are) nor the run's time limit (the worker
    // fails a run with `timeout` at maxRunMs): a backstop beyond both, for a handler that hangs.
    expireInSeconds: Math.ceil((cfg.maxRunMs + cfg.leaseMs) / 1000) + 60,
    retryLimit: cfg.maxAttempts + 2,
    retryDelay: 1,
  }
  if (!(await boss.getQueue(RUN_QUEUE))) await boss.createQueue(RUN_QUEUE, options)
  else {
    const { policy: _policy, heartbeatSeconds: _heartbeat, ...updatable } = options
    await boss.updateQueue(RUN_QUEUE, updatable)
  }
}

/** Makes pg-boss run its statements on our transaction's connection (atomic enqueue). */
export function inTransaction(client: Queryable): BossDb {
  return { executeSql: (text: string, values?: unknown[]) => client.query({ ...preparedFor(text), values }) }
}

export async function enqueueRun(
  boss: PgBoss,
  runId: string,
  chatId: string,
  tx?: Queryable,
  jobId?: string,
): Promise<string> {
  const id = await boss.send(RUN_QUEUE, { runId } satisfies RunJob, {
    singletonKey: chatId,
    ...(jobId ? { id: jobId } : {}),
    ...(tx ? { db: inTransaction(tx) } : {}),
  })
  if (!id) throw new Error(`pg-boss refused the job for run ${runId}`)
  return id
}
