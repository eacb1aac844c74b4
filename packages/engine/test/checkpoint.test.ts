// A step's checkpoint carries the step's transcript message (RunContext.checkpoint's `messages`):
// the worker's writer stores the events, the resume state and the message in one statement.
import type { RunExecutor, UIMessage } from '@runyard/contract'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { loadChatMessages } from '../src/index.ts'
import { harness, type Harness } from './support/harness.ts'

let h: Harness
beforeAll(async () => {
  h = await harness()
})
afterAll(async () => {
  await h.close()
})

const answer = (text: string): UIMessage => ({ id: 'msg_answer', role: 'assistant', parts: [{ type: 'text', text }] })

it("stores a checkpoint's messages with it; a checkpoint superseded before it was sent still stores its messages, the later ones winning", async () => {
  const checkpoints: unknown[] = []
  const executor: RunExecutor = {
    async execute(ctx) {
      ctx.emit({ type: 'text_delta', delta: 'one' })
      await ctx.checkpoint({ steps: 1 }, [answer('one')])
      checkpoints.push((await h.db.prisma.run.findUniqueOrThrow({ where: { id: ctx.run.id } })).checkpoint)
      // stored before the events that follow it are: the transcript is the step's, not later
      expect((await loadChatMessages(h.db.prisma, ctx.run.chatId)).at(-1)).toEqual(answer('one'))
      ctx.emit({ type: 'text_delta', delta: ' two' })
      await Promise.all([
        ctx.checkpoint({ steps: 2 }, [answer('one two (draft)'), { ...answer('x'), id: 'msg_other' }]),
        ctx.checkpoint({ steps: 2 }, [answer('one two')]),
      ])
      await ctx.checkpoint({ steps: 3 }) // no messages: the transcript is left as it is
      return { status: 'completed' }
    },
  }
  const engine = await h.engine({ executor })
  const { run, accountId, chatId } = await h.seededRun(engine, [])
  const done = await engine.waitForStatus(accountId, run.id, ['completed', 'failed', 'cancelled'], 20_000)
  expect(done.status).toBe('completed')
  expect(checkpoints).toEqual([{ steps: 1 }])
  expect((await h.db.prisma.run.findUniqueOrThrow({ where: { id: run.id } })).checkpoint).toEqual({ steps: 3 })
  const messages = await loadChatMessages(h.db.prisma, chatId)
  expect(messages.slice(1)).toEqual([answer('one two'), { ...answer('x'), id: 'msg_other' }])
  const rows = await h.db.prisma.message.findMany({ where: { chatId }, select: { id: true, runId: true } })
  expect(rows.filter((r) => r.id !== messages[0]!.id)).toEqual(
    expect.arrayContaining([
      { id: 'msg_answer', runId: run.id },
      { id: 'msg_other', runId: run.id },
    ]),
  )
})
