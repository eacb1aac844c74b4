// Rate limits and the concurrent-run quota, shared through PostgreSQL by two Runyard app
// instances (each with its own engine and pools) on one database: runs started alternately on
// both count against one window per key and per account. Over a limit every surface answers 429
// with Retry-After in its own error shape — REST, /v1/responses (the openai SDK's RateLimitError),
// CometCode and tRPC — and a refused admission writes nothing.
import type { RunContext } from '@runyard/contract'
import { createApiKey } from '@runyard/services'
import { createTestDb, ScriptedExecutor, scriptPrompt, type TestDb } from '@runyard/testkit'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sdk, settledOpenapiProblems, until } from './support/responses.ts'
import { startTestServer, type TestServer } from './support/server.ts'

const LIMITS = {
  RUNYARD_RATE_RUNS_PER_MINUTE_PER_KEY: '3',
  RUNYARD_RATE_RUNS_PER_MINUTE_PER_ACCOUNT: '4',
  RUNYARD_MAX_CONCURRENT_RUNS_PER_ACCOUNT: '2',
}
const quick = scriptPrompt([{ text: 'ok' }])
const forever = scriptPrompt([{ text: 'working' }, { hang: true }])

let db: TestDb
let one: TestServer
let two: TestServer
const keys: Record<string, string> = {}

async function runsOf(accountId: string): Promise<number> {
  return db.prisma.run.count({ where: { accountId } })
}

/**
 * The windows are fixed clock minutes: a scenario that starts late in a minute waits for the next
 * one, so that its requests all land in one window.
 */
async function freshMinute(s: TestServer = one): Promise<void> {
  const [db] = await s.db.prisma.$queryRaw<
    { now: number }[]
  >`SELECT extract(epoch FROM clock_timestamp())::float8 AS now`
  const into = db!.now % 60
  if (into > 40) await new Promise((r) => setTimeout(r, (61 - into) * 1000))
}

async function startRun(s: TestServer, key: string, prompt = quick) {
  return s.api('/api/chat/runs', { method: 'POST', key, json: { prompt } })
}

async function completed(s: TestServer, key: string, runId: string) {
  await until(
    `run ${runId} finished`,
    async () => (await s.api(`/api/chat/runs/${runId}`, { key })).body.status === 'completed',
  )
}

function retryAfter(headers: Headers): number {
  const value = headers.get('retry-after')
  expect(value).toMatch(/^\d+$/)
  return Number(value)
}

beforeAll(async () => {
  db = await createTestDb()
  await db.prisma.account.createMany({
    data: ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => ({ id: `acct_${x}`, name: x })),
  })
  const owners = [
    ['a', 'acct_a'],
    ['b', 'acct_b'],
    ['c1', 'acct_c'],
    ['c2', 'acct_c'],
    ['d1', 'acct_d'],
    ['d2', 'acct_d'],
    ['e', 'acct_e'],
    ['f', 'acct_f'],
  ] as const
  for (const [name, accountId] of owners)
    keys[name] = (await createApiKey(db.prisma, { accountId, name, kind: 'personal' })).secret
  one = await startTestServer({ testDb: db, env: LIMITS })
  two = await startTestServer({ testDb: db, env: LIMITS })
}, 60_000)

afterAll(async () => {
  await one?.stop()
  await two?.stop()
  await db?.drop()
})

describe('rate limits shared by two app instances on one database', () => {
  it(
    "REST: a key's 4th run in a minute gets 429 with Retry-After on either instance, in the REST shape, writing nothing",
    { timeout: 60_000 },
    async () => {
      await freshMinute()
      for (const s of [one, two, one]) {
        const r = await startRun(s, keys.a!)
        expect(r.status).toBe(202)
        await completed(s, keys.a!, r.body.runId)
      }
      for (const s of [two, one]) {
        const refused = await startRun(s, keys.a!)
        expect(refused.status).toBe(429)
        expect(refused.body).toEqual({
          status: 'error',
          error: expect.stringContaining('this API key may start 3 runs per minute'),
        })
        expect(retryAfter(refused.headers)).toBeGreaterThanOrEqual(1)
        expect(retryAfter(refused.headers)).toBeLessThanOrEqual(60)
      }
      expect(await runsOf('acct_a')).toBe(3)
      // other keys are not affected
      expect((await startRun(two, keys.e!)).status).toBe(202)
    },
  )

  it('/v1/responses: the openai SDK gets a RateLimitError in the OpenAI shape', { timeout: 60_000 }, async () => {
    await freshMinute()
    for (const s of [one, two, one]) {
      const response = await sdk(s, keys.b!).responses.create({ model: 'scripted', input: quick })
      expect(response.status).toBe('completed')
    }
    const err = await sdk(two, keys.b!)
      .responses.create({ model: 'scripted', input: quick })
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(err).toBeInstanceOf(OpenAI.RateLimitError)
    const e = err as InstanceType<typeof OpenAI.RateLimitError>
    expect(e.status).toBe(429)
    expect(e.error).toEqual({
      message: expect.stringContaining('per minute'),
      type: 'too_many_requests',
      param: null,
      code: 'rate_limit_exceeded',
    })
    expect(retryAfter(e.headers)).toBeGreaterThanOrEqual(1)
    expect(await runsOf('acct_b')).toBe(3)
    expect(await settledOpenapiProblems()).toEqual([])
  })

  it("an account's runs per minute count every key of the account", { timeout: 60_000 }, async () => {
    await freshMinute()
    // d1 may start 3 (its key's limit), d2 then 1 more: 4 for the account
    for (const [s, key] of [
      [one, keys.d1],
      [two, keys.d1],
      [one, keys.d1],
      [two, keys.d2],
    ] as const) {
      const r = await startRun(s, key!)
      expect(r.status).toBe(202)
      await completed(s, key!, r.body.runId)
    }
    const refused = await startRun(one, keys.d2!)
    expect(refused.status).toBe(429)
    expect(refused.body.error).toContain('account acct_d may start 4 runs per minute')
    expect(retryAfter(refused.headers)).toBeLessThanOrEqual(60)
    expect(await runsOf('acct_d')).toBe(4)
  })

  it(
    'concurrent runs per account: the 3rd active run gets 429 on CometCode and tRPC, and a finished run frees a place',
    { timeout: 60_000 },
    async () => {
      await freshMinute()
      // c1: a finished run (an idle session for CometCode), then two runs that keep running
      const idle = await startRun(one, keys.c1!)
      expect(idle.status).toBe(202)
      await completed(one, keys.c1!, idle.body.runId)
      const hanging: string[] = []
      for (const s of [one, two]) {
        const r = await startRun(s, keys.c1!, forever)
        expect(r.status).toBe(202)
        hanging.push(r.body.runId)
      }
      const runsBefore = await runsOf('acct_c')
      // c2, the account's other key (its own window is fresh; the account's has 3 of 4)
      const c = keys.c2!

      // CometCode: {error: {code, message}}
      const comet = await two.api(`/api/v1/sessions/${idle.body.sessionId}/message`, {
        method: 'POST',
        key: c,
        json: { text: 'hello' },
      })
      expect(comet.status).toBe(429)
      expect(comet.body).toEqual({
        error: { code: 'rate_limited', message: expect.stringContaining('may have 2 runs queued or running at once') },
      })
      expect(retryAfter(comet.headers)).toBe(5)

      // tRPC: its own envelope, TOO_MANY_REQUESTS
      const trpc = await fetch(`${one.url}/trpc/runs.start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': c },
        body: JSON.stringify({ prompt: quick }),
      })
      expect(trpc.status).toBe(429)
      expect(retryAfter(trpc.headers)).toBe(5)
      const body = (await trpc.json()) as {
        error: { code: number; data: { code: string; httpStatus: number; appCode: string } }
      }
      expect(body.error).toMatchObject({
        code: -32029,
        data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429, appCode: 'rate_limited' },
      })
      expect(await runsOf('acct_c')).toBe(runsBefore)

      // one of them ends: a place is free again
      expect((await one.api(`/api/chat/runs/${hanging[0]}/cancel`, { method: 'POST', key: c })).status).toBe(200)
      await until(
        'run cancelled',
        async () => (await one.api(`/api/chat/runs/${hanging[0]}`, { key: c })).body.status === 'cancelled',
      )
      expect((await startRun(two, c, quick)).status).toBe(202)
      expect(await runsOf('acct_c')).toBe(runsBefore + 1)
      await one.api(`/api/chat/runs/${hanging[1]}/cancel`, { method: 'POST', key: c })
    },
  )

  it('admissions racing on both instances: exactly the quota is admitted', { timeout: 60_000 }, async () => {
    await freshMinute()
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) => startRun(i % 2 ? one : two, keys.f!, forever)),
    )
    const admitted = attempts.filter((r) => r.status === 202)
    expect(admitted).toHaveLength(2)
    expect(attempts.filter((r) => r.status === 429)).toHaveLength(6)
    expect(await db.prisma.run.count({ where: { accountId: 'acct_f', status: { in: ['queued', 'running'] } } })).toBe(2)
    for (const r of admitted) await one.api(`/api/chat/runs/${r.body.runId}/cancel`, { method: 'POST', key: keys.f! })
  })
})

describe("runs started with a run's own key", () => {
  it(
    "count against the key at the root of the chain: agents starting runs that start runs stay within that key's limit",
    { timeout: 60_000 },
    async () => {
      // a server and database of their own (the other servers' workers would take its runs): only
      // the per-key limit (3 a minute), and an executor that hands out each run's key while the
      // run hangs (the key is valid while its run executes)
      const runKeys = new Map<string, string>()
      const chainDb = await createTestDb()
      await chainDb.prisma.account.create({ data: { id: 'acct_g', name: 'g' } })
      const root = (await createApiKey(chainDb.prisma, { accountId: 'acct_g', name: 'g', kind: 'personal' })).secret
      const chain = await startTestServer({
        testDb: chainDb,
        env: { RUNYARD_RATE_RUNS_PER_MINUTE_PER_KEY: '3' },
        executor: new ScriptedExecutor({ onStart: (ctx: RunContext) => void runKeys.set(ctx.run.id, ctx.apiKey) }),
      })
      try {
        await freshMinute(chain)
        const first = await startRun(chain, root, forever)
        expect(first.status).toBe(202)
        const firstRun = first.body.runId as string
        const chatId = first.body.chatId as string
        const keyOf = (runId: string) => until(`the key of ${runId}`, async () => runKeys.get(runId))
        const startWith = (key: string, prompt: string) =>
          chain.api('/api/chat/runs', { method: 'POST', key, json: { prompt, chatId, ifBusy: 'enqueue' } })
        // the first run's key queues two more runs in its chat: 3 for the root key in all
        const queued: string[] = []
        for (let i = 0; i < 2; i++) {
          const started = await startWith(await keyOf(firstRun), forever)
          expect(started.status, JSON.stringify(started.body)).toBe(202)
          queued.push(started.body.runId as string)
        }
        // the 4th, by the run's key or by the root key itself, is over the root key's limit
        for (const key of [await keyOf(firstRun), root]) {
          const refused = await startWith(key, quick)
          expect(refused.status).toBe(429)
          expect(refused.body.error).toContain('this API key may start 3 runs per minute')
        }
        // a level down: the first run ends, the run its key started executes, and that run's key
        // is charged to the root key as well
        expect((await chain.api(`/api/chat/runs/${firstRun}/cancel`, { method: 'POST', key: root })).status).toBe(200)
        const refused = await startWith(await keyOf(queued[0]!), quick)
        expect(refused.status).toBe(429)
        expect(refused.body.error).toContain('this API key may start 3 runs per minute')
        expect(await chainDb.prisma.run.count({ where: { accountId: 'acct_g' } })).toBe(3)
        const hanging = await chainDb.prisma.run.findMany({ where: { accountId: 'acct_g' }, select: { id: true } })
        for (const { id } of hanging) await chain.api(`/api/chat/runs/${id}/cancel`, { method: 'POST', key: root })
      } finally {
        await chain.stop()
        await chainDb.drop()
      }
    },
  )
})
