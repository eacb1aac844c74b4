// The per-run event log: `seq` 1, 2, 3… with no gaps, stored as batch rows of consecutive events
// (the RunEventBatch table's keys, checks and trigger keep it a gap-free, duplicate-free chain).
import { storableJson, type RunEvent, type StoredRunEvent } from '@runyard/contract'
import type pg from 'pg'
import { CHANNELS } from './notifier.ts'
import { prepared } from './prepared.ts'

export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>

/** Error raised when a worker's claim on a run lapsed: it must stop writing and executing. */
export class LostClaimError extends Error {
  override readonly name = 'LostClaimError'
}

/**
 * The most events one batch row holds (the table's check says the same). A run that emits faster
 * than its batches commit writes batches this large: each commit waits for its WAL flush, and
 * 1000-event batches left a burst at ~60 % of the rate of 5000-event ones (measured).
 */
export const MAX_BATCH_EVENTS = 5000

/** A batch of events as a row stores them: one line of JSON text and one type per event. */
export interface EncodedBatch {
  texts: string[]
  events: string
  types: string
}

/**
 * JSON text has no newline of its own (JSON.stringify escapes them in strings), so lines delimit
 * events. Storable: a NUL or lone surrogate in a tool's output is stored (and streamed) replaced.
 */
export function encodeBatch(events: readonly RunEvent[]): EncodedBatch {
  const texts = events.map((e) => storableJson(e))
  return { texts, events: texts.join('\n'), types: events.map((e) => e.type).join('\n') }
}

/** SQL for the last seq stored for the run `runId` (an SQL expression), 0 when it has none. */
export const lastSeqSql = (runId: string) => `(SELECT COALESCE(max("lastSeq"), 0) FROM "RunEventBatch" WHERE "runId" = ${runId})`

/** SQL for the events of the batch row `alias` as rows (type, data), in order: encodeBatch undone. */
export const batchEventsSql = (alias: string) => `unnest(string_to_array(${alias}.types, E'\\n'), string_to_array(${alias}.events, E'\\n'))`

/**
 * Both writes: one batch row of the events $5 (types $6) with seqs $3 to $4, inserted only if
 * `owner` has its row (none when $4 < $3: a checkpoint alone).
 */
const INSERT_BATCH = `ins AS (
  INSERT INTO "RunEventBatch" ("runId", seq, "lastSeq", types, events)
  SELECT $1, $3::int, $4::int, $6::text, $5::text FROM owner WHERE $4::int >= $3::int
  RETURNING "lastSeq" - seq + 1 AS n, "lastSeq", "createdAt"
)`

const INSERT_OWNED = prepared(`
WITH owner AS (
  SELECT id FROM "Run" WHERE id = $1 AND attempt = $2 AND status = 'running' FOR SHARE
), ${INSERT_BATCH}
SELECT COALESCE(sum(n), 0)::int AS n, min("createdAt") AS "createdAt", pg_notify('${CHANNELS.events}', $1 || ':' || COALESCE(max("lastSeq"), 0)) FROM ins`)

/**
 * A batch together with the run's checkpoint (the executor's resume point after a step), so a
 * step end costs one statement: the checkpoint UPDATE is the fence (instead of FOR SHARE), and it
 * is stored only if every event up to it is — both commit or neither does.
 * $7 checkpoint JSON; $4 is also the run's lastSeq afterwards.
 */
const INSERT_OWNED_WITH_CHECKPOINT = prepared(`
WITH owner AS (
  UPDATE "Run" SET checkpoint = $7::jsonb, "lastSeq" = $4 WHERE id = $1 AND attempt = $2 AND status = 'running' RETURNING id
), ${INSERT_BATCH}
SELECT (SELECT count(*) FROM owner)::int AS owned, COALESCE(sum(n), 0)::int AS n, min("createdAt") AS "createdAt", pg_notify('${CHANNELS.events}', $1 || ':' || $4::int) FROM ins`)

interface Waiter {
  resolve: () => void
  reject: (e: Error) => void
}

/**
 * Buffers one execution's events and writes them in order, batching whatever accumulates while
 * the previous write is in flight (one statement per batch, one NOTIFY per batch). Writes are
 * fenced on the claim (run still `running` under this attempt), so a worker that lost its lease
 * cannot interleave with the one that took over. Each committed batch is offered to `onCommitted`
 * as the rows now stored (built on demand), for readers in this process.
 */
export class EventWriter {
  private buffer: { seq: number; event: RunEvent }[] = []
  private writing: Promise<void> | undefined
  private failure: Error | undefined
  private waiters: (Waiter & { seq: number })[] = []
  /** The latest checkpoint not sent yet, and everyone waiting for it (or for an older one it supersedes). */
  private pendingCheckpoint: { state: string; waiters: Waiter[] } | undefined
  private written: number

  constructor(
    private readonly pool: Queryable,
    private readonly runId: string,
    private readonly attempt: number,
    private lastSeq: number,
    private readonly onLost: (err: Error) => void,
    private readonly onCommitted: (rows: () => EventRow[]) => void = () => {},
  ) {
    this.written = lastSeq
  }

  get seq(): number {
    return this.lastSeq
  }

  append(event: RunEvent): number {
    if (this.failure) throw this.failure
    const seq = ++this.lastSeq
    this.buffer.push({ seq, event })
    this.writing ??= this.drainSoon()
    return seq
  }

  /** Resolves when everything appended so far is committed. */
  flush(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure)
    if (this.written >= this.lastSeq) return Promise.resolve()
    const target = this.lastSeq
    return new Promise((resolve, reject) => this.waiters.push({ seq: target, resolve, reject }))
  }

  /**
   * Stores the run's checkpoint once everything appended so far is committed, in the same
   * statement as the last batch. Resolves when it is committed.
   */
  checkpoint(state: unknown): Promise<void> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      const json = storableJson(state ?? null)
      // A newer checkpoint supersedes one not sent yet: it covers at least the same events.
      if (this.pendingCheckpoint) {
        this.pendingCheckpoint.state = json
        this.pendingCheckpoint.waiters.push({ resolve, reject })
      } else this.pendingCheckpoint = { state: json, waiters: [{ resolve, reject }] }
      this.writing ??= this.drainSoon()
    })
  }

  private async drainSoon(): Promise<void> {
    // Let a synchronous burst of appends land in one batch.
    await new Promise((r) => setImmediate(r))
    let sending: Waiter[] = []
    try {
      while (this.buffer.length || this.pendingCheckpoint) {
        const batch = this.buffer.splice(0, MAX_BATCH_EVENTS)
        const first = batch[0]?.seq ?? this.written + 1
        const last = batch[batch.length - 1]?.seq ?? this.written
        const { texts, events, types } = encodeBatch(batch.map((b) => b.event))
        // The checkpoint rides with the batch that empties the buffer (it covers every event before it).
        const checkpoint = this.buffer.length ? undefined : this.pendingCheckpoint
        const values = [this.runId, this.attempt, first, last, events, types]
        if (checkpoint) {
          this.pendingCheckpoint = undefined
          sending = checkpoint.waiters
        }
        const statement = checkpoint ? { ...INSERT_OWNED_WITH_CHECKPOINT, values: [...values, checkpoint.state] } : { ...INSERT_OWNED, values }
        const row = (await this.pool.query<{ owned?: number; n: number; createdAt: Date | null }>(statement)).rows[0]
        // Without its owner row nothing is inserted; the checkpoint write also reports the fence itself
        // (a checkpoint may come with no events).
        const owned = row !== undefined && row.owned !== 0 && row.n === batch.length
        const createdAt = row?.createdAt
        if (!owned) throw new LostClaimError(`run ${this.runId} is no longer held by attempt ${this.attempt}`)
        this.written = last
        // One statement: every row got the same transaction timestamp.
        if (createdAt) this.onCommitted(() => batch.map((b, i) => ({ seq: b.seq, type: b.event.type, data: texts[i]!, createdAt })))
        this.settleWaiters()
        for (const w of sending.splice(0)) w.resolve()
      }
    } catch (err) {
      this.failure = err instanceof Error ? err : new Error(String(err))
      for (const w of [...this.waiters.splice(0), ...sending, ...(this.pendingCheckpoint?.waiters ?? [])]) w.reject(this.failure)
      this.pendingCheckpoint = undefined
      this.onLost(this.failure)
    } finally {
      this.writing = undefined
    }
  }

  private settleWaiters() {
    this.waiters = this.waiters.filter((w) => {
      if (w.seq > this.written) return true
      w.resolve()
      return false
    })
  }
}

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

/** A stored event as the log holds it: `data` is the event's JSON text, exactly as written. */
export interface EventRow {
  seq: number
  type: string
  data: string
  createdAt: Date
}

/**
 * The events after `afterSeq` in the stored batches holding seqs (afterSeq, afterSeq + atLeast]:
 * that many events when they are stored, and the rest of the last batch read (a batch is never
 * read twice by a reader that goes on from the page's end).
 */
export async function readEventBatches(pool: Queryable, runId: string, afterSeq: number, atLeast: number): Promise<EventRow[]> {
  // seq is an int: nothing follows its largest value, whatever larger number a client resumes from.
  afterSeq = Math.min(afterSeq, MAX_SEQ)
  const { rows } = await pool.query<{ seq: number; lastSeq: number; types: string; events: string; createdAt: Date }>({ ...READ_BATCHES, values: [runId, afterSeq, atLeast] })
  const page: EventRow[] = []
  for (const batch of rows) {
    const types = batch.types.split('\n')
    const texts = batch.events.split('\n')
    // Checked here rather than by the table: counting them there cost more than the write itself.
    const n = batch.lastSeq - batch.seq + 1
    if (texts.length !== n || types.length !== n) {
      throw new Error(`run ${runId}: the event batch at seq ${batch.seq} holds ${texts.length} JSON lines and ${types.length} types for ${n} events`)
    }
    for (let i = Math.max(0, afterSeq + 1 - batch.seq); i < texts.length; i++) {
      page.push({ seq: batch.seq + i, type: types[i]!, data: texts[i]!, createdAt: batch.createdAt })
    }
  }
  return page
}

export const toStoredRunEvent = (runId: string, r: EventRow): StoredRunEvent => ({ runId, seq: r.seq, createdAt: r.createdAt.toISOString(), event: JSON.parse(r.data) as RunEvent })

/** Exactly the next `limit` events after `afterSeq` (fewer at the log's end). */
export async function readRunEvents(pool: Queryable, runId: string, afterSeq: number, limit = 1000): Promise<StoredRunEvent[]> {
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

/** A stored event already serialised as StoredRunEvent JSON (for streams that only forward it). */
export interface RunEventFrame {
  seq: number
  type: string
  json: string
}

/** StoredRunEvent JSON built around the stored text, without parsing and re-serialising it. */
export function toRunEventFrames(runId: string, rows: EventRow[]): RunEventFrame[] {
  const prefix = `{"runId":${JSON.stringify(runId)},"seq":`
  // Rows written by one statement share a timestamp: format it once per run of equal ones.
  let time = NaN
  let iso = ''
  return rows.map((r) => {
    if (r.createdAt.getTime() !== time) {
      time = r.createdAt.getTime()
      iso = r.createdAt.toISOString()
    }
    return { seq: r.seq, type: r.type, json: `${prefix}${r.seq},"createdAt":"${iso}","event":${r.data}}` }
  })
}
