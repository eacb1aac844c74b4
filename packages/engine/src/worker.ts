// Executes one run for one pg-boss job: claim (lease), heartbeat, execute through the injected
// RunExecutor, finish. A claim that lapses (lease expired and taken over) stops the execution.
import os from 'node:os'
import type { Db, Prisma } from '@runyard/db'
import type { PgBoss, Job } from 'pg-boss'
import type pg from 'pg'
import type { EngineConfig } from './config.ts'
import { EventWriter, LostClaimError } from './event-log.ts'
import { issueRunKeySecret } from './ephemeral-keys.ts'
import { finishRun, notifyRunChange } from './lifecycle.ts'
import { loadChatMessages, saveChatMessages } from './messages.ts'
import type { Notifier } from './notifier.ts'
import type { RunJob } from './queue.ts'
import type { RunRow } from './run-row.ts'
import type { RunEvent, UIMessage, ExecutingRun, ExecutionSession, ExecutorEvent, RunContext, RunExecutor, RunOutcome } from '@runyard/contract'

export type Logger = { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void }

type ClaimedRow = RunRow & { previouslyStarted: boolean }

/** Why an execution was stopped from outside. */
type StopReason = 'cancel' | 'lost' | 'shutdown'

export class RunWorker {
  readonly id = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`
  private readonly active = new Map<string, { abort: (reason: StopReason) => void; done: Promise<void> }>()

  constructor(
    private readonly db: Db,
    private readonly pool: pg.Pool,
    private readonly boss: PgBoss,
    private readonly notifier: Notifier,
    private readonly executor: RunExecutor,
    private readonly cfg: EngineConfig,
    private readonly log: Logger,
  ) {}

  get activeRunIds(): string[] {
    return [...this.active.keys()]
  }

  /** pg-boss handler. Throwing makes pg-boss retry the job (infrastructure errors only). */
  async handle(job: Job<RunJob>): Promise<void> {
    const { runId } = job.data
    const claimed = await this.claim(runId, job.id)
    if (!claimed) return // terminal, cancelled, or held by a live worker: nothing to do
    if (claimed.attempt > claimed.maxAttempts) {
      await finishRun(this.pool, this.boss, runId, { status: 'failed', error: { code: 'worker_lost', message: `The run's worker was lost ${claimed.maxAttempts} times.` } })
      return
    }
    let resolveDone!: () => void
    const done = new Promise<void>((r) => (resolveDone = r))
    try {
      await this.execute(claimed, job, done)
    } finally {
      resolveDone()
      this.active.delete(runId)
    }
  }

  private async claim(runId: string, jobId: string): Promise<ClaimedRow | null> {
    const { rows } = await this.pool.query<ClaimedRow>(
      `WITH prev AS (SELECT id, "startedAt" IS NOT NULL AS started FROM "Run" WHERE id = $1 FOR UPDATE)
       UPDATE "Run" r SET status = 'running', attempt = r.attempt + 1, "workerId" = $2, "jobId" = $3,
         "startedAt" = COALESCE(r."startedAt", now()), "heartbeatAt" = now(), "leaseExpiresAt" = now() + $4 * interval '1 millisecond'
       FROM prev
       WHERE r.id = prev.id AND r."lockedChatId" IS NOT NULL AND r."cancelRequestedAt" IS NULL
         AND (r.status = 'queued' OR (r.status = 'running' AND (r."workerId" IS NULL OR r."leaseExpiresAt" < now())))
       RETURNING r.*, prev.started AS "previouslyStarted"`,
      [runId, this.id, jobId, this.cfg.leaseMs],
    )
    if (rows[0]) return rows[0]
    // A queued run whose cancellation arrived before any worker took it never starts.
    const pending = await this.pool.query<{ status: string; cancelRequestedAt: Date | null }>('SELECT status, "cancelRequestedAt" FROM "Run" WHERE id = $1', [runId])
    const p = pending.rows[0]
    if (p && (p.status === 'queued' || p.status === 'running') && p.cancelRequestedAt) {
      await finishRun(this.pool, this.boss, runId, { status: 'cancelled' })
    }
    return null
  }

  private async execute(run: ClaimedRow, job: Job<RunJob>, done: Promise<void>): Promise<void> {
    const controller = new AbortController()
    let stopReason: StopReason | undefined
    const stop = (reason: StopReason) => {
      if (stopReason) return
      stopReason = reason
      controller.abort(new Error(`run ${reason === 'cancel' ? 'cancelled' : reason === 'lost' ? 'claim lost' : 'worker shutting down'}`))
    }
    this.active.set(run.id, { abort: stop, done })
    const offCancel = this.notifier.onCancel(run.id, () => stop('cancel'))
    // pg-boss aborts job.signal when the job is cancelled or its claim lapses — and also after
    // normal completion, which is ignored because by then the run is finished.
    const onJobAbort = () => stop('lost')
    job.signal.addEventListener('abort', onJobAbort, { once: true })

    // A cancel that landed between the claim and the listener above would otherwise wait for a heartbeat.
    const pendingCancel = await this.pool.query('SELECT 1 FROM "Run" WHERE id = $1 AND "cancelRequestedAt" IS NOT NULL', [run.id])
    if (pendingCancel.rowCount) stop('cancel')
    const lastSeq = await this.lastSeq(run.id)
    const writer = new EventWriter(this.pool, run.id, run.attempt, lastSeq, () => stop('lost'))
    const heartbeat = setInterval(() => void this.heartbeat(run, stop), this.cfg.heartbeatMs)
    let outcome: RunOutcome | undefined
    try {
      const lastType = run.previouslyStarted ? await this.lastEventType(run.id) : undefined
      if (lastType !== undefined && lastType !== 'step_finish' && lastType !== 'step_retry') {
        // The interrupted attempt left a partial step: projections drop what precedes this marker.
        writer.append({ type: 'step_retry', attempt: run.attempt })
      }
      writer.append({ type: 'run_status', status: 'running', attempt: run.attempt })
      await notifyRunChange(this.pool, run.accountId, run.id, 'running')
      if (!run.previouslyStarted && run.input.messages?.length) await saveChatMessages(this.db.prisma, run.chatId, run.input.messages, run.id)
      const apiKey = await issueRunKeySecret(this.pool, run.id, this.cfg.ephemeralKeyTtlMs)
      if (!apiKey) throw new Error(`run ${run.id} has no ephemeral key`)
      const ctx = await this.context(run, writer, controller.signal, apiKey, lastSeq)
      outcome = await this.executor.execute(ctx)
      await writer.flush()
    } catch (err) {
      if (err instanceof LostClaimError || stopReason === 'lost') stopReason = 'lost'
      else if (!stopReason) {
        this.log.error({ err, runId: run.id }, 'run executor threw')
        outcome = { status: 'failed', error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } }
      }
    } finally {
      clearInterval(heartbeat)
      offCancel()
      job.signal.removeEventListener('abort', onJobAbort)
    }
    await writer.flush().catch(() => {})
    if (stopReason === 'cancel') outcome = { status: 'cancelled' }
    if (stopReason === 'lost') return // the reaper or the next claim takes it from here
    if (stopReason === 'shutdown') {
      await this.release(run)
      throw new Error(`worker shutting down; run ${run.id} released for another worker`)
    }
    await finishRun(this.pool, this.boss, run.id, outcome ?? { status: 'completed' }, { attempt: run.attempt })
  }

  private async context(run: ClaimedRow, writer: EventWriter, signal: AbortSignal, apiKey: string, lastSeq: number): Promise<RunContext> {
    const prisma = this.db.prisma
    const s = await prisma.session.findUniqueOrThrow({ where: { id: run.sessionId }, include: { workspace: true } })
    const session: ExecutionSession = {
      id: s.id,
      accountId: s.accountId,
      title: s.title,
      workspaceId: s.workspaceId,
      workspacePath: s.workspace?.path ?? null,
      repoOwner: s.repoOwner,
      repoName: s.repoName,
      branch: s.branch,
      cloneUrl: s.cloneUrl,
      sandboxType: s.sandboxType,
      sandboxState: s.sandboxState,
      lifecycleState: s.lifecycleState,
      modelId: s.modelId,
      providerId: s.providerId,
      globalSkillRefs: s.globalSkillRefs,
    }
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
    await prisma.session.update({ where: { id: run.sessionId }, data: { activeStreamId: run.id } })
    return {
      run: executing,
      session,
      apiKey,
      apiUrl: this.cfg.apiUrl,
      signal,
      resume: run.previouslyStarted ? { checkpoint: run.checkpoint, lastSeq } : null,
      emit: (event: ExecutorEvent) => {
        writer.append(event as RunEvent)
      },
      flush: () => writer.flush(),
      checkpoint: async (state: unknown) => {
        await writer.flush()
        await this.pool.query('UPDATE "Run" SET checkpoint = $3, "lastSeq" = $4 WHERE id = $1 AND attempt = $2', [run.id, run.attempt, JSON.stringify(state ?? null), writer.seq])
      },
      loadMessages: () => loadChatMessages(prisma, run.chatId),
      saveMessages: (messages: UIMessage[]) => saveChatMessages(prisma, run.chatId, messages, run.id),
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
          sets.push(`"lifecycleState" = CASE WHEN "lifecycleState" = 'archived' THEN "lifecycleState" ELSE $${args.length}::"LifecycleState" END`)
        }
        await this.pool.query(`UPDATE "Session" SET ${sets.join(', ')} WHERE id = $1`, args)
      },
      loadTodos: async () => (await prisma.chat.findUniqueOrThrow({ where: { id: run.chatId }, select: { todos: true } })).todos,
      saveTodos: async (todos: unknown) => {
        await prisma.chat.update({ where: { id: run.chatId }, data: { todos: todos as Prisma.InputJsonValue } })
      },
    }
  }

  private async heartbeat(run: ClaimedRow, stop: (reason: StopReason) => void) {
    try {
      const { rows } = await this.pool.query<{ cancelRequestedAt: Date | null }>(
        `UPDATE "Run" SET "heartbeatAt" = now(), "leaseExpiresAt" = now() + $3 * interval '1 millisecond'
         WHERE id = $1 AND attempt = $2 AND status = 'running' AND "workerId" = $4 RETURNING "cancelRequestedAt"`,
        [run.id, run.attempt, this.cfg.leaseMs, this.id],
      )
      if (!rows[0]) stop('lost')
      else if (rows[0].cancelRequestedAt) stop('cancel')
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

  private async lastSeq(runId: string): Promise<number> {
    const { rows } = await this.pool.query<{ max: number | null }>('SELECT max(seq) AS max FROM "RunEvent" WHERE "runId" = $1', [runId])
    return rows[0]?.max ?? 0
  }

  private async lastEventType(runId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ type: string }>(
      `SELECT type FROM "RunEvent" WHERE "runId" = $1 AND type NOT IN ('run_status') ORDER BY seq DESC LIMIT 1`,
      [runId],
    )
    return rows[0]?.type
  }

  /** Stops local executions and waits for them to hand their runs back. */
  async shutdown(): Promise<void> {
    const running = [...this.active.values()]
    for (const a of running) a.abort('shutdown')
    await Promise.all(running.map((a) => a.done))
  }
}
