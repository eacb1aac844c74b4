// Which client tool calls a run left waiting, read from its log in SQL (the webhook message of a
// run that ends waiting for the client lists them; see webhooks/outbox.ts).
import { batchEventsSql } from './sql.ts'

/**
 * SQL for the client tool calls the run `runId` (an SQL expression) left waiting: a json array of
 * `{id, tool}` in log order, NULL when there is none. A client call gets no `tool_result` in its
 * run, so every one logged is waiting — except those before the run's last `step_retry` marker,
 * which belong to an interrupted step that was done again.
 */
export const pendingClientCallsSql = (runId: string) => `(
  SELECT json_agg(json_build_object('id', e.data::json->>'id', 'tool', e.data::json->>'tool') ORDER BY b.seq, e.n)
  FROM "RunEventBatch" b, ${batchEventsSql('b')} WITH ORDINALITY AS e(type, data, n)
  WHERE b."runId" = ${runId} AND strpos(b.types, 'tool_call') > 0 AND e.type = 'tool_call'
    AND strpos(e.data, '"client":true') > 0 AND (e.data::json->>'client') = 'true'
    AND b.seq > (SELECT COALESCE(max(r.seq), 0) FROM "RunEventBatch" r WHERE r."runId" = ${runId} AND strpos(r.types, 'step_retry') > 0)
)`
