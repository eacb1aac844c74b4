// Found in review: a run admitted to wait (ifBusy: 'enqueue') while the chat's active run was
// finishing was left waiting on a free chat: its admission found the chat held, and the finish
// statement, whose snapshot predated the waiting run, released the chat without promoting it. Only
// the reaper's promoteStrandedRuns (every reapIntervalMs, and only in a process that executes runs)
// then started it; in a tight race nearly every such run was stranded. Now the admission of a
// waiting run looks at the chat once it committed, after any finish in flight, and promotes the
// oldest waiting run if nobody holds the chat.
import { seedAccount } from '@runyard/testkit'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { harness, newChatRun, type Harness } from './support/harness.ts'

let h: Harness
beforeEach(async () => {
  h = await harness()
})
afterEach(async () => h.close())

async function busyChat(engine: Awaited<ReturnType<Harness['engine']>>) {
  const first = newChatRun(await seedAccount(h.db.prisma))
  const active = await engine.startRun(first)
  const { provision: _, ...onExisting } = first
  return { first, onExisting, active }
}

/** The chat's runs in admission order: status, whether it holds the chat, and its queue job's state. */
async function chatRuns(chatId: string) {
  const { rows } = await h.db.pool.query<{ id: string; status: string; locked: boolean; job: string | null }>(
    `SELECT r.id, r.status, r."lockedChatId" IS NOT NULL AS locked,
       (SELECT j.state::text FROM pgboss.job j WHERE j.id::text = r."jobId") AS job
     FROM "Run" r WHERE r."chatId" = $1 ORDER BY r."createdAt", r.id`,
    [chatId],
  )
  return rows.map((r) => [r.id, r.status, r.locked, r.job])
}

it('promotes a run admitted to wait while the finish of the chat’s active run, which did not see it, was in flight', async () => {
  const engine = await h.engine({ executor: null })
  const { first, onExisting, active } = await busyChat(engine)
  // The active run's finish, as finishRun's transaction runs it: the run's row lock first, then the
  // finish statement, whose snapshot here predates the waiting run (REPEATABLE READ pins it).
  const finish = await h.db.pool.connect()
  try {
    await finish.query('BEGIN ISOLATION LEVEL REPEATABLE READ')
    await finish.query('SELECT id FROM "Run" WHERE id = $1 FOR UPDATE', [active.id])
    const admitted = engine.startRun({ ...onExisting, ifBusy: 'enqueue' })
    // The waiting run is committed (the finish's snapshot does not have it) before the finish ends.
    for (let i = 0; ; i++) {
      const { rowCount } = await h.db.pool.query('SELECT 1 FROM "Run" WHERE "chatId" = $1 AND id <> $2', [
        first.chatId,
        active.id,
      ])
      if (rowCount) break
      if (i > 200) throw new Error('the waiting run was not admitted')
      await new Promise((r) => setTimeout(r, 10))
    }
    // No waiting run in its snapshot: it releases the chat and promotes nothing.
    await finish.query(
      `UPDATE "Run" SET status = 'completed', "finishedAt" = now(), "lockedChatId" = NULL WHERE id = $1
         AND NOT EXISTS (SELECT 1 FROM "Run" w WHERE w."chatId" = $2 AND w.status = 'queued' AND w."lockedChatId" IS NULL)`,
      [active.id, first.chatId],
    )
    await finish.query('COMMIT')
    const waiting = await admitted
    expect(await chatRuns(first.chatId)).toEqual([
      [active.id, 'completed', false, 'created'],
      [waiting.id, 'queued', true, 'created'],
    ])
  } finally {
    finish.release()
  }
})

it('leaves no waiting run on a free chat when admissions to wait race the active run’s cancel', async () => {
  const engine = await h.engine({ executor: null })
  for (let i = 0; i < 10; i++) {
    const { first, onExisting, active } = await busyChat(engine)
    const [, waiting] = await Promise.all([
      engine.cancelRun(first.accountId, active.id),
      engine.startRun({ ...onExisting, ifBusy: 'enqueue' }),
    ])
    expect(await chatRuns(first.chatId)).toEqual([
      [active.id, 'cancelled', false, expect.anything()],
      [waiting.id, 'queued', true, 'created'],
    ])
  }
})
