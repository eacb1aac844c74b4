// The pg-boss queue of webhook deliveries. A job only says "try message X now": the
// WebhookDelivery row is the truth (status, attempts, when it is due), so a job that comes late,
// twice or for a message already delivered does nothing (delivery.ts claims the row first).
import type { PgBoss } from 'pg-boss'
import { inTransaction } from '../queue.ts'
import type { Queryable } from '../types.ts'

export const WEBHOOK_QUEUE = 'runyard-webhooks'

export interface WebhookJob {
  messageId: string
}

export async function ensureWebhookQueue(boss: PgBoss): Promise<void> {
  const options = {
    // An attempt takes at most the request timeout plus two statements. pg-boss's own retries
    // are for a handler that failed (database errors); failed deliveries are retried on the
    // message's schedule with new jobs instead.
    expireInSeconds: 120,
    retryLimit: 5,
    retryDelay: 30,
    retryBackoff: true,
    // Jobs are only wake-ups: the delivery log is the WebhookDelivery table.
    deleteAfterSeconds: 24 * 3600,
  }
  if (!(await boss.getQueue(WEBHOOK_QUEUE))) await boss.createQueue(WEBHOOK_QUEUE, { policy: 'standard', ...options })
  else await boss.updateQueue(WEBHOOK_QUEUE, options)
}

/** Queues attempts of messages, each after its delay, in the caller's transaction. */
export async function queueAttempts(
  boss: PgBoss,
  tx: Queryable,
  attempts: { messageId: string; accountId: string; delaySeconds: number }[],
): Promise<void> {
  if (attempts.length === 0) return
  const jobs = attempts.map(({ messageId, accountId, delaySeconds }) => ({
    data: { messageId } satisfies WebhookJob,
    // the group bounds one account's attempts in flight (the deliverer's concurrencyPerAccount)
    group: { id: accountId },
    ...(delaySeconds > 0 ? { startAfter: `${delaySeconds.toFixed(3)} seconds` } : {}),
  }))
  await boss.insert(WEBHOOK_QUEUE, jobs, { db: inTransaction(tx) })
}
