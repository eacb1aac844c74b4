// The webhook outbox: the statement that finishes a run (lifecycle.ts, FINISH_RUN) also stores the
// run's webhook messages, one row per enabled endpoint of its account that takes the message's type.
//
// Why in that statement rather than a sweeper over finished runs: the messages commit together
// with the run's end, so a process dying right after finishing a run loses none, with no cursor
// to keep and no window where a run counts as finished but unannounced. It costs the hot path one
// index probe (WebhookEndpoint by account): for an account without enabled endpoints the EXISTS
// below is false and nothing else is evaluated — no log scan, no JSON, no insert. The rows are
// queued for delivery afterwards by the dispatcher (dispatcher.ts), woken by the notification
// finishRun sends once the statement has committed (not a NOTIFY inside it: see notifier.ts) and
// backed by its periodic sweep, so FINISH_RUN stays one round trip.
import { pendingClientCallsSql } from '../event-log/index.ts'

/** An ISO 8601 UTC timestamp with milliseconds, as JavaScript's toISOString writes it (columns are UTC). */
const iso = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/** A new message id: `whmsg_`, the time in milliseconds (12 hex digits, so ids sort by creation) and 80 random bits. */
export const NEW_MESSAGE_ID_SQL = `'whmsg_' || lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || substr(replace(gen_random_uuid()::text, '-', ''), 1, 20)`

/**
 * The CTEs (`webhook_runs`, `webhook_messages`, `webhook_outbox`) that store the messages of the
 * runs in the CTE `finished` (rows with the RunView columns, as finished); `webhook_outbox` returns
 * a row per message stored (its run's id). The body is the
 * contract's WebhookPayload, built here once and kept as text, so every attempt and redelivery
 * sends (and signs) the same bytes.
 */
export function webhookOutboxCtes(finished: string): string {
  return `webhook_runs AS MATERIALIZED (
  SELECT f.*, CASE WHEN f.status = 'completed' THEN ${pendingClientCallsSql('f.id')} END AS calls
  FROM ${finished} f
  WHERE EXISTS (SELECT 1 FROM "WebhookEndpoint" e WHERE e."accountId" = f."accountId" AND e.enabled)
), webhook_messages AS (
  SELECT w.id, w."accountId", t.type, json_build_object(
    'type', t.type,
    'timestamp', ${iso('w."finishedAt"')},
    'data', json_build_object(
      'runId', w.id, 'chatId', w."chatId", 'sessionId', w."sessionId", 'kind', w.kind, 'status', w.status, 'responseId', w."responseId",
      'error', CASE WHEN w."errorCode" IS NULL THEN NULL ELSE json_build_object('code', w."errorCode", 'message', w."errorMessage") END,
      'usage', json_build_object('inputTokens', w."inputTokens", 'outputTokens', w."outputTokens", 'cacheRead', w."cacheReadTokens", 'cacheWrite', w."cacheWriteTokens"),
      'finishedAt', ${iso('w."finishedAt"')},
      'pendingToolCalls', COALESCE(w.calls, '[]'::json))
  )::text AS payload
  FROM webhook_runs w, LATERAL (
    SELECT CASE w.status WHEN 'failed' THEN 'run.failed' WHEN 'cancelled' THEN 'run.cancelled'
      ELSE CASE WHEN w.calls IS NULL THEN 'run.completed' ELSE 'run.waiting' END END AS type
  ) t
), webhook_outbox AS (
  INSERT INTO "WebhookDelivery" (id, "endpointId", "accountId", "runId", "eventType", payload)
  SELECT ${NEW_MESSAGE_ID_SQL}, e.id, m."accountId", m.id, m.type, m.payload
  FROM webhook_messages m JOIN "WebhookEndpoint" e ON e."accountId" = m."accountId" AND e.enabled AND m.type = ANY(e."eventTypes")
  RETURNING "runId"
)`
}
