// One `info` line per run end, written by the process that finished the run (its worker, the
// reaper, or a cancel): who it was for, how it ended and what it cost. Runs that failed say why
// (error code and message), so a provider's 401 is in the log, not only in the run.
import type { EngineObserver } from '@runyard/engine'
import type { Logger } from '../logger.ts'

/** An error message can quote a provider's whole answer: the line keeps its start. */
const MAX_ERROR_MESSAGE = 500

export function runEndLog(log: Pick<Logger, 'info'>): EngineObserver {
  return {
    runFinished({ run }) {
      log.info(
        {
          runId: run.id,
          chatId: run.chatId,
          sessionId: run.sessionId,
          accountId: run.accountId,
          kind: run.kind,
          model: run.model,
          status: run.status,
          errorCode: run.errorCode,
          ...(run.errorMessage ? { error: run.errorMessage.slice(0, MAX_ERROR_MESSAGE) } : {}),
          attempt: run.attempt,
          durationMs: run.finishedAt ? run.finishedAt.getTime() - run.createdAt.getTime() : null,
          tokens: {
            input: run.inputTokens,
            output: run.outputTokens,
            cacheRead: run.cacheReadTokens,
            cacheWrite: run.cacheWriteTokens,
          },
        },
        `run ${run.status}`,
      )
    },
  }
}
