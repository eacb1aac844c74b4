// The worker's pg-boss fetch loops, woken one at a time. With the queue's own `notify`, pg-boss
// wakes every idle loop of the queue for each new job: N loops cost N fetch queries per job, all
// but one empty — with short runs the largest part of the database load (measured: admission p50
// 43 ms with 8 loops vs 13 ms with 2 at 200 runs/s). Instead the queue does not notify; each loop
// is its own `work` registration, and a `queued` run notification (a new run, or one promoted when
// its chat was released) wakes one idle loop that is not already woken. A signal that finds none
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

/** Starts the loops; returns a function that stops waking them (pg-boss's offWork stops them). */
export async function startFetchLoops(boss: PgBoss, notifier: Notifier, opts: FetchLoopOptions, handle: (job: Job<RunJob>) => Promise<void>): Promise<() => void> {
  // `woken`: told to fetch and not yet running a job since (a second wake would be lost).
  const loops: { id: string; busy: boolean; woken: boolean }[] = []
  // `queued` signals no loop could be woken for: the next loops to finish fetch again at once.
  let owed = 0
  for (let i = 0; i < opts.count; i++) {
    const loop = { id: '', busy: false, woken: false }
    loops.push(loop)
    loop.id = await boss.work<RunJob>(
      RUN_QUEUE,
      { localConcurrency: 1, pollingIntervalSeconds: opts.pollingIntervalSeconds, heartbeatRefreshSeconds: opts.heartbeatRefreshSeconds },
      async ([job]) => {
        if (!job) return
        loop.busy = true
        loop.woken = false
        try {
          await handle(job)
        } finally {
          loop.busy = false
          if (owed > 0) {
            owed--
            loop.woken = true
            boss.notifyWorker(loop.id)
          }
        }
      },
    )
  }
  let next = 0
  return notifier.onRunChange(({ status }) => {
    if (status !== 'queued') return
    for (let k = 0; k < loops.length; k++) {
      const loop = loops[(next + k) % loops.length]!
      if (loop.busy || loop.woken) continue
      next = (next + k + 1) % loops.length
      loop.woken = true
      boss.notifyWorker(loop.id)
      return
    }
    owed++
  })
}
