// Readers: replay from the table, then tail live. Notifications only wake the reader up; every
// event is read from the table, so the seam between replay and tail has no gap and no duplicate.
import type { StoredRunEvent } from '@runyard/contract'
import type pg from 'pg'
import { readRunEventFrames, readRunEvents, type RunEventFrame } from './event-log.ts'
import type { Notifier } from './notifier.ts'

/** How long a reader waits for a notification before looking at the table anyway. */
const POLL_FALLBACK_MS = 2_000
const PAGE = 1000

type Page<T> = (afterSeq: number) => Promise<T[]>

/** Yields pages of the log after `afterSeq` until (and including) the terminal `done` event. */
async function* tail<T>(pool: pg.Pool, notifier: Notifier, runId: string, afterSeq: number, signal: AbortSignal | undefined, read: Page<T>, meta: (row: T) => { seq: number; type: string }): AsyncGenerator<T[]> {
  let last = afterSeq
  let wake: (() => void) | undefined
  let pending = false
  const off = notifier.onEvents(runId, () => {
    pending = true
    wake?.()
  })
  try {
    while (!signal?.aborted) {
      pending = false
      const page = await read(last)
      const doneAt = page.findIndex((row) => meta(row).type === 'done')
      if (doneAt >= 0) {
        yield page.slice(0, doneAt + 1)
        return
      }
      if (page.length) {
        last = meta(page[page.length - 1]!).seq
        yield page
      }
      if (page.length === PAGE || pending) continue
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
        if (pending) done()
      })
    }
  } finally {
    off()
  }
}

export async function* streamRunEvents(pool: pg.Pool, notifier: Notifier, runId: string, afterSeq: number, signal?: AbortSignal): AsyncGenerator<StoredRunEvent> {
  for await (const page of tail(pool, notifier, runId, afterSeq, signal, (after) => readRunEvents(pool, runId, after, PAGE), (e) => ({ seq: e.seq, type: e.event.type })))
    yield* page
}

/** Pages of already-serialised events, for streams that forward them verbatim. */
export function streamRunEventFrames(pool: pg.Pool, notifier: Notifier, runId: string, afterSeq: number, signal?: AbortSignal): AsyncGenerator<RunEventFrame[]> {
  return tail(pool, notifier, runId, afterSeq, signal, (after) => readRunEventFrames(pool, runId, after, PAGE), (f) => f)
}

/** True when the run is terminal and nothing follows `afterSeq` (or the run does not exist). */
async function isFinishedWithoutMore(pool: pg.Pool, runId: string, afterSeq: number): Promise<boolean> {
  const { rows } = await pool.query<{ status: string; lastSeq: number }>('SELECT status, "lastSeq" FROM "Run" WHERE id = $1', [runId])
  const run = rows[0]
  if (!run) return true
  return (run.status === 'completed' || run.status === 'failed' || run.status === 'cancelled') && run.lastSeq <= afterSeq
}
