// Retention (RUNYARD_RETENTION_DAYS): what is older than N days is counted (`runyard retention
// --dry-run`) or deleted (`runyard retention`, and hourly on a pg-boss schedule in every `runyard
// start` process). What goes and what stays is the engine's (packages/engine/src/retention.ts);
// this adds the server-managed workspace folders of the archived sessions it deletes, and the
// progress lines people read.
import type { RetentionCounts, RetentionStore, ScheduledJob } from '@runyard/engine'
import { removeManagedFolders } from './sessions.ts'

const DAY_MS = 86_400_000
/** Progress lines of a long sweep, at most this often (plus the summary at the end). */
const PROGRESS_EVERY_MS = 5_000

/** The schedule's queue name, and when it runs: hourly, at minute 17 (UTC), off the busy full hour. */
export const RETENTION_JOB = 'runyard-retention'
export const RETENTION_CRON = '17 * * * *'

export interface RetentionResult {
  days: number
  /** Everything finished or archived before this instant is past retention. */
  cutoff: Date
  counts: RetentionCounts
}

export interface SweepRequest {
  /** Now, as far as the cutoff goes (tests). */
  now?: Date
  batchSize?: number
  signal?: AbortSignal
  /** A line now and then while a long sweep goes on. */
  onProgress?(line: string): void
}

export class RetentionService {
  constructor(
    private readonly store: RetentionStore,
    /** The server-managed workspaces folder, whose session folders go with their sessions. */
    private readonly managedDir: string | undefined,
  ) {}

  /** What a sweep would delete now (nothing is deleted). */
  async count(days: number, now = new Date()): Promise<RetentionResult> {
    const cutoff = cutoffFor(days, now)
    return { days, cutoff, counts: await this.store.count(cutoff) }
  }

  /** Deletes what is past retention, in short statements (see the engine's retention.ts). */
  async sweep(days: number, req: SweepRequest = {}): Promise<RetentionResult> {
    const cutoff = cutoffFor(days, req.now ?? new Date())
    let reportedAt = Date.now()
    const counts = await this.store.sweep(cutoff, {
      batchSize: req.batchSize,
      signal: req.signal,
      onProgress: (totals) => {
        if (!req.onProgress || Date.now() - reportedAt < PROGRESS_EVERY_MS) return
        reportedAt = Date.now()
        req.onProgress(`retention in progress: ${describeCounts(totals, 'deleted')}`)
      },
      beforeSessionsDeleted: async (sessions) => {
        const dir = this.managedDir
        if (dir) for (const s of sessions) if (!s.workspaceId) await removeManagedFolders(dir, s.accountId, s.id)
      },
    })
    return { days, cutoff, counts }
  }
}

export function cutoffFor(days: number, now: Date): Date {
  return new Date(now.getTime() - days * DAY_MS)
}

/** One line: what was (or would be) deleted, and what is kept for now. */
export function describeCounts(c: RetentionCounts, verb: 'deleted' | 'to delete'): string {
  const n = (x: number) => x.toLocaleString('en-US')
  const s = c.archivedSessions
  return (
    `${verb}: the event logs of ${n(c.runEvents.runs)} finished runs (${n(c.runEvents.events)} events in ${n(c.runEvents.batches)} rows), ` +
    `${n(c.runKeys)} leftover run keys, ${n(s.sessions)} archived sessions with ${n(s.chats)} chats, ${n(s.messages)} messages and ${n(s.runs)} runs; ` +
    `${n(c.archivedSessionsKept)} archived sessions kept for now (a run finished too recently, or the sandbox is not released yet); ` +
    `${n(c.webhookDeliveries)} webhook delivery log entries`
  )
}

/** The counts as a few aligned lines (the CLI's report). */
export function retentionReport(c: RetentionCounts): string[] {
  const n = (x: number) => x.toLocaleString('en-US')
  const s = c.archivedSessions
  return [
    `event logs of finished runs   ${n(c.runEvents.runs)} runs, ${n(c.runEvents.batches)} rows, ${n(c.runEvents.events)} events`,
    `leftover run keys             ${n(c.runKeys)}`,
    `archived sessions             ${n(s.sessions)}, with ${n(s.chats)} chats, ${n(s.messages)} messages, ${n(s.runs)} runs`,
    `archived sessions kept        ${n(c.archivedSessionsKept)} (a run finished too recently, or the sandbox is not released yet)`,
    `webhook delivery log entries  ${n(c.webhookDeliveries)} (delivered or given up)`,
  ]
}

/** The hourly job: a sweep with `days`, logged with its totals. */
export function retentionJob(
  retention: RetentionService,
  days: number,
  log: { info(obj: object, msg?: string): void },
): ScheduledJob {
  return {
    name: RETENTION_JOB,
    cron: RETENTION_CRON,
    async run(signal) {
      const started = Date.now()
      const onProgress = (line: string) => log.info({ job: RETENTION_JOB }, line)
      const { cutoff, counts } = await retention.sweep(days, { signal, onProgress })
      log.info(
        { job: RETENTION_JOB, days, cutoff: cutoff.toISOString(), ms: Date.now() - started, ...counts },
        `retention (${days} days): ${describeCounts(counts, 'deleted')}`,
      )
    },
  }
}
