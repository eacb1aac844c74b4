// The engine facade: every surface starts, reads, streams and cancels runs through this, and it
// never knows which surface called. Embedded and distributed deployments run the same code:
// API processes construct it with `workers: false`, `runyard worker` processes with an executor.
import { notFound, TERMINAL_RUN_STATUSES, type Run, type RunStatus, type StoredRunEvent } from '@runyard/contract'
import { migrationStatus, type Db, type MigrationStatus } from '@runyard/db'
import type { PgBoss } from 'pg-boss'
import type pg from 'pg'
import { admitRun, QUEUED_EVENT } from './admission.ts'
import { markSessionArchived } from './archive.ts'
import { requestCancel } from './cancel.ts'
import { resolveEngineConfig, type EngineConfig } from './config.ts'
import { readRunEvents, readWholeRunLog, type RunEventFrame } from './event-log/index.ts'
import { Notifier, type RunChange } from './notifier.ts'
import { createBoss, ensureRunQueue, RUN_QUEUE } from './queue.ts'
import { combineObservers, type EngineObserver } from './observer.ts'
import { startFetchLoop, type FetchLoop } from './fetch-loops.ts'
import { hibernateIdleSessions } from './hibernation.ts'
import { promoteOnFreeChat, promoteStrandedRuns, reapLostRuns, redeliverOrphanedRuns } from './reaper.ts'
import { runChangesSince } from './run-changes.ts'
import { findRunView, RUN_VIEW_COLUMNS, toRun, type RunView } from './run-row.ts'
import { startSchedules, type ScheduledJob } from './schedules.ts'
import { streamRunEventFrames, streamRunEvents } from './stream.ts'
import type { RunExecutor, SandboxHibernator, StartRunRequest } from '@runyard/contract'
import { slottedPool, StatementSlots } from './statement-slots.ts'
import type { Logger } from './types.ts'
import { RunWorker } from './worker.ts'
import { ensureWebhookQueue, redeliverMessage, WebhookDeliverer } from './webhooks/index.ts'

export interface EngineOptions {
  db: Db
  config?: Partial<EngineConfig>
  /** When given, this process executes runs (embedded default, `runyard worker`). */
  executor?: RunExecutor
  /** With an executor: idle sessions' sandboxes are suspended through this (see hibernation.ts). */
  hibernator?: SandboxHibernator
  log?: Logger
  /** Told of runs admitted, claimed, written to and finished in this process (observer.ts). */
  observers?: readonly EngineObserver[]
  /** Recurring jobs this process keeps scheduled and works (schedules.ts: retention). */
  schedules?: readonly ScheduledJob[]
}

export interface ListRunsFilter {
  status?: RunStatus
  chatId?: string
  sessionId?: string
  /** Created at or after this time. */
  createdAfter?: Date
  /** Created before this time. */
  createdBefore?: Date
  limit?: number
  /** Runs with a smaller id than this (ids sort by creation time): the next page. */
  before?: string
}

const silent: Logger = { info() {}, warn() {}, error() {} }

export class Engine {
  readonly config: EngineConfig
  private readonly pool: pg.Pool
  private readonly notifier: Notifier
  private readonly slots: StatementSlots | undefined
  private readonly boss: PgBoss
  private worker: RunWorker | undefined
  /** Processes that execute runs deliver webhook messages too. */
  private webhooks: WebhookDeliverer | undefined
  private reaper: NodeJS.Timeout | undefined
  private reaping: Promise<void> | undefined
  private fetchLoop: FetchLoop | undefined
  private readonly log: Logger
  private readonly observer: Required<EngineObserver>
  /** Fires at stop(): scheduled jobs in progress stop between two statements. */
  private readonly stopping = new AbortController()
  /** What a run finished in this process reports to (lifecycle.ts). */
  private get finishing() {
    return { observer: this.observer, notifier: this.notifier }
  }
  /** Between start() and stop(): the queue is running (readiness). */
  private queueRunning = false

  constructor(private readonly opts: EngineOptions) {
    this.config = resolveEngineConfig(opts.config)
    this.log = opts.log ?? silent
    this.observer = combineObservers(opts.observers ?? [], this.log)
    // The process's one pool, shared with Prisma (Db.pool: pipelined, UTC timestamps); closed with the Db.
    this.pool = opts.db.pool
    this.notifier = new Notifier(opts.db.url, (msg, err) => this.log.warn({ err }, msg))
    // A process that executes runs paces its workers' statements and pg-boss's (statement-slots.ts).
    this.slots = opts.executor ? new StatementSlots(this.config.workerStatementConcurrency) : undefined
    this.boss = createBoss(opts.db.url, this.config, {
      supervise: Boolean(opts.executor),
      slots: this.slots,
      schedule: Boolean(opts.schedules?.length),
    })
    this.boss.on('error', (err) => this.log.error({ err }, 'pg-boss error'))
  }

  get executesRuns(): boolean {
    return Boolean(this.opts.executor)
  }

  async start(): Promise<void> {
    await this.boss.start()
    await ensureRunQueue(this.boss, this.config)
    await ensureWebhookQueue(this.boss)
    await this.notifier.start()
    if (this.opts.schedules?.length)
      await startSchedules(this.boss, this.opts.schedules, this.stopping.signal, this.log)
    this.queueRunning = true
    if (!this.opts.executor || !this.slots) return
    const worker = new RunWorker(
      this.opts.db,
      slottedPool(this.pool, this.slots),
      this.boss,
      this.notifier,
      this.opts.executor,
      this.config,
      this.log,
      this.observer,
    )
    this.worker = worker
    this.fetchLoop = startFetchLoop(
      this.boss,
      this.notifier,
      {
        concurrency: this.config.concurrency,
        pollingIntervalMs: 500,
        heartbeatRefreshMs: Math.max(1000, this.config.heartbeatMs),
      },
      this.log,
      (job) => worker.handle(job),
    )
    const hibernator = this.opts.hibernator
    // Idle sessions are looked for about ten times per idle period (at most once a minute), not on
    // every reaper tick: a session scan each few seconds per worker buys nothing.
    const hibernateEveryMs = Math.min(60_000, Math.max(this.config.reapIntervalMs, this.config.sessionIdleMs / 10))
    let hibernatedAt = 0
    const hibernate = async () => {
      if (!hibernator || Date.now() - hibernatedAt < hibernateEveryMs) return
      hibernatedAt = Date.now()
      await hibernateIdleSessions(this.pool, hibernator, this.config, this.log)
    }
    // One tick at a time (a sandbox pause can outlast the interval); stop() waits for it.
    const reap = () => {
      this.reaping ??= reapLostRuns(this.pool, this.boss, this.config, this.log, this.observer, this.notifier)
        .then(() => redeliverOrphanedRuns(this.pool, this.boss, this.config, this.log))
        .then(() => promoteStrandedRuns(this.pool, this.boss, this.log))
        .catch((err: unknown) => this.log.error({ err }, 'reaper failed'))
        .then(hibernate)
        .catch((err: unknown) => this.log.error({ err }, 'hibernating idle sessions failed'))
        .then(() => {
          this.reaping = undefined
        })
    }
    this.reaper = setInterval(reap, this.config.reapIntervalMs)
    reap()
    this.webhooks = new WebhookDeliverer(this.pool, this.boss, this.notifier, this.config.webhooks, this.log)
    await this.webhooks.start()
  }

  /**
   * Sends an account's webhook message again (same id and body) with a fresh retry schedule.
   * 404 when the account has no such message on that endpoint, 409 when the endpoint is disabled.
   */
  async redeliverWebhookMessage(accountId: string, endpointId: string, messageId: string): Promise<void> {
    await redeliverMessage(this.pool, this.boss, accountId, endpointId, messageId)
    this.webhooks?.wake()
  }

  /** Admission only: returns as soon as the run is queued (before any sandbox or model work). */
  async startRun(req: StartRunRequest): Promise<Run> {
    const run = await admitRun(this.pool, this.config, req)
    // Waits behind the chat's active run: if that run's finish missed it, it is promoted now.
    if (!run.lockedChatId) {
      const promoted = await promoteOnFreeChat(this.pool, this.boss, run.chatId).catch((err: unknown) => {
        this.log.warn({ err, runId: run.id }, 'promoting a run waiting on a free chat failed (the reaper will)')
        return null
      })
      if (promoted && promoted !== run.id)
        this.notifier.sendRunChange({ accountId: run.accountId, runId: promoted, status: 'queued' })
    }
    // Committed: its first event is stored, and `queued` wakes a fetch loop (notifier.ts).
    this.notifier.sendEvents(run.id, 1)
    this.notifier.sendRunChange({ accountId: run.accountId, runId: run.id, status: 'queued' })
    this.observer.eventsWritten({ run, events: [{ seq: 1, event: QUEUED_EVENT }], at: run.createdAt })
    this.observer.runAdmitted({ run, surface: req.surface })
    return toRun(run)
  }

  async getRun(accountId: string, runId: string): Promise<Run> {
    const row = await this.findRun(accountId, runId)
    if (!row) throw notFound('run_not_found', `Run ${runId} was not found`)
    return toRun(row)
  }

  async findRunByResponseId(accountId: string, responseId: string): Promise<Run | null> {
    const { rows } = await this.pool.query<RunView>(
      `SELECT ${RUN_VIEW_COLUMNS} FROM "Run" WHERE "responseId" = $1 AND "accountId" = $2`,
      [responseId, accountId],
    )
    return rows[0] ? toRun(rows[0]) : null
  }

  /** The chat's active (admitted, not terminal) run, if any. */
  async activeRunForChat(accountId: string, chatId: string): Promise<Run | null> {
    const { rows } = await this.pool.query<RunView>(
      `SELECT ${RUN_VIEW_COLUMNS} FROM "Run" WHERE "lockedChatId" = $1 AND "accountId" = $2`,
      [chatId, accountId],
    )
    return rows[0] ? toRun(rows[0]) : null
  }

  async listRuns(accountId: string, filter: ListRunsFilter = {}): Promise<Run[]> {
    const where = ['"accountId" = $1']
    const args: unknown[] = [accountId]
    const add = (sql: string, value: unknown) => {
      args.push(value)
      where.push(sql.replace('?', `$${args.length}`))
    }
    if (filter.status) add('status = ?', filter.status)
    if (filter.chatId) add('"chatId" = ?', filter.chatId)
    if (filter.sessionId) add('"sessionId" = ?', filter.sessionId)
    if (filter.createdAfter) add('"createdAt" >= ?', filter.createdAfter)
    if (filter.createdBefore) add('"createdAt" < ?', filter.createdBefore)
    if (filter.before) add('id < ?', filter.before)
    args.push(Math.min(Math.max(filter.limit ?? 50, 1), 500))
    const { rows } = await this.pool.query<RunView>(
      `SELECT ${RUN_VIEW_COLUMNS} FROM "Run" WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${args.length}`,
      args,
    )
    return rows.map(toRun)
  }

  async cancelRun(accountId: string, runId: string, opts: { waitMs?: number } = {}): Promise<Run> {
    const row = await requestCancel(this.pool, this.boss, this.finishing, accountId, runId)
    const run = toRun(row)
    if (run.status !== 'running' || !opts.waitMs) return run
    return this.waitForStatus(accountId, runId, ['completed', 'failed', 'cancelled'], opts.waitMs)
  }

  /**
   * Archives a session: once this returns, admission refuses it (`session_archived`, 409) and its
   * queued or running runs have been cancelled through the same path as `cancelRun` (keys revoked,
   * logs ended with `cancelled`); running ones are awaited up to `waitMs`. Idempotent: archiving an
   * archived session changes nothing (`changed: false`) beyond cancelling runs it still has.
   */
  async archiveSession(
    accountId: string,
    sessionId: string,
    opts: { waitMs?: number } = {},
  ): Promise<{ changed: boolean; runs: Run[] }> {
    const { changed, activeRunIds } = await markSessionArchived(this.pool, accountId, sessionId)
    for (const runId of activeRunIds) await requestCancel(this.pool, this.boss, this.finishing, accountId, runId)
    const deadline = Date.now() + (opts.waitMs ?? 0)
    const runs: Run[] = []
    for (const runId of activeRunIds)
      runs.push(
        await this.waitForStatus(accountId, runId, [...TERMINAL_RUN_STATUSES], Math.max(0, deadline - Date.now())),
      )
    return { changed, runs }
  }

  /** Resolves with the run once it has one of `statuses`, or as it is when `timeoutMs` passes or `signal` aborts. */
  async waitForStatus(
    accountId: string,
    runId: string,
    statuses: RunStatus[],
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Run> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const run = await this.getRun(accountId, runId)
      const left = deadline - Date.now()
      if (statuses.includes(run.status) || left <= 0 || signal?.aborted) return run
      await this.notifier.waitForEvents(runId, Math.min(left, 1000))
    }
  }

  /** Replay after `afterSeq`, then tail until the terminal `done` event (or `signal`). */
  async *streamRunEvents(
    accountId: string,
    runId: string,
    afterSeq = 0,
    signal?: AbortSignal,
  ): AsyncGenerator<StoredRunEvent> {
    if (!(await this.findRun(accountId, runId))) throw notFound('run_not_found', `Run ${runId} was not found`)
    yield* streamRunEvents(this.pool, this.notifier, runId, afterSeq, signal)
  }

  /** Same as streamRunEvents, in pages of pre-serialised StoredRunEvent JSON (cheap forwarding). */
  async *streamRunEventFrames(
    accountId: string,
    runId: string,
    afterSeq = 0,
    signal?: AbortSignal,
  ): AsyncGenerator<RunEventFrame[]> {
    if (!(await this.findRun(accountId, runId))) throw notFound('run_not_found', `Run ${runId} was not found`)
    yield* streamRunEventFrames(this.pool, this.notifier, runId, afterSeq, signal)
  }

  /** The stored log without tailing. */
  async readRunEvents(accountId: string, runId: string, afterSeq = 0, limit = 1000): Promise<StoredRunEvent[]> {
    if (!(await this.findRun(accountId, runId))) throw notFound('run_not_found', `Run ${runId} was not found`)
    return readRunEvents(this.pool, runId, afterSeq, limit)
  }

  /** The whole stored log, without tailing. */
  async readRunLog(accountId: string, runId: string): Promise<StoredRunEvent[]> {
    if (!(await this.findRun(accountId, runId))) throw notFound('run_not_found', `Run ${runId} was not found`)
    return readWholeRunLog(this.pool, runId)
  }

  /**
   * Live run changes (created, status) of one account; after the notification connection was
   * down, the runs that may have changed meanwhile (run-changes.ts).
   */
  onRunChange(accountId: string, fn: (change: RunChange) => void): () => void {
    const offChange = this.notifier.onRunChange((c) => {
      if (c.accountId === accountId) fn(c)
    })
    let listening = true
    const offReconnect = this.notifier.onReconnect((missedSince) => {
      runChangesSince(this.pool, accountId, missedSince, this.config.maxRunMs).then(
        (changes) => changes.forEach((c) => listening && fn(c)),
        (err: unknown) => this.log.warn({ err, accountId }, 'reading run changes missed while reconnecting failed'),
      )
    })
    return () => {
      listening = false
      offChange()
      offReconnect()
    }
  }

  /** Fails if the database is unreachable (health checks, 503 mapping). */
  async ping(): Promise<void> {
    await this.pool.query('SELECT 1')
  }

  /** Whether this process's queue is started (not stopping) and its pg-boss queue is there. */
  async queueReady(): Promise<boolean> {
    return this.queueRunning && (await this.boss.getQueue(RUN_QUEUE)) !== null
  }

  /** The database's migrations against those shipped with this build (readiness). */
  migrationStatus(): Promise<MigrationStatus> {
    return migrationStatus(this.pool)
  }

  /**
   * Runs waiting to execute (every account's) and how long the oldest has waited, by the
   * database's clock: one scan of the (status, leaseExpiresAt) index's `queued` entries (metrics).
   */
  async queueStats(): Promise<{ queued: number; oldestQueuedSeconds: number }> {
    const { rows } = await this.pool.query<{ queued: number; oldest: number | null }>(
      `SELECT count(*)::int AS queued, EXTRACT(EPOCH FROM now() - min("createdAt"))::float8 AS oldest FROM "Run" WHERE status = 'queued'`,
    )
    return { queued: rows[0]?.queued ?? 0, oldestQueuedSeconds: Math.max(0, rows[0]?.oldest ?? 0) }
  }

  private findRun(accountId: string, runId: string): Promise<RunView | undefined> {
    return findRunView(this.pool, accountId, runId)
  }

  /** Graceful stop: running executions are handed back (resumable elsewhere), then connections close. */
  async stop(): Promise<void> {
    this.queueRunning = false
    this.stopping.abort()
    if (this.reaper) clearInterval(this.reaper)
    await this.reaping
    await this.fetchLoop?.stop()
    await this.webhooks?.stop()
    if (this.worker) {
      await this.worker.shutdown()
      // Handed-back runs' jobs failed (retried elsewhere), finished runs' jobs completed.
      await this.fetchLoop?.drained()
    }
    // stop() can resolve before pg-boss has closed its connections; 'stopped' says it has.
    const stopped = new Promise<void>((resolve) => {
      this.boss.once('stopped', () => resolve())
      setTimeout(resolve, 10_000).unref()
    })
    await this.boss.stop({ graceful: true, timeout: 5_000, close: true }).catch(() => {})
    await stopped
    await this.notifier.close()
  }
}

export function createEngine(opts: EngineOptions): Engine {
  return new Engine(opts)
}
