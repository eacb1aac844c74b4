// The worker claims the runs of one fetch in one statement, writes the step ends (events with a
// checkpoint) of runs that end their steps together in one statement and finishes runs that end
// together in one statement (claims.ts, event-log/writer.ts, lifecycle.ts, turn-batcher.ts): each
// run is still fenced on its own, gets its own result, and one run's failure fails only that run.
import { newId, type RunEvent } from '@runyard/contract'
import { newApiKeySecret } from '@runyard/db'
import { seedChat } from '@runyard/testkit'
import type { PgBoss } from 'pg-boss'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { claimBatcher, type ClaimedRow } from '../src/claims.ts'
import { resolveEngineConfig } from '../src/config.ts'
import { checkpointBatcher, encodeBatch, EventWriter, LostClaimError } from '../src/event-log/index.ts'
import { finishBatcher, finishRun, type FinishParams } from '../src/lifecycle.ts'
import { createBoss } from '../src/queue.ts'
import type { Engine } from '../src/index.ts'
import { countingPool } from './support/counting-pool.ts'
import { harness, type Harness } from './support/harness.ts'

let h: Harness
let api: Engine
beforeEach(async () => {
  batchErrors.length = 0
  h = await harness()
  // Admits runs; nothing executes them but the statements under test.
  api = await h.engine({ executor: null })
})
afterEach(async () => {
  await h.close()
})

const settings = { workerId: 'test-worker', leaseMs: 60_000, ephemeralKeyTtlMs: 60_000 }
const batchErrors: number[] = []
const onBatchError = (_err: unknown, size: number) => void batchErrors.push(size)

/** A queued run on a new chat (of `sessionOf`'s session and account when given). */
async function admit(sessionOf?: { accountId: string; sessionId: string }) {
  let chat: { accountId: string; sessionId: string; chatId: string }
  if (sessionOf) {
    const chatId = newId('chat')
    await h.db.prisma.chat.create({
      data: { id: chatId, sessionId: sessionOf.sessionId, accountId: sessionOf.accountId },
      select: { id: true },
    })
    chat = { ...sessionOf, chatId }
  } else chat = await seedChat(h.db.prisma)
  const run = await h.runScript(api, chat, [{ text: 'hi' }])
  return { ...chat, runId: run.id }
}

const claimOf = (runId: string) => ({ runId, jobId: `job-${runId}`, key: newApiKeySecret('run') })

const keyHash = async (runId: string) =>
  (await h.db.prisma.apiKey.findFirst({ where: { runId, kind: 'ephemeral' }, select: { hash: true } }))?.hash

const logTypes = async (runId: string) =>
  (
    await h.db.prisma.$queryRaw<{ seq: number; data: RunEvent }[]>`
      SELECT seq, data FROM "RunEvent" WHERE "runId" = ${runId} ORDER BY seq`
  ).map((e) => `${e.seq}:${e.data.type}${e.data.type === 'run_status' ? `:${e.data.status}` : ''}`)

describe('batched claims', () => {
  it('claims the runs of one turn in one statement, each fenced on its own and given its own key, session and transcript', async () => {
    const a = await admit()
    const b = await admit(a) // same session as a, another chat
    const c = await admit()
    const cancelled = await admit()
    await api.cancelRun(cancelled.accountId, cancelled.runId)
    const { pool, statements } = countingPool(h.db.pool)
    const claims = claimBatcher(pool, settings, onBatchError)
    const requests = [a, b, c, cancelled].map((r) => claimOf(r.runId))
    requests.push(claimOf('run_missing'))
    const rows = await Promise.all(requests.map((r) => claims.add(r)))

    expect(statements()).toBe(1)
    expect(batchErrors).toEqual([])
    const [ra, rb, rc, rCancelled, rMissing] = rows
    expect(rCancelled).toBeNull()
    expect(rMissing).toBeNull()
    for (const [row, admitted] of [
      [ra, a],
      [rb, b],
      [rc, c],
    ] as [ClaimedRow | null, typeof a][]) {
      expect(row).toMatchObject({
        id: admitted.runId,
        status: 'running',
        attempt: 1,
        workerId: 'test-worker',
        jobId: `job-${admitted.runId}`,
        keyIssued: true,
        runningSeq: 2,
        previouslyStarted: false,
      })
      expect(row!.session?.id).toBe(admitted.sessionId)
      expect(await logTypes(admitted.runId)).toEqual(['1:run_status:queued', '2:run_status:running'])
      // the run's input message is in its own chat, credited to it
      const messages = await h.db.prisma.message.findMany({ where: { chatId: admitted.chatId } })
      expect(messages.map((m) => [m.runId, m.position])).toEqual([[admitted.runId, 0]])
    }
    // each key got its own secret
    for (const [i, admitted] of [a, b, c].entries()) expect(await keyHash(admitted.runId)).toBe(requests[i]!.key.hash)
    // the cancelled run was left alone
    expect((await api.getRun(cancelled.accountId, cancelled.runId)).status).toBe('cancelled')
    expect(await logTypes(cancelled.runId)).not.toContain('2:run_status:running')

    // A second claim of the same runs in one statement: all fenced out (held by a live worker).
    expect(await Promise.all([a, b].map((r) => claims.add(claimOf(r.runId))))).toEqual([null, null])
    expect(statements()).toBe(2)
  })

  it('a run whose part breaks the batched statement fails alone: the others are claimed one by one', async () => {
    const [a, broken, c] = [await admit(), await admit(), await admit()]
    // Input messages that are not an array make the transcript upsert raise for this run only.
    await h.db.prisma
      .$executeRaw`UPDATE "Run" SET input = '{"messages": {"not": "an array"}}' WHERE id = ${broken.runId}`
    const { pool, statements } = countingPool(h.db.pool)
    const claims = claimBatcher(pool, settings, onBatchError)
    const settled = await Promise.allSettled([a, broken, c].map((r) => claims.add(claimOf(r.runId))))

    expect(batchErrors).toEqual([3])
    expect(statements()).toBe(1 + 3)
    expect(settled[1]!.status).toBe('rejected')
    for (const i of [0, 2]) {
      const result = settled[i]!
      expect(result.status).toBe('fulfilled')
      expect((result as PromiseFulfilledResult<ClaimedRow | null>).value).toMatchObject({ status: 'running' })
    }
    // nothing of the failed claim was written
    expect((await h.db.prisma.run.findUniqueOrThrow({ where: { id: broken.runId } })).status).toBe('queued')
    expect(await logTypes(broken.runId)).toEqual(['1:run_status:queued'])
  })
})

describe('batched finishes', () => {
  let boss: PgBoss
  beforeEach(async () => {
    boss = createBoss(h.db.url, resolveEngineConfig({}), { supervise: false })
    await boss.start()
  })
  afterEach(async () => {
    await boss.stop({ graceful: false })
  })

  const observer = { runFinished() {}, eventsWritten() {} }
  const notifier = { sendEvents() {}, sendRunChange() {}, sendWebhookMessages() {} }

  /** Claims the runs and has each write one completed step with its usage. */
  async function claimedWithStep(runs: { runId: string }[], tokens: number) {
    const claims = claimBatcher(h.db.pool, settings, onBatchError)
    const rows = await Promise.all(runs.map((r) => claims.add(claimOf(r.runId))))
    for (const row of rows) {
      const writer = new EventWriter(h.db.pool, row!.id, row!.attempt, row!.runningSeq!, () => {})
      writer.append({
        type: 'step_finish',
        usage: { input_tokens: tokens, output_tokens: 2 * tokens, cache_read: 0, cache_write: 1 },
      })
      await writer.flush()
    }
    return rows.map((r) => r!)
  }

  it('finishes runs ending together in one statement, each fenced on its own: usage per session, keys deleted, chats released, logs gap-free', async () => {
    const a = await admit()
    const b = await admit(a) // same session as a: its usage is the sum of both
    const c = await admit()
    const stale = await admit() // finished with an attempt that no longer holds it
    const queuedBehind = await admit() // its chat has a run waiting: finished by the transaction path, which promotes it
    const waiting = await h.runScript(api, queuedBehind, [{ text: 'next' }], { ifBusy: 'enqueue' })
    const rows = await claimedWithStep([a, b, c, stale, queuedBehind], 5)
    const { pool, statements } = countingPool(h.db.pool)
    const batch = finishBatcher(pool, onBatchError)
    const finish = (runId: string, attempt: number, failed?: boolean) =>
      finishRun(
        pool,
        boss,
        runId,
        failed ? { status: 'failed', error: { code: 'tool', message: 'it broke' } } : { status: 'completed' },
        { attempt, batch, observer, notifier },
      )
    const finished = await Promise.all([
      finish(a.runId, rows[0]!.attempt),
      finish(b.runId, rows[1]!.attempt, true),
      finish(c.runId, rows[2]!.attempt),
      finish(stale.runId, rows[3]!.attempt + 1),
      finish(queuedBehind.runId, rows[4]!.attempt),
    ])

    // one statement for all five; the stale and the queued-behind ones then took the transaction path (no query on the pool)
    expect(statements()).toBe(1)
    expect(batchErrors).toEqual([])
    expect(finished.map((r) => r?.status)).toEqual(['completed', 'failed', 'completed', 'running', 'completed'])
    expect(finished[1]).toMatchObject({ errorCode: 'tool', errorMessage: 'it broke' })
    for (const r of [a, c, queuedBehind])
      expect(await logTypes(r.runId)).toEqual([
        '1:run_status:queued',
        '2:run_status:running',
        '3:step_finish',
        '4:run_status:completed',
        '5:done',
      ])
    expect(await logTypes(b.runId)).toEqual([
      '1:run_status:queued',
      '2:run_status:running',
      '3:step_finish',
      '4:error',
      '5:run_status:failed',
      '6:done',
    ])
    expect(await logTypes(stale.runId)).toEqual(['1:run_status:queued', '2:run_status:running', '3:step_finish'])
    for (const r of [a, b, c, queuedBehind]) {
      const run = await h.db.prisma.run.findUniqueOrThrow({ where: { id: r.runId } })
      expect(run).toMatchObject({
        lockedChatId: null,
        workerId: null,
        inputTokens: 5,
        outputTokens: 10,
        cacheWriteTokens: 1,
      })
      expect(run.lastSeq).toBe(run.status === 'failed' ? 6 : 5)
      expect(await keyHash(r.runId)).toBeUndefined()
    }
    expect(await keyHash(stale.runId)).toBeDefined()
    const session = (id: string) => h.db.prisma.session.findUniqueOrThrow({ where: { id } })
    expect(await session(a.sessionId)).toMatchObject({ inputTokens: 10, outputTokens: 20, cacheWriteTokens: 2 })
    expect(await session(c.sessionId)).toMatchObject({ inputTokens: 5, outputTokens: 10, cacheWriteTokens: 1 })
    expect((await session(a.sessionId)).activeStreamId).toBeNull()
    // the run waiting on the released chat took its lock, with a queue job
    const next = await h.db.prisma.run.findUniqueOrThrow({ where: { id: waiting.id } })
    expect(next.lockedChatId).toBe(queuedBehind.chatId)
    expect(next.jobId).not.toBeNull()
  })

  it('a run whose part breaks the batched statement fails alone: the others are finished one by one', async () => {
    const runs = [await admit(), await admit(), await admit()]
    const rows = await claimedWithStep(runs, 1)
    const { pool, statements } = countingPool(h.db.pool)
    const batch = finishBatcher(pool, onBatchError)
    const end = encodeBatch([{ type: 'run_status', status: 'completed' }, { type: 'done' }])
    const params = (i: number, status: string): FinishParams => [
      runs[i]!.runId,
      rows[i]!.attempt,
      status,
      null,
      null,
      end.events,
      end.types,
      2,
    ]
    // A status the column's type refuses breaks the whole batched statement.
    const settled = await Promise.allSettled([
      batch.add(params(0, 'completed')),
      batch.add(params(1, 'not_a_status')),
      batch.add(params(2, 'completed')),
    ])

    expect(batchErrors).toEqual([3])
    expect(statements()).toBe(1 + 3)
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    for (const i of [0, 2]) {
      expect((settled[i] as PromiseFulfilledResult<unknown>).value).toMatchObject({
        id: runs[i]!.runId,
        status: 'completed',
      })
      expect(await logTypes(runs[i]!.runId)).toEqual([
        '1:run_status:queued',
        '2:run_status:running',
        '3:step_finish',
        '4:run_status:completed',
        '5:done',
      ])
    }
    // nothing of the failed finish was written
    const failed = await h.db.prisma.run.findUniqueOrThrow({ where: { id: runs[1]!.runId } })
    expect(failed).toMatchObject({ status: 'running', lockedChatId: runs[1]!.chatId })
    expect(await logTypes(runs[1]!.runId)).toEqual(['1:run_status:queued', '2:run_status:running', '3:step_finish'])
    expect(await keyHash(runs[1]!.runId)).toBeDefined()
  })
})

describe('batched step ends', () => {
  /** Each run's step: a step_finish, then its checkpoint with the step's message, all in the same turn. */
  async function steps(
    runs: { runId: string; chatId: string }[],
    writerOf: (i: number) => [attempt: number, lastSeq: number],
  ) {
    const { pool, statements } = countingPool(h.db.pool)
    const batch = checkpointBatcher(pool, onBatchError)
    const lost: string[] = []
    const settled = await Promise.allSettled(
      runs.map((r, i) => {
        const [attempt, lastSeq] = writerOf(i)
        const writer = new EventWriter(
          pool,
          r.runId,
          attempt,
          lastSeq,
          () => lost.push(r.runId),
          undefined,
          undefined,
          batch,
        )
        writer.append({
          type: 'step_finish',
          usage: { input_tokens: 1, output_tokens: 1, cache_read: 0, cache_write: 0 },
        })
        return writer.checkpoint(
          { steps: 1 },
          {
            chatId: r.chatId,
            messages: [{ id: `msg_${r.runId}`, role: 'assistant', parts: [{ type: 'text', text: 'done' }] }],
          },
        )
      }),
    )
    return { settled, statements: statements(), lost }
  }
  const checkpointOf = async (runId: string) =>
    (await h.db.prisma.run.findUniqueOrThrow({ where: { id: runId }, select: { checkpoint: true } })).checkpoint
  const answers = async (chatId: string) =>
    (await h.db.prisma.message.findMany({ where: { chatId, role: 'assistant' } })).map((m) => m.id)

  it('writes the step ends of runs in one statement, each fenced on its own', async () => {
    const runs = [await admit(), await admit(), await admit()]
    const claims = claimBatcher(h.db.pool, settings, onBatchError)
    const rows = (await Promise.all(runs.map((r) => claims.add(claimOf(r.runId))))).map((r) => r!)
    // the second writer's attempt no longer holds its run
    const { settled, statements, lost } = await steps(runs, (i) => [
      rows[i]!.attempt + (i === 1 ? 1 : 0),
      rows[i]!.runningSeq!,
    ])

    expect(statements).toBe(1)
    expect(batchErrors).toEqual([])
    expect(settled.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(LostClaimError)
    expect(lost).toEqual([runs[1]!.runId])
    for (const i of [0, 2]) {
      expect(await checkpointOf(runs[i]!.runId)).toEqual({ steps: 1 })
      expect(await logTypes(runs[i]!.runId)).toEqual(['1:run_status:queued', '2:run_status:running', '3:step_finish'])
      expect(await answers(runs[i]!.chatId)).toEqual([`msg_${runs[i]!.runId}`])
      expect((await h.db.prisma.run.findUniqueOrThrow({ where: { id: runs[i]!.runId } })).lastSeq).toBe(3)
    }
    expect(await checkpointOf(runs[1]!.runId)).toBeNull()
    expect(await logTypes(runs[1]!.runId)).toEqual(['1:run_status:queued', '2:run_status:running'])
    expect(await answers(runs[1]!.chatId)).toEqual([])
  })

  it("two attempts of one run in one batch: the stale attempt's step end is fenced out, the current one's stored", async () => {
    const run = await admit()
    const claims = claimBatcher(h.db.pool, settings, onBatchError)
    expect(await claims.add(claimOf(run.runId))).toMatchObject({ attempt: 1 })
    // its lease lapses while attempt 1 still executes, and the run is claimed again
    await h.db.prisma
      .$executeRaw`UPDATE "Run" SET "leaseExpiresAt" = now() - interval '1 second' WHERE id = ${run.runId}`
    expect(await claims.add(claimOf(run.runId))).toMatchObject({ attempt: 2 })
    const { pool, statements } = countingPool(h.db.pool)
    const batch = checkpointBatcher(pool, onBatchError)
    const lost: number[] = []
    const writer = (attempt: number) =>
      new EventWriter(pool, run.runId, attempt, 2, () => lost.push(attempt), undefined, undefined, batch)
    const [stale, current] = [writer(1), writer(2)]
    // the stale attempt ends a step (an event, a checkpoint, a message); the current one stores a checkpoint alone
    stale.append({ type: 'step_finish', usage: { input_tokens: 1, output_tokens: 1, cache_read: 0, cache_write: 0 } })
    const settled = await Promise.allSettled([
      stale.checkpoint(
        { by: 'stale' },
        {
          chatId: run.chatId,
          messages: [{ id: 'msg_stale', role: 'assistant', parts: [{ type: 'text', text: 'x' }] }],
        },
      ),
      current.checkpoint({ by: 'current' }),
    ])

    expect(statements()).toBe(1)
    expect(settled.map((x) => x.status)).toEqual(['rejected', 'fulfilled'])
    expect((settled[0] as PromiseRejectedResult).reason).toBeInstanceOf(LostClaimError)
    expect(lost).toEqual([1])
    // nothing of the stale attempt: no event, no message; the checkpoint is the current attempt's
    expect(await logTypes(run.runId)).toEqual(['1:run_status:queued', '2:run_status:running'])
    expect(await answers(run.chatId)).toEqual([])
    expect(await h.db.prisma.run.findUniqueOrThrow({ where: { id: run.runId } })).toMatchObject({
      attempt: 2,
      lastSeq: 2,
      checkpoint: { by: 'current' },
    })
  })

  it('a run whose part breaks the batched statement fails alone: the others are written one by one', async () => {
    const runs = [await admit(), await admit(), await admit()]
    const claims = claimBatcher(h.db.pool, settings, onBatchError)
    const rows = (await Promise.all(runs.map((r) => claims.add(claimOf(r.runId))))).map((r) => r!)
    // the third writer thinks its log is further along than it is: its batch would leave a gap (the chain trigger refuses it)
    const { settled, statements, lost } = await steps(runs, (i) => [
      rows[i]!.attempt,
      rows[i]!.runningSeq! + (i === 2 ? 5 : 0),
    ])

    expect(batchErrors).toEqual([3])
    expect(statements).toBe(1 + 3)
    expect(settled.map((x) => x.status)).toEqual(['fulfilled', 'fulfilled', 'rejected'])
    expect(lost).toEqual([runs[2]!.runId])
    for (const i of [0, 1]) expect(await checkpointOf(runs[i]!.runId)).toEqual({ steps: 1 })
    expect(await checkpointOf(runs[2]!.runId)).toBeNull()
    expect(await logTypes(runs[2]!.runId)).toEqual(['1:run_status:queued', '2:run_status:running'])
  })
})
