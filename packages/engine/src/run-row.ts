// The Run table as the engine reads it, and its mapping to the contract's Run.
import type { Run } from '@runyard/contract'
import type { RunKind, RunStatus } from '@runyard/contract'
import type { RunInput } from '@runyard/contract'
import { sampledTraceId } from './tracing.ts'
import type { Queryable } from './types.ts'

export interface RunRow {
  id: string
  accountId: string
  chatId: string
  sessionId: string
  kind: RunKind
  status: RunStatus
  lockedChatId: string | null
  model: string
  input: RunInput
  checkpoint: unknown
  lastSeq: number
  attempt: number
  maxAttempts: number
  workerId: string | null
  leaseExpiresAt: Date | null
  jobId: string | null
  inputTokens: number
  outputTokens: number
  cacheReadTokens: number
  cacheWriteTokens: number
  errorCode: string | null
  errorMessage: string | null
  cancelRequestedAt: Date | null
  responseId: string | null
  previousResponseId: string | null
  metadata: Record<string, unknown> | null
  /** W3C trace context of the run's admission span (tracing.ts); null when tracing was off. */
  traceparent: string | null
  createdAt: Date
  startedAt: Date | null
  finishedAt: Date | null
}

/** The columns `toRun` reads. */
const RUN_VIEW_KEYS = [
  'id',
  'kind',
  'status',
  'accountId',
  'chatId',
  'sessionId',
  'model',
  'attempt',
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'errorCode',
  'errorMessage',
  'responseId',
  'lastSeq',
  'traceparent',
  'createdAt',
  'startedAt',
  'finishedAt',
] as const satisfies readonly (keyof RunRow)[]

/** A run as reported: without its input, checkpoint and metadata JSON, which can be large. */
export type RunView = Pick<RunRow, (typeof RUN_VIEW_KEYS)[number]>

/**
 * The RunView columns for a statement's SELECT or RETURNING (of `alias`, when given): statements
 * whose caller only reports the run return these, so the JSON columns are neither sent nor parsed.
 */
export const runViewColumns = (alias?: string) =>
  RUN_VIEW_KEYS.map((k) => (alias ? `${alias}."${k}"` : `"${k}"`)).join(', ')
export const RUN_VIEW_COLUMNS = runViewColumns()

/** The account's run as reported, if it exists. */
export async function findRunView(db: Queryable, accountId: string, runId: string): Promise<RunView | undefined> {
  const { rows } = await db.query<RunView>(`SELECT ${RUN_VIEW_COLUMNS} FROM "Run" WHERE id = $1 AND "accountId" = $2`, [
    runId,
    accountId,
  ])
  return rows[0]
}

export function toRun(r: RunView): Run {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    accountId: r.accountId,
    chatId: r.chatId,
    sessionId: r.sessionId,
    model: r.model,
    attempt: r.attempt,
    usage: {
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
      cacheRead: r.cacheReadTokens,
      cacheWrite: r.cacheWriteTokens,
    },
    error: r.errorCode ? { code: r.errorCode, message: r.errorMessage ?? '' } : null,
    responseId: r.responseId,
    lastSeq: r.lastSeq,
    traceId: sampledTraceId(r.traceparent),
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
  }
}
