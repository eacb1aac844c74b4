// Webhook delivery in a worker process: `concurrency` pg-boss workers on the webhook queue, each
// sending one message at a time (a batch would wait for its slowest attempt before fetching
// again), at most `concurrencyPerAccount` of them for one account (pg-boss's local group limit:
// jobs are grouped by account), and the dispatcher, run when the outbox notifies, when the
// notification connection comes back (a notification may have been missed) and on a sweep.
import type { PgBoss } from 'pg-boss'
import type { WebhookConfig } from '../config.ts'
import type { Notifier } from '../notifier.ts'
import type { DbPool, Logger } from '../types.ts'
import { attemptDelivery } from './delivery.ts'
import { queueDueMessages } from './dispatcher.ts'
import { WEBHOOK_QUEUE, type WebhookJob } from './queue.ts'

/** How often the dispatcher looks for messages without a job, notifications aside. */
const SWEEP_MS = 10_000
/**
 * The sweep runs this far out of phase with the reaper (every 5 s by default), which the engine
 * starts just before the deliverer: in phase, every sweep's transaction met a reaper tick's, and
 * on an idle server the shared pool kept, or opened again, a second connection (a PostgreSQL
 * backend, ~3–4 MB) for that moment every 10 s.
 */
const SWEEP_PHASE_MS = 2_500

export class WebhookDeliverer {
  private workId: string | undefined
  private sweep: NodeJS.Timeout | undefined
  private dispatching: Promise<void> | undefined
  private again = false
  private readonly unsubscribe: (() => void)[] = []

  constructor(
    private readonly pool: DbPool,
    private readonly boss: PgBoss,
    private readonly notifier: Notifier,
    private readonly config: WebhookConfig,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    const deps = { pool: this.pool, boss: this.boss, config: this.config, log: this.log }
    const senders = this.config.concurrency
    this.workId = await this.boss.work<WebhookJob>(
      WEBHOOK_QUEUE,
      {
        localConcurrency: senders,
        batchSize: 1,
        localGroupConcurrency: Math.min(this.config.concurrencyPerAccount, senders),
        pollingIntervalSeconds: 1,
      },
      async ([job]) => {
        if (job) await attemptDelivery(deps, job.data.messageId, job.signal)
      },
    )
    this.unsubscribe.push(
      this.notifier.onWebhookMessages(() => this.dispatch()),
      this.notifier.onReconnect(() => this.dispatch()),
    )
    this.sweep = setTimeout(() => (this.sweep = setInterval(() => this.dispatch(), SWEEP_MS)), SWEEP_PHASE_MS)
    this.dispatch()
  }

  /** Queues what needs a job now (one pass at a time; a call during a pass makes one more). */
  dispatch(): void {
    if (this.dispatching) {
      this.again = true
      return
    }
    this.dispatching = (async () => {
      do {
        this.again = false
        if ((await queueDueMessages(this.pool, this.boss)) > 0) this.wake()
      } while (this.again)
    })()
      .catch((err: unknown) => this.log.error({ err }, 'queueing webhook messages failed'))
      .finally(() => (this.dispatching = undefined))
  }

  /** Makes this process's webhook workers fetch at once instead of at their next poll. */
  wake(): void {
    // notifyWorker wakes one worker: the work() call's id names only the first of its senders
    for (const w of this.boss.getWipData()) if (w.workId === this.workId) this.boss.notifyWorker(w.id)
  }

  /** Stops taking messages; attempts in flight that outlive the process are retried elsewhere once their claim lapses. */
  async stop(): Promise<void> {
    clearTimeout(this.sweep) // the phase's timeout or the sweep's interval
    for (const off of this.unsubscribe.splice(0)) off()
    await this.dispatching
    await this.boss.offWork(WEBHOOK_QUEUE, { wait: false }).catch(() => {})
  }
}
