// The Run table as the engine reads it, and its mapping to the contract's Run.
import type { Run } from '@runyard/contract'
import type { RunKind, RunStatus } from '@runyard/contract'
import type { RunInput } from '@runyard/contract'

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
  createdAt: Date
  startedAt: Date | null
  finishedAt: Date | null
}

export function toRun(r: RunRow): Run {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    accountId: r.accountId,
    chatId: r.chatId,
    sessionId: r.sessionId,
    model: r.model,
    attempt: r.attempt,
    usage: { inputTokens: r.inputTokens, outputTokens: r.outputTokens, cacheRead: r.cacheReadTokens, cacheWrite: r.cacheWriteTokens },
    error: r.errorCode ? { code: r.errorCode, message: r.errorMessage ?? '' } : null,
    responseId: r.responseId,
    lastSeq: r.lastSeq,
    createdAt: r.createdAt.toISOString(),
    startedAt: r.startedAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
  }
}
