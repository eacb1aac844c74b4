// Admission: everything a run needs before any sandbox or model work, in one transaction —
// the per-chat lock (a unique index, not memory), the run row, its ephemeral key, its first
// event and its queue job. Either all of it exists afterwards or none of it does.
import { AppError, newId, notFound } from '@runyard/contract'
import type { PgBoss } from 'pg-boss'
import type pg from 'pg'
import type { EngineConfig } from './config.ts'
import { appendRunEvents } from './event-log.ts'
import { mintRunKey } from './ephemeral-keys.ts'
import { notifyRunChange } from './lifecycle.ts'
import { enqueueRun } from './queue.ts'
import type { RunRow } from './run-row.ts'
import { withTransaction } from './tx.ts'
import type { StartRunRequest } from '@runyard/contract'

export async function admitRun(pool: pg.Pool, boss: PgBoss, cfg: EngineConfig, req: StartRunRequest): Promise<RunRow> {
  return withTransaction(pool, async (tx) => {
    const chat = await tx.query<{ sessionId: string }>('SELECT "sessionId" FROM "Chat" WHERE id = $1 AND "accountId" = $2', [req.chatId, req.accountId])
    const sessionId = chat.rows[0]?.sessionId
    if (!sessionId) throw notFound('chat_not_found', `Chat ${req.chatId} was not found`)

    const runId = req.runId ?? newId('run')
    const insert = (locked: boolean) =>
      tx.query<RunRow>(
        `INSERT INTO "Run" (id, "accountId", "chatId", "sessionId", kind, status, "lockedChatId", model, input, "maxAttempts",
           "responseId", "previousResponseId", metadata)
         VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT ("lockedChatId") DO NOTHING RETURNING *`,
        [runId, req.accountId, req.chatId, sessionId, req.kind, locked ? req.chatId : null, req.model, JSON.stringify(req.input),
          cfg.maxAttempts, req.responseId ?? null, req.previousResponseId ?? null, req.metadata ? JSON.stringify(req.metadata) : null],
      )
    let run = (await insert(true)).rows[0]
    if (!run) {
      if (req.ifBusy !== 'enqueue') {
        const active = await tx.query<{ id: string }>('SELECT id FROM "Run" WHERE "lockedChatId" = $1', [req.chatId])
        const activeRunId = active.rows[0]?.id
        throw new AppError('conflict', 'chat_busy', `Chat ${req.chatId} already has an active run${activeRunId ? ` (${activeRunId})` : ''}`, {
          activeRunId,
        })
      }
      run = (await insert(false)).rows[0]!
    }
    await mintRunKey(tx, req.accountId, runId, cfg.ephemeralKeyTtlMs)
    run.lastSeq = await appendRunEvents(tx, runId, [{ type: 'run_status', status: 'queued' }])
    // A run waiting behind the chat's active run gets its job when it is promoted.
    run.jobId = run.lockedChatId ? await enqueueRun(boss, runId, req.chatId, tx) : null
    await tx.query('UPDATE "Run" SET "jobId" = $2, "lastSeq" = $3 WHERE id = $1', [runId, run.jobId, run.lastSeq])
    await notifyRunChange(tx, req.accountId, runId, 'queued')
    return run
  })
}
