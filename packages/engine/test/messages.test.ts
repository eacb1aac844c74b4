import type { UIMessage } from '@runyard/contract'
import { createTestDb, seedChat, type TestDb } from '@runyard/testkit'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { loadChatMessages, saveChatMessages } from '../src/index.ts'

let db: TestDb
beforeAll(async () => {
  db = await createTestDb()
})
afterAll(async () => {
  await db.drop()
})

const msg = (id: string, text: string, metadata?: unknown): UIMessage => ({
  id,
  role: 'user',
  parts: [{ type: 'text', text }],
  ...(metadata === undefined ? {} : { metadata }),
})

it('upserts by id: appends new messages in order, updates known ones in place, keeps metadata unless given', async () => {
  const { chatId } = await seedChat(db.prisma)
  await saveChatMessages(db.prisma, chatId, [msg('a', '1', { n: 1 }), msg('b', '2')], 'run_1')
  // repeated ids merge into their first occurrence: the last text, the last metadata given
  await saveChatMessages(
    db.prisma,
    chatId,
    [msg('c', '3', { n: 3 }), msg('a', '1b'), msg('b', '2b', { n: 2 }), msg('c', '3b'), msg('c', '3c', null)],
    'run_2',
  )
  expect(await loadChatMessages(db.prisma, chatId)).toEqual([
    msg('a', '1b', { n: 1 }),
    msg('b', '2b', { n: 2 }),
    msg('c', '3c', { n: 3 }),
  ])
  const rows = await db.prisma.message.findMany({
    where: { chatId },
    orderBy: { position: 'asc' },
    select: { id: true, position: true, runId: true },
  })
  expect(rows).toEqual([
    { id: 'a', position: 0, runId: 'run_1' },
    { id: 'b', position: 1, runId: 'run_1' },
    { id: 'c', position: 2, runId: 'run_2' },
  ])
})
