// Readers: replay from the table, then tail live. Notifications only wake the reader up; every
// event is read from the table, so the seam between replay and tail has no gap and no duplicate.
import type { StoredRunEvent } from '@runyard/contract'
import type pg from 'pg'
import { readRunEvents } from './event-log.ts'
import type { Notifier } from './notifier.ts'

/** How long a reader waits for a notification before looking at the table anyway. */
const POLL_FALLBACK_MS = 2_000

export async function* streamRunEvents(pool: pg.Pool, notifier: Notifier, runId: string, afterSeq: number, signal?: AbortSignal): AsyncGenerator<StoredRunEvent> {
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
      const batch = await readRunEvents(pool, runId, last)
      for (const e of batch) {
        last = e.seq
        yield e
        if (e.event.type === 'done') return
      }
      if (batch.length === 1000 || pending) continue
      if (batch.length === 0 && (await isFinishedWithoutMore(pool, runId, last))) return
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

/** True when the run is terminal and nothing follows `afterSeq` (or the run does not exist). */
async function isFinishedWithoutMore(pool: pg.Pool, runId: string, afterSeq: number): Promise<boolean> {
  const { rows } = await pool.query<{ status: string; lastSeq: number }>('SELECT status, "lastSeq" FROM "Run" WHERE id = $1', [runId])
  const run = rows[0]
  if (!run) return true
  return (run.status === 'completed' || run.status === 'failed' || run.status === 'cancelled') && run.lastSeq <= afterSeq
}
