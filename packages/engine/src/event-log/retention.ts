// Deleting the logs of runs that finished before a cutoff (retention.ts drives it). Only terminal
// runs: their log is complete and nothing writes to it again, so deleting it races with nothing
// but readers, who then find it empty (stream.ts ends such a stream at once). Every statement is
// short: a page of run ids, then at most `limit` batch rows per DELETE, each on its own.
import type { Queryable } from '../types.ts'

/** A run that may lose its log: finished (terminal) before the cutoff ($2). */
export const finishedBeforeSql = (run: string, cutoff: string) =>
  `${run}.status IN ('completed', 'failed', 'cancelled') AND ${run}."finishedAt" < ${cutoff}`

/**
 * SQL true when the run's stored log has an event after `afterSeq`. For a terminal run, false
 * means its log ends there, whatever its `lastSeq` says: retention may have deleted the log.
 */
export const storedAfterSql = (runId: string, afterSeq: string) =>
  `EXISTS (SELECT 1 FROM "RunEventBatch" b WHERE b."runId" = ${runId} AND b."lastSeq" > ${afterSeq})`

export interface EventCounts {
  /** Runs that had events. */
  runs: number
  /** RunEventBatch rows. */
  batches: number
  /** Events in those rows. */
  events: number
}

/** What {@link deleteFinishedRunEvents} would delete now. */
export async function countFinishedRunEvents(pool: Queryable, cutoff: Date): Promise<EventCounts> {
  const { rows } = await pool.query<EventCounts>(
    `SELECT count(DISTINCT b."runId")::int AS runs, count(*)::int AS batches, COALESCE(sum(b."lastSeq" - b.seq + 1), 0)::float8 AS events
     FROM "RunEventBatch" b JOIN "Run" r ON r.id = b."runId" WHERE ${finishedBeforeSql('r', '$1')}`,
    [cutoff],
  )
  return rows[0]!
}

/**
 * The next `limit` runs after `afterRunId` (in id order) that still have events and finished
 * before the cutoff. Walks the distinct run ids of the event table's own key (a loose index scan:
 * one index probe per run that still has a log), so runs whose logs are gone cost nothing however
 * many there are, and stops as soon as `limit` runs qualify.
 */
export async function runsWithExpiredEvents(
  pool: Queryable,
  cutoff: Date,
  afterRunId: string,
  limit: number,
): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `WITH RECURSIVE ids AS (
       (SELECT "runId" AS id FROM "RunEventBatch" WHERE "runId" > $2 ORDER BY "runId" LIMIT 1)
       UNION ALL
       SELECT (SELECT b."runId" FROM "RunEventBatch" b WHERE b."runId" > ids.id ORDER BY b."runId" LIMIT 1) FROM ids WHERE ids.id IS NOT NULL
     )
     SELECT r.id FROM ids JOIN "Run" r ON r.id = ids.id WHERE ${finishedBeforeSql('r', '$1')} LIMIT $3`,
    [cutoff, afterRunId, limit],
  )
  return rows.map((r) => r.id)
}

/** Deletes at most `limit` batch rows of these runs (each checked again: finished before the cutoff). */
export async function deleteRunEventBatches(
  pool: Queryable,
  runIds: string[],
  cutoff: Date,
  limit: number,
): Promise<Omit<EventCounts, 'runs'>> {
  const { rows } = await pool.query<Omit<EventCounts, 'runs'>>(
    `WITH gone AS (
       DELETE FROM "RunEventBatch" b WHERE (b."runId", b.seq) IN (
         SELECT d."runId", d.seq FROM "RunEventBatch" d JOIN "Run" r ON r.id = d."runId"
         WHERE d."runId" = ANY($1::text[]) AND ${finishedBeforeSql('r', '$2')} LIMIT $3)
       RETURNING b."lastSeq" - b.seq + 1 AS events
     )
     SELECT count(*)::int AS batches, COALESCE(sum(events), 0)::float8 AS events FROM gone`,
    [runIds, cutoff, limit],
  )
  return rows[0]!
}
