// Reads of a run's stored log: pages of events after a seq, the whole log, and where it ends.
import type { StoredRunEvent } from '@runyard/contract'
import { prepared } from '../prepared.ts'
import type { EventRow, Queryable } from '../types.ts'
import { decodeBatch, MAX_BATCH_EVENTS, type BatchRow } from './encoding.ts'
import { batchEventsSql, lastSeqSql } from './sql.ts'
import { toStoredRunEvent } from './stored-run-event.ts'

/**
 * The batches holding seqs (after, after + atLeast]: from the one holding after + 1 (found by the
 * primary key, newest first) to the one holding after + atLeast. Both ends of the key's range are
 * bounded, which also keeps the plan right when a run's batches were just written and the table's
 * statistics are stale (with one open end the planner, expecting a few rows, bitmap-scans and
 * sorts the rest of the log for every page). bigint: the range's end may pass the int range of seq.
 */
const READ_BATCHES = prepared(`SELECT seq, "lastSeq", types, events, "createdAt" FROM "RunEventBatch"
  WHERE "runId" = $1 AND "lastSeq" > $2::bigint AND seq <= $2::bigint + $3::bigint
    AND seq >= (SELECT COALESCE(max(seq), 1) FROM "RunEventBatch" WHERE "runId" = $1 AND seq <= $2::bigint + 1)
  ORDER BY seq`)

/** The largest seq the log can hold (the column is a PostgreSQL int). */
const MAX_SEQ = 2 ** 31 - 1

/** A client's resume point as the database can compare it (seq is an int; clients may send more). */
export const clampSeq = (afterSeq: number) => Math.min(afterSeq, MAX_SEQ)

/**
 * The events after `afterSeq` in the stored batches holding seqs (afterSeq, afterSeq + atLeast]:
 * that many events when they are stored, and the rest of the last batch read (a batch is never
 * read twice by a reader that goes on from the page's end).
 */
export async function readEventBatches(
  pool: Queryable,
  runId: string,
  afterSeq: number,
  atLeast: number,
): Promise<EventRow[]> {
  // seq is an int: nothing follows its largest value, whatever larger number a client resumes from.
  afterSeq = clampSeq(afterSeq)
  const { rows } = await pool.query<BatchRow>({ ...READ_BATCHES, values: [runId, afterSeq, atLeast] })
  const page: EventRow[] = []
  for (const batch of rows) decodeBatch(runId, batch, afterSeq, page)
  return page
}

/** Exactly the next `limit` events after `afterSeq` (fewer at the log's end). */
export async function readRunEvents(
  pool: Queryable,
  runId: string,
  afterSeq: number,
  limit = 1000,
): Promise<StoredRunEvent[]> {
  const page = await readEventBatches(pool, runId, afterSeq, limit)
  return page.slice(0, limit).map((r) => toStoredRunEvent(runId, r))
}

/** The run's whole stored log, read a batch at a time (none read twice). */
export async function readWholeRunLog(pool: Queryable, runId: string): Promise<StoredRunEvent[]> {
  const all: StoredRunEvent[] = []
  for (;;) {
    const page = await readEventBatches(pool, runId, all.at(-1)?.seq ?? 0, MAX_BATCH_EVENTS)
    for (const row of page) all.push(toStoredRunEvent(runId, row))
    if (page.length < MAX_BATCH_EVENTS) return all
  }
}

/**
 * Where a resumed run's log ends: its last seq, and the type of its last event other than
 * run_status. A sub-agent's step_finish (inside a `task` tool call) ends no step of the run:
 * it counts as `nested_step_finish`, so a run cut right after one gets its step_retry marker.
 * The last batch with a type other than run_status is found first, then its events are read.
 */
export async function readLogTail(
  pool: Queryable,
  runId: string,
): Promise<{ lastSeq: number; lastType: string | null }> {
  const { rows } = await pool.query<{ lastSeq: number; lastType: string | null }>(
    `SELECT ${lastSeqSql('$1')} AS "lastSeq",
            (SELECT CASE WHEN e.type = 'step_finish' AND e.data::json->>'parentToolCallId' IS NOT NULL THEN 'nested_step_finish' ELSE e.type END
             FROM (SELECT types, events FROM "RunEventBatch" WHERE "runId" = $1 AND replace(replace(types, 'run_status', ''), E'\\n', '') <> ''
                   ORDER BY seq DESC LIMIT 1) b,
               ${batchEventsSql('b')} WITH ORDINALITY AS e(type, data, n)
             WHERE e.type <> 'run_status' ORDER BY e.n DESC LIMIT 1) AS "lastType"`,
    [runId],
  )
  return rows[0]!
}
