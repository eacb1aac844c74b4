// The worker's pg-boss fetch loops, woken one at a time. With the queue's own `notify`, pg-boss
// wakes every idle loop of the queue for each new job: N loops cost N fetch queries per job, all
// but one empty — with short runs the largest part of the database load (measured: admission p50
// 43 ms with 8 loops vs 13 ms with 2 at 200 runs/s). Instead the queue does not notify; each loop
// is its own `work` registration, and a `queued` run notification (a new run, or one promoted when
// its chat was released) wakes one idle loop not woken just before. A signal that finds none
// is owed: the next loop to finish a job fetches again at once instead of waiting for its poll,
// so a backlog drains without poll delays while an idle queue costs one fetch per run. The poll
// stays as the backstop for missed signals (a reconnecting LISTEN, the reaper's redeliveries, a
// woken loop whose fetch found the job taken).
import type { Job, PgBoss } from 'pg-boss'
import type { Notifier } from './notifier.ts'
import { RUN_QUEUE, type RunJob } from './queue.ts'

export interface FetchLoopOptions {
  count: number
  pollingIntervalSeconds: number
  heartbeatRefreshSeconds: number
}

/**
 * How long a woken loop counts as about to fetch. Its fetch may find the job taken (by another
 * loop or process) and nothing tells us, so the mark expires rather than waiting for a job.
 */
const WAKE_GRACE_MS = 200

/** Starts the loops; returns a function that stops waking them (pg-boss's offWork stops them). */
export async function startFetchLoops(
  boss: PgBoss,
  notifier: Notifier,
  opts: FetchLoopOptions,
  handle: (job: Job<RunJob>) => Promise<void>,
): Promise<() => void> {
  // `wokenAt`: when the loop was last told to fetch (a second wake before it fetches would be lost);
  // 0 once it runs a job.
  const loops: { id: string; busy: boolean; wokenAt: number }[] = []
  const wake = (loop: (typeof loops)[number]) => {
    loop.wokenAt = Date.now()
    boss.notifyWorker(loop.id)
  }
  // `queued` signals no loop could be woken for: the next loops to finish fetch again at once.
  let owed = 0
  for (let i = 0; i < opts.count; i++) {
    const loop = { id: '', busy: false, wokenAt: 0 }
    loops.push(loop)
    loop.id = await boss.work<RunJob>(
      RUN_QUEUE,
      {
        localConcurrency: 1,
        pollingIntervalSeconds: opts.pollingIntervalSeconds,
        heartbeatRefreshSeconds: opts.heartbeatRefreshSeconds,
      },
      async ([job]) => {
        if (!job) return
        loop.busy = true
        loop.wokenAt = 0
        try {
          await handle(job)
        } finally {
          loop.busy = false
          if (owed > 0) {
            owed--
            wake(loop)
          }
        }
      },
    )
  }
  let next = 0
  return notifier.onRunChange(({ status }) => {
    if (status !== 'queued') return
    const now = Date.now()
    for (let k = 0; k < loops.length; k++) {
      const loop = loops[(next + k) % loops.length]!
      if (loop.busy || now - loop.wokenAt < WAKE_GRACE_MS) continue
      next = (next + k + 1) % loops.length
      wake(loop)
      return
    }
    owed++
  })
}
