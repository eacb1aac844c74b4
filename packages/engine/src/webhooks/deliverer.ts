// Webhook delivery in a worker process: a pg-boss worker on the webhook queue (a batch of
// messages at a time, sent concurrently) and the dispatcher, run when the outbox notifies, when
// the notification connection comes back (a notification may have been missed) and on a sweep.
import type { PgBoss } from 'pg-boss'
import type { WebhookConfig } from '../config.ts'
import type { Notifier } from '../notifier.ts'
import type { DbPool, Logger } from '../types.ts'
import { attemptDelivery } from './delivery.ts'
import { queueDueMessages } from './dispatcher.ts'
import { WEBHOOK_QUEUE, type WebhookJob } from './queue.ts'

/** How often the dispatcher looks for messages without a job, notifications aside. */
const SWEEP_MS = 10_000

export class WebhookDeliverer {
  private workerId: string | undefined
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
    this.workerId = await this.boss.work<WebhookJob>(
      WEBHOOK_QUEUE,
      { localConcurrency: 1, batchSize: this.config.concurrency, pollingIntervalSeconds: 1 },
      async (jobs) => {
        await Promise.all(jobs.map((job) => attemptDelivery(deps, job.data.messageId, job.signal)))
      },
    )
    this.unsubscribe.push(
      this.notifier.onWebhookMessages(() => this.dispatch()),
      this.notifier.onReconnect(() => this.dispatch()),
    )
    this.sweep = setInterval(() => this.dispatch(), SWEEP_MS)
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

  /** Makes this process's webhook worker fetch at once instead of at its next poll. */
  wake(): void {
    if (this.workerId) this.boss.notifyWorker(this.workerId)
  }

  /** Stops taking messages; attempts in flight that outlive the process are retried elsewhere once their claim lapses. */
  async stop(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep)
    for (const off of this.unsubscribe.splice(0)) off()
    await this.dispatching
    await this.boss.offWork(WEBHOOK_QUEUE, { wait: false }).catch(() => {})
  }
}
