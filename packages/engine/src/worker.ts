// Executes one run for one pg-boss job: claim (lease), heartbeat, execute through the injected
// RunExecutor, finish. A claim that lapses (lease expired and taken over) stops the execution.
import os from 'node:os'
import { newApiKeySecret, type Db, type Prisma } from '@runyard/db'
import type { PgBoss, Job } from 'pg-boss'
import type { EngineConfig } from './config.ts'
import { checkpointBatcher, EventWriter, LostClaimError, readLogTail } from './event-log/index.ts'
import { claimBatcher, FIRST_RUNNING_EVENT, type ClaimedRow, type ClaimRequest } from './claims.ts'
import { waitWhileHibernating } from './hibernation.ts'
import { finishBatcher, finishRun, timedOut, workerLost } from './lifecycle.ts'
import { loadChatMessages, saveChatMessagesOn } from './messages.ts'
import type { Notifier } from './notifier.ts'
import type { RunJob } from './queue.ts'
import type {
  UIMessage,
  ExecutingRun,
  ExecutionSession,
  ExecutorEvent,
  RunContext,
  RunExecutor,
  RunOutcome,
} from '@runyard/contract'
import type { EngineObserver } from './observer.ts'
import { AttemptTrace } from './tracing.ts'
import type { DbPool, Logger } from './types.ts'

/** Stops an execution from outside; usable from before the claim, so no cancel falls in between. */
class Stopper {
  readonly controller = new AbortController()
  reason: StopReason | undefined

  stop(reason: StopReason) {
    if (this.reason) return
    this.reason = reason
    this.controller.abort(new Error(`run ${STOP_MESSAGES[reason]}`))
  }
}

/** Why an execution was stopped from outside. */
type StopReason = 'cancel' | 'lost' | 'shutdown' | 'timeout'
const STOP_MESSAGES: Record<StopReason, string> = {
  cancel: 'cancelled',
  lost: 'claim lost',
  shutdown: 'worker shutting down',
  timeout: 'timed out',
}

export class RunWorker {
  readonly id = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`
  /**
   * The executions in this process, each its own entry: a worker can claim again a run whose lease
   * lapsed while it still executes it, and each execution must be stopped at shutdown and forget
   * only itself when it ends (keyed by run id, the stale one's end dropped the new one's entry).
   */
  private readonly active = new Set<{ abort: (reason: StopReason) => void; done: Promise<void> }>()
  /** The runs of one fetch are claimed in one statement (claims.ts), runs ending together finished in one (lifecycle.ts). */
  private readonly claims: ReturnType<typeof claimBatcher>
  private readonly finishes: ReturnType<typeof finishBatcher>
  /** Step ends (events with a checkpoint) of runs that end their steps together, in one statement (event-log/writer.ts). */
  private readonly checkpoints: ReturnType<typeof checkpointBatcher>

  constructor(
    private readonly db: Db,
    private readonly pool: DbPool,
    private readonly boss: PgBoss,
    private readonly notifier: Notifier,
    private readonly executor: RunExecutor,
    private readonly cfg: EngineConfig,
    private readonly log: Logger,
    private readonly observer: Required<EngineObserver>,
  ) {
    this.claims = claimBatcher(
      pool,
      { workerId: this.id, leaseMs: cfg.leaseMs, ephemeralKeyTtlMs: cfg.ephemeralKeyTtlMs },
      (err, size) => log.warn({ err, size }, 'a batched claim failed; claiming its runs one by one'),
    )
    this.finishes = finishBatcher(pool, (err, size) =>
      log.warn({ err, size }, 'a batched finish failed; finishing its runs one by one'),
    )
    this.checkpoints = checkpointBatcher(pool, (err, size) =>
      log.warn({ err, size }, 'a batched checkpoint failed; writing its runs one by one'),
    )
  }

  /** pg-boss handler. Throwing makes pg-boss retry the job (infrastructure errors only). */
  async handle(job: Job<RunJob>): Promise<void> {
    const { runId } = job.data
    // Listening before the claim: a cancel committed before the claim makes it fail, and one
    // committed after it notifies this listener, so none falls in between.
    const stopper = new Stopper()
    const offCancel = this.notifier.onCancel(runId, () => stopper.stop('cancel'))
    // Registered before the claim: a shutdown while the claim is in flight (a fetched job's claim
    // waits its statement slot) must stop this execution too, not find it only once it runs.
    let resolveDone!: () => void
    const done = new Promise<void>((r) => (resolveDone = r))
    const execution = { abort: (reason: StopReason) => stopper.stop(reason), done }
    this.active.add(execution)
    try {
      const key = newApiKeySecret('run')
      const claimStartedAt = new Date()
      const claimed = await this.claim(runId, job.id, key)
      if (!claimed) return // terminal, cancelled, or held by a live worker: nothing to do
      if (stopper.reason === 'shutdown' && claimed.attempt <= claimed.maxAttempts) {
        // Claimed after the shutdown began: handed back before anything executes.
        await this.release(claimed)
        throw new Error(`worker shutting down; run ${runId} released for another worker`)
      }
      const attemptTrace = new AttemptTrace(claimed, this.id, claimed.previouslyStarted, claimStartedAt)
      if (claimed.runningSeq !== null)
        this.observer.eventsWritten({
          run: claimed,
          events: [{ seq: claimed.runningSeq, event: FIRST_RUNNING_EVENT }],
          at: claimed.startedAt ?? new Date(),
        })
      const refused = this.refusal(claimed)
      if (refused) {
        attemptTrace.end({ outcome: refused })
        await finishRun(this.pool, this.boss, runId, refused, {
          attempt: claimed.attempt,
          batch: this.finishes,
          observer: this.observer,
          notifier: this.notifier,
        })
        return
      }
      this.observer.runClaimed({ run: claimed, resumed: claimed.previouslyStarted })
      try {
        await attemptTrace.within(() =>
          this.execute(claimed, claimed.keyIssued ? key.secret : null, job, stopper, attemptTrace),
        )
      } catch (err) {
        attemptTrace.end({ error: err })
        throw err
      }
    } finally {
      resolveDone()
      this.active.delete(execution)
      offCancel()
    }
  }

  /** How a claimed run ends without executing, or null when it may execute. */
  private refusal(run: ClaimedRow): RunOutcome | null {
    // Its earlier attempts' workers were lost, and no attempt is left.
    if (run.attempt > run.maxAttempts) return workerLost(run.maxAttempts)
    // Resumed after its maximum run time was used up (e.g. its worker was lost near the end).
    if (Date.now() >= this.deadline(run)) return timedOut(this.cfg.maxRunMs)
    // The archive committed but its process died before cancelling this run: cancelled as the
    // archive would have, before any model call or sandbox.
    if (run.session?.lifecycleState === 'archived') return { status: 'cancelled' }
    return null
  }

  private async claim(runId: string, jobId: string, key: ClaimRequest['key']): Promise<ClaimedRow | null> {
    const row = await this.claims.add({ runId, jobId, key })
    if (row) {
      // Committed: a claim that will execute (`live`) says so; a first attempt's `running` event is stored.
      if (row.attempt <= row.maxAttempts)
        this.notifier.sendRunChange({ accountId: row.accountId, runId: row.id, status: 'running' })
      if (row.runningSeq !== null) this.notifier.sendEvents(row.id, row.runningSeq)
      return row
    }
    // A queued run whose cancellation arrived before any worker took it never starts.
    const pending = await this.pool.query<{ status: string; cancelRequestedAt: Date | null }>(
      'SELECT status, "cancelRequestedAt" FROM "Run" WHERE id = $1',
      [runId],
    )
    const p = pending.rows[0]
    if (p && (p.status === 'queued' || p.status === 'running') && p.cancelRequestedAt) {
      await finishRun(
        this.pool,
        this.boss,
        runId,
        { status: 'cancelled' },
        { observer: this.observer, notifier: this.notifier },
      )
    }
    return null
  }

  private async execute(
    run: ClaimedRow,
    apiKey: string | null,
    job: Job<RunJob>,
    stopper: Stopper,
    attemptTrace: AttemptTrace,
  ): Promise<void> {
    const controller = stopper.controller
    const stop = (reason: StopReason) => stopper.stop(reason)
    // pg-boss aborts job.signal when the job is cancelled or its claim lapses — and also after
    // normal completion, which is ignored because by then the run is finished.
    const onJobAbort = () => stop('lost')
    job.signal.addEventListener('abort', onJobAbort, { once: true })

    // A first attempt's `running` event was written by the claim; a resume reads where the log ends.
    const resumed = run.previouslyStarted ? await readLogTail(this.pool, run.id) : null
    const lastSeq = resumed?.lastSeq ?? run.runningSeq ?? 0
    const writer = new EventWriter(
      this.pool,
      run.id,
      run.attempt,
      lastSeq,
      () => stop('lost'),
      (committedSeq, rows) => {
        this.notifier.sendEvents(run.id, committedSeq)
        this.notifier.publishCommitted(run.id, rows)
      },
      (events, at) => this.observer.eventsWritten({ run, events, at }),
      this.checkpoints,
    )
    const heartbeat = setInterval(() => void this.heartbeat(run, stop), this.cfg.heartbeatMs)
    const timeLimit = setTimeout(() => stop('timeout'), this.deadline(run) - Date.now())
    // A cancel notified while the notification connection was down is found by a heartbeat now,
    // not up to heartbeatMs later.
    const offReconnect = this.notifier.onReconnect(() => void this.heartbeat(run, stop))
    let outcome: RunOutcome | undefined
    try {
      if (resumed) {
        const lastType = resumed.lastType
        if (lastType !== null && lastType !== 'step_finish' && lastType !== 'step_retry') {
          // The interrupted attempt left a partial step: projections drop what precedes this marker.
          writer.append({ type: 'step_retry', attempt: run.attempt })
        }
        writer.append({ type: 'run_status', status: 'running', attempt: run.attempt })
      }
      // The run's input messages were saved to the transcript by the claim.
      if (!apiKey) throw new Error(`run ${run.id} has no ephemeral key`)
      if (!run.session) throw new Error(`run ${run.id} has no session`)
      let session = run.session
      if (session.lifecycleState === 'hibernating') {
        // Admitted while an idle pause was in flight: open the sandbox once it is over (hibernation.ts).
        const after = await waitWhileHibernating(this.pool, session.id, this.cfg, controller.signal)
        session = {
          ...session,
          lifecycleState: after.lifecycleState as ExecutionSession['lifecycleState'],
          sandboxState: after.sandboxState,
        }
      }
      const ctx = this.context(run, session, writer, controller.signal, apiKey, lastSeq)
      outcome = await this.untilStopGraceOver(run.id, this.executor.execute(ctx), controller.signal)
      await writer.flush()
    } catch (err) {
      if (err instanceof LostClaimError) stopper.reason = 'lost'
      else if (!stopper.reason) {
        this.log.error({ err, runId: run.id }, 'run executor threw')
        outcome = {
          status: 'failed',
          error: { code: 'internal', message: err instanceof Error ? err.message : String(err) },
        }
      }
    } finally {
      clearInterval(heartbeat)
      clearTimeout(timeLimit)
      offReconnect()
      job.signal.removeEventListener('abort', onJobAbort)
    }
    await writer.flush().catch(() => {})
    if (stopper.reason === 'cancel') outcome = { status: 'cancelled' }
    if (stopper.reason === 'timeout') outcome = timedOut(this.cfg.maxRunMs)
    if (stopper.reason === 'lost') return attemptTrace.end({ stopped: 'lost' }) // the reaper or the next claim takes it from here
    if (stopper.reason === 'shutdown') {
      attemptTrace.end({ stopped: 'shutdown' })
      await this.release(run)
      throw new Error(`worker shutting down; run ${run.id} released for another worker`)
    }
    const final = outcome ?? { status: 'completed' }
    await finishRun(this.pool, this.boss, run.id, final, {
      attempt: run.attempt,
      batch: this.finishes,
      observer: this.observer,
      notifier: this.notifier,
    })
    attemptTrace.end({ outcome: final })
  }

  private context(
    run: ClaimedRow,
    session: ExecutionSession,
    writer: EventWriter,
    signal: AbortSignal,
    apiKey: string,
    lastSeq: number,
  ): RunContext {
    const prisma = this.db.prisma
    const executing: ExecutingRun = {
      id: run.id,
      kind: run.kind,
      accountId: run.accountId,
      chatId: run.chatId,
      sessionId: run.sessionId,
      model: run.model,
      input: run.input,
      attempt: run.attempt,
      metadata: run.metadata,
    }
    return {
      run: executing,
      session,
      apiKey,
      apiUrl: this.cfg.apiUrl,
      signal,
      resume: run.previouslyStarted ? { checkpoint: run.checkpoint, lastSeq } : null,
      emit: (event: ExecutorEvent) => {
        writer.append(event)
      },
      flush: () => writer.flush(),
      checkpoint: (state: unknown, messages?: UIMessage[]) =>
        writer.checkpoint(state, messages?.length ? { chatId: run.chatId, messages } : undefined),
      loadMessages: () => loadChatMessages(prisma, run.chatId),
      saveMessages: (messages: UIMessage[]) => saveChatMessagesOn(this.pool, run.chatId, messages, run.id),
      updateSession: async (patch) => {
        // An archived session stays archived: a run that raced the archive (admitted before it,
        // not stopped yet) records its sandbox — so the archive's release finds it — but never
        // flips the session back to active.
        const args: unknown[] = [run.sessionId]
        const sets = ['"updatedAt" = now()']
        if (patch.sandboxState !== undefined) {
          args.push(patch.sandboxState === null ? null : JSON.stringify(patch.sandboxState))
          sets.push(`"sandboxState" = $${args.length}::jsonb`)
        }
        if (patch.lifecycleState) {
          args.push(patch.lifecycleState)
          sets.push(
            `"lifecycleState" = CASE WHEN "lifecycleState" = 'archived' THEN "lifecycleState" ELSE $${args.length}::"LifecycleState" END`,
          )
        }
        const { rows } = await this.pool.query<{ archived: boolean }>(
          `UPDATE "Session" SET ${sets.join(', ')} WHERE id = $1 RETURNING "lifecycleState" = 'archived' AS archived`,
          args,
        )
        return { archived: rows[0]?.archived ?? false }
      },
      loadTodos: async () =>
        (await prisma.chat.findUniqueOrThrow({ where: { id: run.chatId }, select: { todos: true } })).todos,
      saveTodos: async (todos: unknown) => {
        await prisma.chat.update({ where: { id: run.chatId }, data: { todos: todos as Prisma.InputJsonValue } })
      },
    }
  }

  /**
   * The executor's outcome, or undefined when it has not returned `stopGraceMs` after its signal
   * fired: the run is then finished without it (its stop reason decides how), and the executor is
   * left to end on its own.
   */
  private untilStopGraceOver(
    runId: string,
    execution: Promise<RunOutcome>,
    signal: AbortSignal,
  ): Promise<RunOutcome | undefined> {
    let timer: NodeJS.Timeout | undefined
    let onAbort = () => {}
    const abandoned = new Promise<undefined>((resolve) => {
      onAbort = () => {
        timer = setTimeout(() => {
          this.log.warn(
            { runId, stopGraceMs: this.cfg.stopGraceMs },
            'run executor ignored its stop signal; finishing the run without it',
          )
          resolve(undefined)
        }, this.cfg.stopGraceMs)
      }
    })
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
    return Promise.race([execution, abandoned]).finally(() => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
    })
  }

  /** When the run's time is up: `maxRunMs` after its first start, whichever attempt this is. */
  private deadline(run: ClaimedRow): number {
    return (run.startedAt ?? new Date()).getTime() + this.cfg.maxRunMs
  }

  private async heartbeat(run: ClaimedRow, stop: (reason: StopReason) => void) {
    try {
      // An archived session stops its runs too: the archive cancels them itself, but not if its
      // process died between archiving and cancelling.
      const { rows } = await this.pool.query<{ cancelRequestedAt: Date | null; sessionArchived: boolean }>(
        `UPDATE "Run" r SET "heartbeatAt" = now(), "leaseExpiresAt" = now() + $3 * interval '1 millisecond'
         WHERE id = $1 AND attempt = $2 AND status = 'running' AND "workerId" = $4
         RETURNING "cancelRequestedAt", EXISTS (SELECT 1 FROM "Session" s WHERE s.id = r."sessionId" AND s."lifecycleState" = 'archived') AS "sessionArchived"`,
        [run.id, run.attempt, this.cfg.leaseMs, this.id],
      )
      if (!rows[0]) stop('lost')
      else if (rows[0].cancelRequestedAt || rows[0].sessionArchived) stop('cancel')
    } catch (err) {
      // A database hiccup: keep executing; the lease covers short outages.
      this.log.warn({ err, runId: run.id }, 'heartbeat failed')
    }
  }

  /** Hands a run back on graceful shutdown: not counted as an attempt, resumable at once. */
  private async release(run: ClaimedRow) {
    await this.pool.query(
      `UPDATE "Run" SET "workerId" = NULL, "leaseExpiresAt" = now(), attempt = attempt - 1 WHERE id = $1 AND attempt = $2 AND status = 'running'`,
      [run.id, run.attempt],
    )
  }

  /** Stops local executions and waits for them to hand their runs back. */
  async shutdown(): Promise<void> {
    const running = [...this.active.values()]
    for (const a of running) a.abort('shutdown')
    await Promise.all(running.map((a) => a.done))
  }
}
