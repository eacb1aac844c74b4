// The batched statements keep every run's own rows apart (claims.ts, lifecycle.ts FINISH_RUNS,
// webhooks/outbox.ts): the webhook messages of runs of several accounts finished in one statement
// go to their own account's endpoints with their own run's status and usage, and a run twice in
// one claim batch (two of its jobs fetched together) is claimed once.
import { newId, type RunEvent } from '@runyard/contract'
import { newApiKeySecret } from '@runyard/db'
import { seedChat } from '@runyard/testkit'
import type { PgBoss } from 'pg-boss'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { claimBatcher } from '../src/claims.ts'
import { resolveEngineConfig } from '../src/config.ts'
import { EventWriter } from '../src/event-log/index.ts'
import type { Engine } from '../src/index.ts'
import { finishBatcher, finishRun } from '../src/lifecycle.ts'
import { createBoss } from '../src/queue.ts'
import { countingPool } from './support/counting-pool.ts'
import { harness, type Harness } from './support/harness.ts'

let h: Harness
let api: Engine
let boss: PgBoss
beforeEach(async () => {
  h = await harness()
  api = await h.engine({ executor: null })
  boss = createBoss(h.db.url, resolveEngineConfig({}), { supervise: false })
  await boss.start()
})
afterEach(async () => {
  await boss.stop({ graceful: false })
  await h.close()
})

const settings = { workerId: 'test-worker', leaseMs: 60_000, ephemeralKeyTtlMs: 60_000 }
const batchErrors: number[] = []
const onBatchError = (_err: unknown, size: number) => void batchErrors.push(size)

async function admit(accountId?: string) {
  const chat = await seedChat(h.db.prisma, accountId)
  const run = await h.runScript(api, chat, [{ text: 'hi' }])
  return { ...chat, runId: run.id }
}

async function endpoint(accountId: string, eventTypes: string[]) {
  const id = newId('webhookEndpoint')
  await h.db.prisma.webhookEndpoint.create({
    data: { id, accountId, url: 'https://hooks.example.com/runyard', eventTypes, secret: 'whsec_dGVzdA==' },
    select: { id: true },
  })
  return id
}

it("finishes runs of several accounts in one statement: each run's webhook messages go to its own account's endpoints, with its own status and usage", async () => {
  const a = await admit()
  const b = await admit()
  const c = await admit() // an account without endpoints: no message
  const endpointA = await endpoint(a.accountId, ['run.completed', 'run.failed'])
  const endpointB = await endpoint(b.accountId, ['run.failed'])
  await endpoint(b.accountId, ['run.completed']) // b fails: nothing for this one

  const claims = claimBatcher(h.db.pool, settings, onBatchError)
  const rows = (
    await Promise.all(
      [a, b, c].map((r) => claims.add({ runId: r.runId, jobId: newId('run'), key: newApiKeySecret('run') })),
    )
  ).map((r) => r!)
  for (const [i, row] of rows.entries()) {
    const writer = new EventWriter(h.db.pool, row.id, row.attempt, row.runningSeq!, () => {})
    writer.append({
      type: 'step_finish',
      usage: { input_tokens: 10 + i, output_tokens: 20 + i, cache_read: 0, cache_write: 0 },
    })
    await writer.flush()
  }

  const { pool, statements } = countingPool(h.db.pool)
  const batch = finishBatcher(pool, onBatchError)
  let webhookNotifications = 0
  const opts = (attempt: number) => ({
    attempt,
    batch,
    observer: { runFinished() {}, eventsWritten() {} },
    notifier: { sendEvents() {}, sendRunChange() {}, sendWebhookMessages: () => void webhookNotifications++ },
  })
  const finished = await Promise.all([
    finishRun(pool, boss, a.runId, { status: 'completed' }, opts(rows[0]!.attempt)),
    finishRun(
      pool,
      boss,
      b.runId,
      { status: 'failed', error: { code: 'tool', message: 'b broke' } },
      opts(rows[1]!.attempt),
    ),
    finishRun(pool, boss, c.runId, { status: 'completed' }, opts(rows[2]!.attempt)),
  ])

  expect(statements()).toBe(1)
  expect(batchErrors).toEqual([])
  expect(finished.map((r) => r?.status)).toEqual(['completed', 'failed', 'completed'])
  expect(webhookNotifications).toBe(2) // a's and b's finishes stored messages, c's none

  const deliveries = await h.db.prisma.webhookDelivery.findMany({ orderBy: { runId: 'asc' } })
  const seen = deliveries.map((d) => {
    const payload = JSON.parse(d.payload) as {
      type: string
      data: { runId: string; status: string; usage: { inputTokens: number }; error: { message: string } | null }
    }
    return {
      runId: d.runId,
      accountId: d.accountId,
      endpointId: d.endpointId,
      eventType: d.eventType,
      payload: {
        type: payload.type,
        runId: payload.data.runId,
        status: payload.data.status,
        inputTokens: payload.data.usage.inputTokens,
        error: payload.data.error?.message ?? null,
      },
    }
  })
  const expected = [
    {
      runId: a.runId,
      accountId: a.accountId,
      endpointId: endpointA,
      eventType: 'run.completed',
      payload: { type: 'run.completed', runId: a.runId, status: 'completed', inputTokens: 10, error: null },
    },
    {
      runId: b.runId,
      accountId: b.accountId,
      endpointId: endpointB,
      eventType: 'run.failed',
      payload: { type: 'run.failed', runId: b.runId, status: 'failed', inputTokens: 11, error: 'b broke' },
    },
  ].sort((x, y) => (x.runId < y.runId ? -1 : 1))
  expect(seen).toEqual(expected)
})

it('claims a run given twice in one batch (two of its jobs fetched together) once: one attempt, one running event', async () => {
  const a = await admit()
  const other = await admit()
  const { pool, statements } = countingPool(h.db.pool)
  const claims = claimBatcher(pool, settings, onBatchError)
  const results = await Promise.all([
    claims.add({ runId: a.runId, jobId: 'job-first', key: newApiKeySecret('run') }),
    claims.add({ runId: other.runId, jobId: 'job-other', key: newApiKeySecret('run') }),
    claims.add({ runId: a.runId, jobId: 'job-second', key: newApiKeySecret('run') }),
  ])

  expect(statements()).toBe(1)
  expect(batchErrors).toEqual([])
  expect(results.map((r) => r && { id: r.id, attempt: r.attempt, jobId: r.jobId })).toEqual([
    { id: a.runId, attempt: 1, jobId: 'job-first' },
    { id: other.runId, attempt: 1, jobId: 'job-other' },
    null,
  ])
  const log = await h.db.prisma.$queryRaw<{ seq: number; data: RunEvent }[]>`
    SELECT seq, data FROM "RunEvent" WHERE "runId" = ${a.runId} ORDER BY seq`
  expect(log.map((e) => `${e.seq}:${e.data.type}`)).toEqual(['1:run_status', '2:run_status'])
  const run = await h.db.prisma.run.findUniqueOrThrow({ where: { id: a.runId } })
  expect(run).toMatchObject({ status: 'running', attempt: 1, jobId: 'job-first' })
})
