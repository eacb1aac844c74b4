// The batched step ends (event-log/writer.ts, checkpointBatcher): a stale attempt's step
// end that shares a batched statement with the current attempt's step end of the SAME run must be
// fenced out like any other stale write — nothing of it stored, LostClaimError for it alone — and
// the current attempt must keep its claim. Two attempts of one run can meet in one worker's
// batcher: a worker may claim again a run whose lease lapsed while it still executes it (nothing
// in worker.ts refuses a run it already holds).
import { newApiKeySecret } from '@runyard/db'
import { seedChat } from '@runyard/testkit'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { claimBatcher } from '../src/claims.ts'
import { checkpointBatcher, EventWriter, LostClaimError } from '../src/event-log/index.ts'
import type { Engine } from '../src/index.ts'
import { harness, type Harness } from './support/harness.ts'

let h: Harness
let api: Engine
beforeEach(async () => {
  h = await harness()
  api = await h.engine({ executor: null })
})
afterEach(async () => {
  await h.close()
})

const settings = { workerId: 'test-worker', leaseMs: 60_000, ephemeralKeyTtlMs: 60_000 }

it("a stale attempt's step end batched with the current attempt's step end of the same run is fenced out", async () => {
  const chat = await seedChat(h.db.prisma)
  const run = await h.runScript(api, chat, [{ text: 'hi' }])
  const claims = claimBatcher(h.db.pool, settings, () => {})
  const first = await claims.add({ runId: run.id, jobId: 'job-1', key: newApiKeySecret('run') })
  expect(first).toMatchObject({ attempt: 1, runningSeq: 2 })
  // The first attempt's lease lapses and the run is claimed again (attempt 2, a resume).
  await h.db.prisma.$executeRaw`UPDATE "Run" SET "leaseExpiresAt" = now() - interval '1 second' WHERE id = ${run.id}`
  const second = await claims.add({ runId: run.id, jobId: 'job-2', key: newApiKeySecret('run') })
  expect(second).toMatchObject({ attempt: 2, previouslyStarted: true })

  const batch = checkpointBatcher(h.db.pool, () => {})
  const lost: string[] = []
  const writer = (attempt: number) =>
    new EventWriter(h.db.pool, run.id, attempt, 2, () => lost.push(`attempt ${attempt}`), undefined, undefined, batch)
  const stale = writer(1)
  const current = writer(2)
  // Same turn: the stale attempt ends a step (an event, a checkpoint, a message); the current
  // attempt stores a checkpoint of its own (a checkpoint may come with no events).
  stale.append({ type: 'step_finish', usage: { input_tokens: 1, output_tokens: 1, cache_read: 0, cache_write: 0 } })
  const settled = await Promise.allSettled([
    stale.checkpoint(
      { by: 'stale' },
      { chatId: chat.chatId, messages: [{ id: 'msg_stale', role: 'assistant', parts: [{ type: 'text', text: 'x' }] }] },
    ),
    current.checkpoint({ by: 'current' }),
  ])

  const log = await h.db.prisma.$queryRaw<
    { seq: number }[]
  >`SELECT seq FROM "RunEvent" WHERE "runId" = ${run.id} ORDER BY seq`
  const messages = await h.db.prisma.message.findMany({ where: { chatId: chat.chatId, role: 'assistant' } })
  const stored = await h.db.prisma.run.findUniqueOrThrow({ where: { id: run.id } })
  // The stale attempt is told it lost its claim, the current one keeps it; nothing of the stale
  // attempt is stored (no event, no message); the checkpoint and lastSeq are the current one's.
  expect({
    settled: settled.map((s) => (s.status === 'rejected' ? (s.reason as Error).constructor.name : s.status)),
    lost,
    log: log.map((e) => e.seq),
    messages: messages.map((m) => m.id),
    checkpoint: stored.checkpoint,
    lastSeq: stored.lastSeq,
  }).toEqual({
    settled: [LostClaimError.name, 'fulfilled'],
    lost: ['attempt 1'],
    log: [1, 2],
    messages: [],
    checkpoint: { by: 'current' },
    lastSeq: 2,
  })
})
