// The worker's fetch loop: one per process, fetching as many run jobs as it has free execution
// slots in one pg-boss `fetch({ batchSize })`, completing the jobs of finished runs in batches
// (`complete(ids)`) and refreshing the heartbeats of the jobs in hand in one `touch(ids)`. With one
// pg-boss `work()` registration per slot (how this was done before) every run cost a fetch and a
// complete statement of its own, and each idle loop polled on its own: at 200 runs/s that was ~2.3
// ms of PostgreSQL CPU and two round trips per run (docs/benchmarks.md).
//
// Waking: the queue does not notify (queue.ts); a `queued` run notification (a new run, or one
// promoted when its chat was released) makes the loop fetch on the next event-loop turn, so a
// burst of them is one fetch. A signal that arrives while a fetch is in flight, or while every slot
// is busy, is kept and served by the next fetch, which runs as soon as the previous one returns or
// a slot frees. A fetch that filled every free slot fetches again at once (a backlog drains without
// poll delays). The notification connection's reconnect wakes it too (signals may have been
// missed meanwhile). The poll stays as the backstop for missed signals (the reaper's
// redeliveries, a promoted run whose job waited for its chat's previous job to complete).
//
// What pg-boss's `work()` did for each job and this keeps: the job's signal aborts when a heartbeat
// finds its claim gone (expired, retried or settled elsewhere; touch is fenced to the fetched
// attempt), a handler that throws fails the job (pg-boss retries it), one that returns completes it,
// fenced to the attempt too. The job's own expiry is left to pg-boss's supervisor in the database
// (the run's time limit, the lease and the reaper come first anyway).
import type { Job, JobAttempt, PgBoss } from 'pg-boss'
import type { Notifier } from './notifier.ts'
import { RUN_QUEUE, type RunJob } from './queue.ts'
import type { Logger } from './types.ts'

export interface FetchLoopOptions {
  /** Runs executed at once (free slots = this − runs in hand). */
  concurrency: number
  pollingIntervalMs: number
  heartbeatRefreshMs: number
}

export interface FetchLoop {
  /** Stops fetching and waking (runs in hand go on; see drained). */
  stop(): Promise<void>
  /** Resolves once every run in hand has returned and its job is settled. */
  drained(): Promise<void>
}

interface Held {
  job: Job<RunJob>
  /** Aborted when a heartbeat finds the job's claim gone. */
  claim: AbortController
  done: Promise<void>
}

const attempt = (job: Job<RunJob>): JobAttempt => ({ id: job.id, retryCount: job.retryCount })

/**
 * How long a fetch waits for more runs while this worker has runs in hand. At 200 runs/s of a no-op
 * executor runs arrive and slots free one or two at a time, and each fetch, claim, step end and
 * finish was a statement (and a durable commit) for one or two runs; gathered, they go in groups. A
 * new run waits at most this much longer for its slot; on an idle worker it is fetched at once.
 * Measured (docs/benchmarks.md, engine settings): gathering only while most slots were busy, a
 * worker keeping up with 200 runs/s spent ~1.2 ms more CPU per run (server and PostgreSQL) than
 * gathering whenever it has runs in hand.
 */
const FETCH_GATHER_MS = 10

/** Starts the loop: fetches at once, then on `queued` signals, freed slots and the poll. */
export function startFetchLoop(
  boss: PgBoss,
  notifier: Notifier,
  opts: FetchLoopOptions,
  log: Logger,
  handle: (job: Job<RunJob>) => Promise<void>,
): FetchLoop {
  const held = new Map<string, Held>()
  let stopped = false
  /** A fetch is scheduled or in flight. */
  let fetching: Promise<void> | undefined
  /** A reason to fetch arrived that the fetch in flight (or none, all slots busy) may not cover. */
  let again = false
  const completions: Job<RunJob>[] = []
  let completing: Promise<void> | undefined

  const free = () => opts.concurrency - held.size

  const schedule = () => {
    if (stopped || fetching || free() <= 0) return
    // Runs in hand: runs queued and slots freed over the next few ms are fetched together, and their
    // runs claimed in one statement (claims.ts); an idle worker fetches on the next turn.
    const gather = held.size > 0
    fetching = new Promise<void>((resolve) => (gather ? setTimeout(resolve, FETCH_GATHER_MS) : setImmediate(resolve)))
      .then(fetchOnce)
      .finally(() => {
        fetching = undefined
        if (again) schedule()
      })
  }

  const fetchOnce = async () => {
    again = false
    const want = free()
    if (stopped || want <= 0) return
    let jobs: Job<RunJob>[]
    try {
      jobs = await boss.fetch<RunJob>(RUN_QUEUE, { batchSize: want })
    } catch (err) {
      log.error({ err }, 'fetching run jobs failed')
      return // the poll tries again
    }
    if (stopped) {
      // Fetched while stopping: handed back at once (pg-boss retries them), as work() did.
      if (jobs.length) await settle('fail', jobs, new Error('worker shutting down before the run started'))
      return
    }
    for (const job of jobs) begin(job)
    // All it asked for: there may be more. Fewer while completions are pending: a promoted run's job
    // may be waiting for its chat's previous job to complete (the queue's singleton policy).
    if (jobs.length === want || completions.length > 0 || completing) again = true
  }

  const begin = (job: Job<RunJob>) => {
    const claim = new AbortController()
    job.signal = claim.signal
    const entry: Held = {
      job,
      claim,
      // The slot frees when the run is finished; its job's completion is batched (drained() waits for it).
      done: handle(job).then(
        () => complete(job),
        (err: unknown) => settle('fail', [job], err),
      ),
    }
    held.set(job.id, entry)
    void entry.done.finally(() => {
      held.delete(job.id)
      if (again) schedule()
    })
  }

  /** Completes finished runs' jobs in batches: whatever finished while the previous complete was in flight. */
  const complete = (job: Job<RunJob>) => {
    completions.push(job)
    completing ??= (async () => {
      await new Promise((r) => setImmediate(r))
      while (completions.length) await settle('complete', completions.splice(0))
      completing = undefined
      // A promoted run's job can be fetched now that its chat's previous job is completed.
      if (again) schedule()
    })()
  }

  const settle = async (how: 'complete' | 'fail', jobs: Job<RunJob>[], err?: unknown) => {
    try {
      if (how === 'complete') await boss.complete(RUN_QUEUE, jobs.map(attempt))
      else await boss.fail(RUN_QUEUE, jobs.map(attempt), err instanceof Error ? { message: err.message } : null)
    } catch (e) {
      // The jobs stay active until pg-boss's supervisor expires and retries them; a retried job
      // finds its run finished (the claim refuses it) or resumes it.
      log.error({ err: e, jobs: jobs.map((j) => j.id) }, `pg-boss ${how} failed`)
    }
  }

  const heartbeat = async () => {
    const live = [...held.values()].filter((h) => !h.claim.signal.aborted)
    if (!live.length) return
    try {
      // `settled`: the ids it refreshed (pg-boss 12.38's CommandResponse, which its .d.ts leaves empty).
      const touched = (await boss.touch(
        RUN_QUEUE,
        live.map((h) => attempt(h.job)),
      )) as { settled?: string[] }
      if (!touched.settled) return
      const refreshed = new Set(touched.settled)
      for (const h of live)
        if (!refreshed.has(h.job.id)) h.claim.abort(new Error(`job ${h.job.id} is no longer held by this worker`))
    } catch (err) {
      // A heartbeat that could not run says nothing about the claims.
      log.warn({ err }, 'refreshing run jobs failed')
    }
  }

  let beating = false
  const heartbeats = setInterval(() => {
    if (beating) return
    beating = true
    void heartbeat().finally(() => (beating = false))
  }, opts.heartbeatRefreshMs)
  const poll = setInterval(schedule, opts.pollingIntervalMs)
  const offSignal = notifier.onRunChange(({ status }) => {
    if (status !== 'queued') return
    again = true
    schedule()
  })
  // Back after the notification connection dropped: a `queued` signal may have been missed.
  const offReconnect = notifier.onReconnect(() => {
    again = true
    schedule()
  })
  schedule()

  return {
    async stop() {
      stopped = true
      offSignal()
      offReconnect()
      clearInterval(poll)
      await fetching
    },
    async drained() {
      while (held.size) await Promise.all([...held.values()].map((h) => h.done))
      clearInterval(heartbeats)
      await completing
    },
  }
}
