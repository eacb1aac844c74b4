// Readers: replay from the table, then tail live. Notifications only wake the reader up, and
// batches committed by a writer in this process are taken as they come only when they continue
// exactly where the reader is; anything else is read from the table, so the seam between replay
// and tail has no gap and no duplicate.
import type { StoredRunEvent } from '@runyard/contract'
import type pg from 'pg'
import {
  clampSeq,
  readEventBatches,
  storedAfterSql,
  toRunEventFrames,
  toStoredRunEvent,
  type RunEventFrame,
} from './event-log/index.ts'
import type { Notifier } from './notifier.ts'
import type { EventRow } from './types.ts'

/** How long a reader waits for a notification before looking at the table anyway. */
const POLL_FALLBACK_MS = 2_000
const PAGE = 1000
/** Committed rows a reader keeps in memory while its consumer is busy; older ones are read from the table later. */
const MAX_HELD_ROWS = 20_000

/** Batches committed in this process for one run, kept until the reader gets to them. */
class CommittedBatches {
  private batches: EventRow[][] = []
  private held = 0

  add(rows: EventRow[]) {
    this.batches.push(rows)
    this.held += rows.length
    // A slow consumer: drop the oldest, the table has them.
    while (this.held > MAX_HELD_ROWS && this.batches.length > 1) this.held -= this.batches.shift()!.length
  }

  get isEmpty(): boolean {
    return this.batches.length === 0
  }

  /** The rows right after `afterSeq`, if held; undefined when the table must be read first. */
  takeAfter(afterSeq: number): EventRow[] | undefined {
    while (this.batches.length) {
      const rows = this.batches[0]!
      const first = rows[0]!.seq
      if (first > afterSeq + 1) return undefined
      this.batches.shift()
      this.held -= rows.length
      if (rows[rows.length - 1]!.seq > afterSeq) return first === afterSeq + 1 ? rows : rows.slice(afterSeq + 1 - first)
    }
    return undefined
  }
}

/** Yields pages of the log after `afterSeq` until (and including) the terminal `done` event. */
async function* tail(
  pool: pg.Pool,
  notifier: Notifier,
  runId: string,
  afterSeq: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<EventRow[]> {
  let last = afterSeq
  let wake: (() => void) | undefined
  // The highest seq announced by a notification since the table was last read (Infinity after a
  // reconnect: anything may have been missed). Above `last` means: read the table again.
  let announced = -1
  const committed = new CommittedBatches()
  const offCommitted = notifier.onCommitted(runId, (rows) => {
    committed.add(rows)
    wake?.()
  })
  const offEvents = notifier.onEvents(runId, (lastSeq) => {
    announced = Math.max(announced, lastSeq ?? Infinity)
    if (announced > last) wake?.()
  })
  const more = () => announced > last || !committed.isEmpty
  try {
    while (!signal?.aborted) {
      const held = committed.takeAfter(last)
      if (!held) announced = -1
      const page = held ?? (await readEventBatches(pool, runId, last, PAGE))
      const doneAt = page.findIndex((row) => row.type === 'done')
      if (doneAt >= 0) {
        yield page.slice(0, doneAt + 1)
        return
      }
      if (page.length) {
        last = page[page.length - 1]!.seq
        yield page
      }
      if (held || page.length >= PAGE || more()) continue
      if (page.length === 0 && (await isFinishedWithoutMore(pool, runId, last))) return
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, POLL_FALLBACK_MS)
        function done() {
          clearTimeout(timer)
          wake = undefined
          signal?.removeEventListener('abort', done)
          resolve()
        }
        wake = done
        signal?.addEventListener('abort', done, { once: true })
        if (more()) done()
      })
    }
  } finally {
    offCommitted()
    offEvents()
  }
}

export async function* streamRunEvents(
  pool: pg.Pool,
  notifier: Notifier,
  runId: string,
  afterSeq: number,
  signal?: AbortSignal,
): AsyncGenerator<StoredRunEvent> {
  for await (const page of tail(pool, notifier, runId, afterSeq, signal))
    for (const row of page) yield toStoredRunEvent(runId, row)
}

/** Pages of already-serialised events, for streams that forward them verbatim. */
export async function* streamRunEventFrames(
  pool: pg.Pool,
  notifier: Notifier,
  runId: string,
  afterSeq: number,
  signal?: AbortSignal,
): AsyncGenerator<RunEventFrame[]> {
  for await (const page of tail(pool, notifier, runId, afterSeq, signal)) yield toRunEventFrames(runId, page)
}

/**
 * True when the run is terminal and nothing follows `afterSeq` (or the run does not exist). A
 * terminal run's log is complete, so nothing stored after `afterSeq` also means nothing follows:
 * the case of a log retention deleted (retention.ts), whose `lastSeq` stays as it was.
 */
async function isFinishedWithoutMore(pool: pg.Pool, runId: string, afterSeq: number): Promise<boolean> {
  const { rows } = await pool.query<{ status: string; lastSeq: number; stored: boolean }>(
    `SELECT status, "lastSeq", ${storedAfterSql('$1', '$2::bigint')} AS stored FROM "Run" WHERE id = $1`,
    [runId, clampSeq(afterSeq)],
  )
  const run = rows[0]
  if (!run) return true
  return (
    (run.status === 'completed' || run.status === 'failed' || run.status === 'cancelled') &&
    (run.lastSeq <= afterSeq || !run.stored)
  )
}
