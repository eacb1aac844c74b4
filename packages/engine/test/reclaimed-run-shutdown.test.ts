// A worker can claim again a run it still executes: the reaper hands a run whose lease lapsed to a
// new execution, and the fetch loop of the same process may take it while the stale execution has
// not returned yet. Each execution must be its own entry in the worker's bookkeeping: when the
// stale one ends it must not make the worker forget the current one, which a shutdown must still
// stop (and wait for). Keyed by run id, the stale execution's end deleted the current one's entry.
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

it('a shutdown stops the current execution of a run the same worker claimed again while its stale execution still ran', async () => {
  const signals = new Map<number, AbortSignal>()
  let releaseStale!: () => void
  const staleReleased = new Promise<void>((resolve) => (releaseStale = resolve))
  const executor: RunExecutor = {
    async execute(ctx) {
      signals.set(ctx.run.attempt, ctx.signal)
      // The first execution ignores its signal until the test lets it return; the second waits
      // for its signal (a shutdown).
      if (ctx.run.attempt === 1) await staleReleased
      else await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }))
      return { status: 'completed' }
    },
  }
  // No heartbeat in the test's time and a long grace period: the stale execution is neither
  // refreshed nor abandoned by the worker while the test holds it.
  const engine = await h.engine({
    executor,
    config: { leaseMs: 120_000, heartbeatMs: 60_000, stopGraceMs: 60_000, reapIntervalMs: 100 },
  })
  const { accountId, chatId } = await seedChat(h.db.prisma)
  const run = await engine.startRun({ accountId, chatId, kind: 'async', model: 'm', input: {} })
  await until(() => signals.has(1), Boolean, 'the first execution')

  // Its lease lapses: the reaper hands it to a new execution, which this same worker takes.
  await h.db.pool.query(`UPDATE "Run" SET "leaseExpiresAt" = now() - interval '1 second' WHERE id = $1`, [run.id])
  await until(() => signals.has(2), Boolean, 'the second execution')
  expect(await h.db.prisma.run.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
    status: 'running',
    attempt: 2,
  })

  // The stale execution returns (its finish is fenced out) and the worker forgets it, and only it.
  // (White box: the worker's own count of the executions it would stop at a shutdown.)
  const executions = () => (engine as unknown as { worker: { active: { size: number } } }).worker.active.size
  const before = executions()
  releaseStale()
  await until(executions, (n) => n < before, 'the stale execution ended')
  expect(executions()).toBe(1)
  expect(signals.get(2)!.aborted).toBe(false)

  // A shutdown stops the current execution and hands its run back.
  await engine.stop()
  h.engines.splice(h.engines.indexOf(engine), 1)
  expect(signals.get(2)!.aborted).toBe(true)
  expect(await h.db.prisma.run.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
    status: 'running',
    workerId: null,
  })
})
