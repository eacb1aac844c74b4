// Found in review: FINISH_RUN's `promoted` CTE (lifecycle.ts) promoted the chat's next waiting run
// whenever a run of the chat finished, also when the finished run never held the chat's lock (a
// run waiting with ifBusy: 'enqueue'). While another run held the chat, that UPDATE violated
// "Run_lockedChatId_key" (23505): the cancel failed, and so did archiving a session whose running
// run had two runs waiting behind it. Now only a run that held the lock hands the chat on.
import { seedAccount } from '@runyard/testkit'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { harness, newChatRun, type Harness } from './support/harness.ts'

let h: Harness
beforeEach(async () => {
  h = await harness()
})
afterEach(async () => h.close())

/** A chat whose first run holds its lock, with two runs waiting behind it. */
async function busyChatWithTwoWaiting() {
  const engine = await h.engine({ executor: null })
  const first = newChatRun(await seedAccount(h.db.prisma))
  const active = await engine.startRun(first)
  const { provision: _, ...onExisting } = first
  const waiting1 = await engine.startRun({ ...onExisting, ifBusy: 'enqueue' })
  const waiting2 = await engine.startRun({ ...onExisting, ifBusy: 'enqueue' })
  return { engine, first, active, waiting1, waiting2 }
}

it('cancels a waiting run while the chat is held and another run waits, leaving the others as they are', async () => {
  const { engine, first, active, waiting1, waiting2 } = await busyChatWithTwoWaiting()
  expect((await engine.cancelRun(first.accountId, waiting1.id)).status).toBe('cancelled')
  const { rows } = await h.db.pool.query<{ id: string; status: string; lockedChatId: string | null }>(
    `SELECT id, status, "lockedChatId" FROM "Run" WHERE "chatId" = $1 ORDER BY "createdAt", id`,
    [first.chatId],
  )
  expect(rows.map((r) => [r.id, r.status, r.lockedChatId])).toEqual([
    [active.id, 'queued', first.chatId],
    [waiting1.id, 'cancelled', null],
    [waiting2.id, 'queued', null],
  ])
})

it('archives a session whose chat has a running run and two runs waiting behind it', async () => {
  const { engine, first, active } = await busyChatWithTwoWaiting()
  // As a worker's claim leaves it: cancelling it only signals its worker, so it keeps the chat.
  await h.db.pool.query(`UPDATE "Run" SET status = 'running', attempt = 1 WHERE id = $1`, [active.id])
  await expect(engine.archiveSession(first.accountId, first.provision.sessionId)).resolves.toMatchObject({
    changed: true,
  })
})
