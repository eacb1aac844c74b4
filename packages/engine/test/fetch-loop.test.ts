// The worker's one fetch loop per process (fetch-loops.ts): batch fetches up to the free slots,
// batched completes, and heartbeats that stop a run whose queue job was taken away.
import type { RunContext, RunExecutor } from '@runyard/contract'
import { collectRunEvents, ScriptedExecutor, seedChat } from '@runyard/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { harness, type Harness } from './support/harness.ts'
import { until } from './support/until.ts'

let h: Harness
beforeEach(async () => {
  h = await harness()
})
afterEach(async () => {
  await h.close()
})

const jobStates = (h: Harness) =>
  h.db.prisma.$queryRaw<{ state: string; n: number }[]>`
    SELECT state::text, count(*)::int AS n FROM pgboss.job WHERE name = 'runyard-runs' GROUP BY state ORDER BY state`

describe('fetch loop', () => {
  it('executes a backlog larger than its slots, never more runs at once than its concurrency, and completes every job', async () => {
    // Admitted before any worker runs: the first fetch finds all of them waiting.
    const api = await h.engine({ executor: null })
    const runs = await Promise.all(
      Array.from({ length: 13 }, async () => {
        const { accountId, chatId } = await seedChat(h.db.prisma)
        return h.runScript(api, { accountId, chatId }, [{ text: 'hi' }, { step: { input: 1, output: 1 } }])
      }),
    )
    const scripted = new ScriptedExecutor()
    let inFlight = 0
    let most = 0
    const counting: RunExecutor = {
      async execute(ctx: RunContext) {
        most = Math.max(most, ++inFlight)
        try {
          return await scripted.execute(ctx)
        } finally {
          inFlight--
        }
      },
    }
    await h.engine({ executor: counting, config: { concurrency: 4 } })
    for (const run of runs)
      expect((await api.waitForStatus(run.accountId, run.id, ['completed'], 30_000)).status).toBe('completed')
    expect(most).toBeGreaterThan(0)
    expect(most).toBeLessThanOrEqual(4)
    // The jobs' completes are batched after the runs finish: all of them land.
    expect(
      await until(
        () => jobStates(h),
        (s) => s.length === 1 && s[0]!.state === 'completed',
        'completed jobs',
      ),
    ).toEqual([{ state: 'completed', n: 13 }])
  })

  it("stops a run at the next heartbeat once its queue job is no longer this worker's; the run is resumed", async () => {
    const engine = await h.engine()
    const { run, accountId } = await h.seededRun(engine, [{ text: 'partial' }, { hang: true }])
    await collectRunEvents(engine.streamRunEvents(accountId, run.id), (e) => e.event.type === 'text_delta')
    // As an operator's cancel in pg-boss, or its supervisor expiring the job, would leave it.
    const taken = await h.db.prisma.$executeRaw`
      UPDATE pgboss.job SET state = 'cancelled', completed_on = now() WHERE name = 'runyard-runs' AND data->>'runId' = ${run.id} AND state = 'active'`
    expect(taken).toBe(1)
    // The execution stops (its claim lost), so its lease lapses and the reaper resumes the run in a second attempt.
    // Had it gone on, its own heartbeats would keep the lease, and the run would stay in attempt 1.
    const resumed = await until(
      () => engine.getRun(accountId, run.id),
      (r) => r.attempt === 2,
      'the second attempt',
    )
    expect(resumed.status).toBe('running')
  })
})
