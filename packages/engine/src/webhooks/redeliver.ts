// Manual redelivery: the message (same id, same body) goes back to pending with a fresh retry
// schedule and is queued now. The endpoint must be enabled: a disabled one receives nothing. A
// message with an attempt in flight is refused (409): that attempt holds the message, so a job
// queued now would find it taken and do nothing, and a success would end the message's schedule.
import { AppError, notFound } from '@runyard/contract'
import type { PgBoss } from 'pg-boss'
import { withTransaction } from '../tx.ts'
import type { DbPool } from '../types.ts'
import { queueAttempts } from './queue.ts'

export async function redeliverMessage(
  pool: DbPool,
  boss: PgBoss,
  accountId: string,
  endpointId: string,
  messageId: string,
): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ enabled: boolean; inFlight: boolean }>(
      `SELECT e.enabled, d."lockedUntil" IS NOT NULL AND d."lockedUntil" > now() AS "inFlight" FROM "WebhookDelivery" d JOIN "WebhookEndpoint" e ON e.id = d."endpointId"
       WHERE d.id = $1 AND d."endpointId" = $2 AND d."accountId" = $3 FOR UPDATE OF d`,
      [messageId, endpointId, accountId],
    )
    const message = rows[0]
    if (!message) throw notFound('webhook_message_not_found', `Webhook message ${messageId} was not found`)
    if (!message.enabled)
      throw new AppError(
        'conflict',
        'webhook_endpoint_disabled',
        `Webhook endpoint ${endpointId} is disabled: enable it before redelivering.`,
      )
    if (message.inFlight)
      throw new AppError(
        'conflict',
        'webhook_attempt_in_flight',
        `Webhook message ${messageId} is being sent right now: redeliver it once that attempt has finished.`,
      )
    await tx.query(
      `UPDATE "WebhookDelivery" SET status = 'pending', failures = 0, "nextAttemptAt" = now(), "enqueuedAt" = now() WHERE id = $1`,
      [messageId],
    )
    await queueAttempts(boss, tx, [{ messageId, accountId, delaySeconds: 0 }])
  })
}
