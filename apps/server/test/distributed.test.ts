// Distributed mode on real PostgreSQL: 2 stateless API processes + 2 `runyard worker` processes
// coordinated by pg-boss. 200 runs, each executed once; a worker SIGKILLed while it executes runs
// (one of them mid-step, after a completed step) → exactly the runs it held are retried, resume
// with a `step_retry` marker where a step was cut, and every run reaches a terminal state with a
// contiguous event log.
import { createTestDb, scriptPrompt, type TestDb } from '@runyard/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnRunyard, type RunyardProcess } from '@runyard/testkit/runyard-process'

const RUNS = 200
let db: TestDb
const procs: RunyardProcess[] = []

beforeAll(async () => {
  db = await createTestDb()
  // A 10 s lease: the killed worker's runs are taken over soon enough, while a live worker starved
  // of CPU on a loaded machine (its heartbeat late by seconds) does not lose its runs as well.
  const common = { DATABASE_URL: db.url, RUNYARD_RUN_LEASE_MS: '10000', RUNYARD_WORKER_CONCURRENCY: '6' }
  // start them one by one: the first migrates (advisory lock), the rest find the schema ready
  for (const kind of ['start', 'start', 'worker', 'worker'] as const)
    procs.push(await spawnRunyard(kind, { ...common, RUNYARD_PORT: '0', RUNYARD_WORKERS: 'false' }))
}, 120_000)

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop().catch(() => {})))
  await db?.drop()
})

describe('2 API processes + 2 workers', () => {
  it(`runs ${RUNS} runs exactly once each and survives a worker SIGKILL`, { timeout: 180_000 }, async () => {
    const [api1, api2, worker1] = procs
    // a few long runs so that the kill lands while they execute: a completed step, then a step cut
    // by the kill (its partial text is durable while the run sleeps)
    const long = scriptPrompt([
      { text: 'start ' },
      { step: { input: 1 } },
      { text: 'partial ' },
      { sleep: 5000 },
      { text: 'end' },
      { step: { input: 1 } },
    ])
    const short = scriptPrompt([{ text: 'hi', chunks: 2 }, { step: { input: 2, output: 1 } }])
    const started: string[] = []
    const post = async (base: string, prompt: string) => {
      const res = await fetch(`${base}/api/chat/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prompt }),
      })
      expect(res.status).toBe(202)
      started.push(((await res.json()) as { runId: string }).runId)
    }
    // worker ids are `host:pid:random`. A long run is mid-step under worker 1 when worker 1 holds it
    // and its last event is the cut step's 'partial ' text, written less than 1 s ago: at least
    // 4 s of its 5 s sleep remain for the kill to land in (generous: CI machines are loaded).
    const worker1Id = `%:${worker1!.proc.pid}:%`
    const midStepUnderWorker1 = async () =>
      (
        await db.prisma.$queryRaw<{ id: string }[]>`
          SELECT r.id FROM "Run" r
          JOIN LATERAL (SELECT e.type, e.data, e."createdAt" FROM "RunEvent" e WHERE e."runId" = r.id ORDER BY seq DESC LIMIT 1) last ON true
          WHERE r.status = 'running' AND r."workerId" LIKE ${worker1Id}
            AND last.type = 'text_delta' AND last.data->>'delta' = 'partial ' AND last."createdAt" > now() - interval '1 second'`
      ).length > 0
    let killed = false
    const kill = async () => {
      await worker1!.kill()
      killed = true
    }
    for (let i = 0; i < RUNS; i += 10) {
      await Promise.all(
        Array.from({ length: 10 }, (_, j) =>
          post((i + j) % 2 ? api2!.url : api1!.url, (i + j) % 8 === 0 ? long : short),
        ),
      )
      if (i >= 60 && !killed && (await midStepUnderWorker1())) await kill()
    }
    expect(new Set(started).size).toBe(RUNS)
    for (let i = 0; !killed && i < 100; i++) {
      if (await midStepUnderWorker1()) await kill()
      else await new Promise((r) => setTimeout(r, 100))
    }
    expect(killed, 'no run was ever mid-step under worker 1').toBe(true)
    // what the killed worker held (its rows keep its id until a lease expires and the run is reaped)
    const held = await db.prisma.$queryRaw<{ id: string; lastType: string; steps: number }[]>`
      SELECT r.id, (SELECT e.type FROM "RunEvent" e WHERE e."runId" = r.id ORDER BY seq DESC LIMIT 1) AS "lastType",
        (SELECT count(*) FROM "RunEvent" e WHERE e."runId" = r.id AND e.type = 'step_finish')::int AS steps
      FROM "Run" r WHERE r.status = 'running' AND r."workerId" LIKE ${worker1Id}`
    const cutMidStep = held.filter((h) => h.steps > 0 && h.lastType !== 'step_finish')
    expect(cutMidStep.length).toBeGreaterThanOrEqual(1)

    // every run reaches a terminal state
    const deadline = Date.now() + 150_000
    let pending = RUNS
    while (Date.now() < deadline) {
      pending = await db.prisma.run.count({ where: { status: { in: ['queued', 'running'] } } })
      if (pending === 0) break
      await new Promise((r) => setTimeout(r, 500))
    }
    expect(pending).toBe(0)

    const runs = await db.prisma.run.findMany({
      select: {
        id: true,
        status: true,
        attempt: true,
        lastSeq: true,
        createdAt: true,
        startedAt: true,
        finishedAt: true,
      },
    })
    if (process.env.RUNYARD_TEST_TIMINGS) {
      const q = runs.map((r) => r.startedAt!.getTime() - r.createdAt.getTime()).sort((x, y) => x - y)
      const e = runs.map((r) => r.finishedAt!.getTime() - r.startedAt!.getTime()).sort((x, y) => x - y)
      console.log('queue p50/p90/max', q[100], q[180], q.at(-1), 'exec p50/p90/max', e[100], e[180], e.at(-1))
    }
    expect(runs).toHaveLength(RUNS)
    expect(runs.filter((r) => r.status !== 'completed')).toEqual([])
    // executed once: one `running` transition per attempt, and exactly the runs the killed worker held were retried
    const heldIds = new Set(held.map((h) => h.id))
    expect(runs.filter((r) => heldIds.has(r.id) && r.attempt < 2)).toEqual([])
    expect(runs.filter((r) => !heldIds.has(r.id) && r.attempt !== 1)).toEqual([])
    // a run cut after a completed step resumes behind a step_retry marker
    const retries = await db.prisma.$queryRaw<
      { runId: string }[]
    >`SELECT "runId" FROM "RunEvent" WHERE type = 'step_retry'`
    const withRetry = new Set(retries.map((e) => e.runId))
    for (const h of cutMidStep) expect(withRetry.has(h.id), h.id).toBe(true)
    const rows = await db.prisma.$queryRaw<
      { n: number; min: number; max: number }[]
    >`SELECT count(*)::int AS n, min(seq) AS min, max(seq) AS max FROM "RunEvent" GROUP BY "runId"`
    expect(rows.length).toBe(runs.length)
    for (const r of rows) {
      expect(r.min).toBe(1)
      expect(r.max).toBe(r.n) // contiguous: 1..n with n events
    }
    const runningEvents = await db.prisma.$queryRaw<
      { runId: string; data: { status: string } }[]
    >`SELECT "runId", data FROM "RunEvent" WHERE type = 'run_status'`
    const starts = new Map<string, number>()
    for (const e of runningEvents) if (e.data.status === 'running') starts.set(e.runId, (starts.get(e.runId) ?? 0) + 1)
    // a worker killed between its claim and its first write leaves an attempt without an event
    for (const r of runs) {
      expect(starts.get(r.id) ?? 0, r.id).toBeGreaterThanOrEqual(1)
      expect(starts.get(r.id) ?? 0, r.id).toBeLessThanOrEqual(r.attempt)
    }
    // no ephemeral key outlives its run
    expect(await db.prisma.apiKey.count({ where: { kind: 'ephemeral' } })).toBe(0)
    // any API process serves any run's stream
    const sample = runs[0]!.id
    const fromApi2 = await fetch(`${api2!.url}/api/chat/runs/${sample}/events`)
    expect((await fromApi2.text()).split('\n\n').filter((f) => f.startsWith('id:')).length).toBe(runs[0]!.lastSeq)
  })
})
