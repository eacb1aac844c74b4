// Queues the webhook messages that need a job: those the outbox stored when runs finished (no job
// yet), and pending ones long overdue (their job was lost: a worker died mid-attempt and pg-boss
// gave up on it). Runs on the outbox's notification and on a periodic sweep, in every process that
// delivers, so a message stored just before its process died is queued by the next sweep anywhere.
import type { PgBoss } from 'pg-boss'
import { prepared } from '../prepared.ts'
import { withTransaction } from '../tx.ts'
import type { DbPool } from '../types.ts'
import { queueAttempts } from './queue.ts'

/** A pending message whose attempt is this late is assumed to have lost its job. */
const OVERDUE = "interval '5 minutes'"
const BATCH = 200

const DUE = prepared(`
SELECT id, "accountId", GREATEST(0, EXTRACT(EPOCH FROM "nextAttemptAt" - now()))::float8 AS "delaySeconds" FROM "WebhookDelivery"
WHERE status = 'pending' AND ("enqueuedAt" IS NULL OR "nextAttemptAt" < now() - ${OVERDUE})
  AND ("lockedUntil" IS NULL OR "lockedUntil" < now())
ORDER BY "nextAttemptAt" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`)

// An overdue message's next attempt is now: the sweep leaves it alone for another OVERDUE.
const QUEUED = prepared(
  `UPDATE "WebhookDelivery" SET "enqueuedAt" = now(), "nextAttemptAt" = GREATEST("nextAttemptAt", now()) WHERE id = ANY($1::text[])`,
)

/** Queues every message that needs a job; returns how many were queued. */
export async function queueDueMessages(pool: DbPool, boss: PgBoss): Promise<number> {
  let total = 0
  for (;;) {
    const queued = await withTransaction(pool, async (tx) => {
      const { rows } = await tx.query<{ id: string; accountId: string; delaySeconds: number }>(DUE)
      if (rows.length === 0) return 0
      await queueAttempts(
        boss,
        tx,
        rows.map((r) => ({ messageId: r.id, accountId: r.accountId, delaySeconds: r.delaySeconds })),
      )
      await tx.query({ ...QUEUED, values: [rows.map((r) => r.id)] })
      return rows.length
    })
    total += queued
    if (queued < BATCH) return total
  }
}
