// A queued attempt at one webhook message: claim the message (so a duplicate job or another
// worker cannot send it at the same time), send it, and record the outcome — the delivery log,
// the endpoint's health, and on failure the next attempt on the retry schedule (queued in the same
// transaction) or the message given up. An endpoint failing without a success for
// `disableAfterMs` is disabled, with the reason kept for the account to see.
import type { PgBoss } from 'pg-boss'
import type { WebhookConfig } from '../config.ts'
import { prepared } from '../prepared.ts'
import { withTransaction } from '../tx.ts'
import type { DbPool, Logger } from '../types.ts'
import { queueAttempts } from './queue.ts'
import { retryDelayMs } from './schedule.ts'
import { sendMessage, webhookPolicy, WEBHOOK_TIMEOUT_MS, type AttemptResult } from './sender.ts'

/** How long a claimed message is held: longer than an attempt can take. */
const CLAIM_SECONDS = Math.ceil(WEBHOOK_TIMEOUT_MS / 1000) * 6

/**
 * Takes a due, pending message that no attempt holds. Due allows a second of slack: the queue
 * fetches a job when its start time has come by the database clock, as `nextAttemptAt` was set.
 */
const CLAIM = prepared(`
UPDATE "WebhookDelivery" d SET "lockedUntil" = now() + interval '${CLAIM_SECONDS} seconds'
FROM "WebhookEndpoint" e
WHERE d.id = $1 AND e.id = d."endpointId" AND d.status = 'pending' AND d."nextAttemptAt" <= now() + interval '1 second'
  AND (d."lockedUntil" IS NULL OR d."lockedUntil" < now())
RETURNING d.id, d."accountId", d.payload, d.failures, e.id AS "endpointId", e.url, e.secret, e.enabled`)

interface ClaimedMessage {
  id: string
  accountId: string
  payload: string
  failures: number
  endpointId: string
  url: string
  secret: string
  enabled: boolean
}

const SUCCEEDED = prepared(`
WITH d AS (
  UPDATE "WebhookDelivery" SET status = 'succeeded', attempts = attempts + 1, failures = 0, "lastStatusCode" = $2, "lastError" = NULL,
    "lastAttemptAt" = now(), "succeededAt" = now(), "lockedUntil" = NULL
  WHERE id = $1 RETURNING "endpointId"
)
UPDATE "WebhookEndpoint" e SET "lastSuccessAt" = now(), "failingSince" = NULL FROM d WHERE e.id = d."endpointId"`)

/** The endpoint's failing streak, locked: whether this failure disables it is decided on it. */
const ENDPOINT_STREAK = prepared(`SELECT "failingSince", now() AS now FROM "WebhookEndpoint" WHERE id = $1 FOR UPDATE`)

const ENDPOINT_FAILED = prepared(`
UPDATE "WebhookEndpoint" SET "failingSince" = COALESCE("failingSince", now()),
  enabled = enabled AND $2::text IS NULL, "disabledReason" = COALESCE($2::text, "disabledReason")
WHERE id = $1`)

/** $3 the next attempt's delay in ms, null: given up ($4 says why, appended to the error). */
const FAILED = prepared(`
UPDATE "WebhookDelivery" SET attempts = attempts + 1, failures = failures + 1, "lastStatusCode" = $2, "lastAttemptAt" = now(), "lockedUntil" = NULL,
  status = CASE WHEN $3::float8 IS NULL THEN 'failed' ELSE 'pending' END::"WebhookDeliveryStatus",
  "lastError" = $4,
  "nextAttemptAt" = CASE WHEN $3::float8 IS NULL THEN "nextAttemptAt" ELSE now() + $3::float8 * interval '1 millisecond' END,
  "enqueuedAt" = CASE WHEN $3::float8 IS NULL THEN "enqueuedAt" ELSE now() END
WHERE id = $1`)

const NOT_SENT = prepared(`
UPDATE "WebhookDelivery" SET status = 'failed', "lastError" = $2, "lockedUntil" = NULL WHERE id = $1`)

export interface DeliveryDeps {
  pool: DbPool
  boss: PgBoss
  config: WebhookConfig
  log: Logger
}

/** Tries message `messageId` if it is due; does nothing for a message delivered, given up, held or not due. */
export async function attemptDelivery(deps: DeliveryDeps, messageId: string, signal?: AbortSignal): Promise<void> {
  const { rows } = await deps.pool.query<ClaimedMessage>({ ...CLAIM, values: [messageId] })
  const message = rows[0]
  if (!message) return
  if (!message.enabled) {
    await deps.pool.query({ ...NOT_SENT, values: [message.id, 'Not sent: the endpoint is disabled.'] })
    return
  }
  const result = await sendMessage(
    { id: message.id, url: message.url, secret: message.secret, payload: message.payload },
    webhookPolicy(deps.config.allowHosts),
    signal,
  )
  await record(deps, message, result)
}

async function record(deps: DeliveryDeps, message: ClaimedMessage, result: AttemptResult): Promise<void> {
  if (result.ok) {
    await deps.pool.query({ ...SUCCEEDED, values: [message.id, result.statusCode] })
    return
  }
  const failures = message.failures + 1
  const delay = retryDelayMs(failures, deps.config.retryDelaysMs)
  await withTransaction(deps.pool, async (tx) => {
    const streak = (
      await tx.query<{ failingSince: Date | null; now: Date }>({ ...ENDPOINT_STREAK, values: [message.endpointId] })
    ).rows[0]
    if (!streak) return // the endpoint was deleted meanwhile, and its messages with it
    const since = streak.failingSince ?? streak.now
    const disable = streak.now.getTime() - since.getTime() >= deps.config.disableAfterMs
    const reason = disable ? disabledReason(since, streak.now, result.error) : null
    await tx.query({ ...ENDPOINT_FAILED, values: [message.endpointId, reason] })
    const retry = disable ? null : delay
    const error =
      retry !== null
        ? result.error
        : `${result.error} (not retried: ${disable ? 'the endpoint was disabled' : 'every retry was used'})`
    await tx.query({ ...FAILED, values: [message.id, result.statusCode, retry, error] })
    if (retry !== null)
      await queueAttempts(deps.boss, tx, [
        { messageId: message.id, accountId: message.accountId, delaySeconds: retry / 1000 },
      ])
    if (disable)
      deps.log.warn(
        { endpointId: message.endpointId, failingSince: since },
        'webhook endpoint disabled: no successful delivery for too long',
      )
  })
}

function disabledReason(since: Date, now: Date, lastError: string): string {
  const hours = (now.getTime() - since.getTime()) / 3_600_000
  const span =
    hours >= 48
      ? `${Math.floor(hours / 24)} days`
      : hours >= 1
        ? `${Math.floor(hours)} hours`
        : `${Math.max(1, Math.round(hours * 60))} minutes`
  return `Disabled by Runyard: every delivery failed for ${span} (since ${since.toISOString()}); the last error: ${lastError}. Enable the endpoint again once it answers with a 2xx.`
}
