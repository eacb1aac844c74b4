// The SQL pieces of statements that read or write the event table, so the table's layout is written
// down once. Every statement that appends events (admission, the claim, the writer's batches,
// finishing a run) inserts its batch through insertBatchSql inside its own single statement: each
// stays one round trip.
import type { RunEvent } from '@runyard/contract'

/** SQL for the last seq stored for the run `runId` (an SQL expression), 0 when it has none. */
export const lastSeqSql = (runId: string) =>
  `(SELECT COALESCE(max("lastSeq"), 0) FROM "RunEventBatch" WHERE "runId" = ${runId})`

/** SQL for the events of the batch row `alias` as rows (type, data), in order: encodeBatch undone. */
export const batchEventsSql = (alias: string) =>
  `unnest(string_to_array(${alias}.types, E'\\n'), string_to_array(${alias}.events, E'\\n'))`

/** SQL selecting `data`, the JSON text of each event of type `type` the run `runId` has stored. */
export const eventDataSql = (runId: string, type: RunEvent['type']) =>
  `SELECT e.data FROM "RunEventBatch" b, ${batchEventsSql('b')} AS e(type, data) WHERE b."runId" = ${runId} AND strpos(b.types, '${type}') > 0 AND e.type = '${type}'`

/** One batch row to insert, as SQL expressions of the statement it is part of. */
export interface BatchInsert {
  runId: string
  /** The seqs of the batch's first and last events. */
  seq: string
  lastSeq: string
  /**
   * The numbers of the statement's parameters holding the batch's `events` and `types`, as
   * encodeBatch made them: event JSON only ever comes from encodeBatch, never from SQL. For several
   * runs' batches in one statement, `arrays`: the columns of `from` that unnest such parameters
   * (text arrays, one encodeBatch per element).
   */
  params: { events: number; types: number } | { arrays: { events: string; types: string } }
  /** What the row is selected from: one row per batch to insert, none to insert nothing. */
  from: string
  where?: string
  returning?: string
}

/** SQL inserting one batch row: the body of a data-modifying CTE. */
export function insertBatchSql(b: BatchInsert): string {
  const [types, events] =
    'arrays' in b.params
      ? [b.params.arrays.types, b.params.arrays.events]
      : [`$${b.params.types}::text`, `$${b.params.events}::text`]
  return `INSERT INTO "RunEventBatch" ("runId", seq, "lastSeq", types, events)
  SELECT ${b.runId}, ${b.seq}, ${b.lastSeq}, ${types}, ${events} FROM ${b.from}${b.where ? ` WHERE ${b.where}` : ''}${
    b.returning
      ? `
  RETURNING ${b.returning}`
      : ''
  }`
}
