// A shutdown must stop every execution the fetch loop began, including one whose claim was still in
// flight when the shutdown came (its job fetched just before the loop stopped; under load a claim
// waits for a statement slot). The worker's shutdown only stopped executions already claimed: the
// late one claimed its run afterwards and executed it to the end while the engine's stop waited
// for it in drained() (up to maxRunMs), instead of handing the run back.
import type { RunExecutor } from '@runyard/contract'
import { seedChat } from '@runyard/testkit'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { harness, type Harness } from './support/harness.ts'
import { until } from './support/until.ts'

let h: Harness
beforeEach(async () => {
  h = await harness()
})
afterEach(async () => {
  await h.close()
})

it('a shutdown while a fetched run is still being claimed stops that run and hands it back', async () => {
  const signals: AbortSignal[] = []
  const executor: RunExecutor = {
    async execute(ctx) {
      signals.push(ctx.signal)
      // Runs until stopped (or 20 s, well past the test's expectations).
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 20_000)
        ctx.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true })
      })
      return { status: 'completed' }
    },
  }
  const engine = await h.engine({ executor, config: { leaseMs: 60_000, heartbeatMs: 1000, stopGraceMs: 1000 } })
  const { accountId, chatId } = await seedChat(h.db.prisma)

  // The run's row is locked: the worker's claim of it waits (as a claim waits its turn under load).
  const lock = await h.db.pool.connect()
  let stop: Promise<void> | undefined
  try {
    await lock.query('BEGIN')
    const run = await engine.startRun({ accountId, chatId, kind: 'async', model: 'm', input: {} })
    await lock.query('SELECT id FROM "Run" WHERE id = $1 FOR UPDATE', [run.id])
    await until(
      async () =>
        (
          await h.db.pool.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
          )
        ).rows[0].n as number,
      (n) => n > 0,
      'the claim waiting on the row',
    )
    // The engine stops while the claim is in flight; the claim goes through after the worker's shutdown began.
    stop = engine.stop()
    h.engines.splice(h.engines.indexOf(engine), 1)
    await new Promise((r) => setTimeout(r, 300))
    await lock.query('COMMIT')
  } finally {
    lock.release()
  }

  const started = Date.now()
  await stop
  // Stopped promptly (not after the executor's own 20 s) and the run handed back, resumable at once.
  expect(Date.now() - started).toBeLessThan(5_000)
  for (const s of signals) expect(s.aborted).toBe(true)
  const row = await h.db.prisma.run.findFirstOrThrow({ where: { chatId } })
  expect(row.status).not.toBe('completed')
  expect(row.workerId).toBeNull()
}, 40_000)
