// lazyExecutor: the agent's executor loaded once, by the first of `load()` or a run; runs that
// come while it loads wait for it; a failed load fails the runs that waited and is tried again.
import type { RunContext, RunExecutor, RunOutcome } from '@runyard/contract'
import { describe, expect, it } from 'vitest'
import { lazyExecutor } from '../src/lazy-executor.ts'

const ctx = {} as RunContext
const outcome = { status: 'completed' } as unknown as RunOutcome

describe('lazyExecutor', () => {
  it('loads once; runs started before the load has finished wait for it', async () => {
    let loads = 0
    let finish!: (e: RunExecutor) => void
    const executor = lazyExecutor(() => {
      loads++
      return new Promise((resolve) => (finish = resolve))
    })
    const runs = [executor.execute(ctx), executor.execute(ctx)]
    const warmed = executor.load()
    let settled = false
    void Promise.all(runs).then(() => (settled = true))
    await new Promise((r) => setImmediate(r))
    expect(settled).toBe(false)
    finish({ execute: async () => outcome })
    expect(await Promise.all(runs)).toEqual([outcome, outcome])
    await warmed
    expect(await executor.execute(ctx)).toBe(outcome)
    expect(loads).toBe(1)
  })

  it('a failed load fails the runs waiting for it, and the next run loads again', async () => {
    let loads = 0
    const executor = lazyExecutor(async () => {
      if (++loads === 1) throw new Error('chunk missing')
      return { execute: async () => outcome }
    })
    await expect(executor.execute(ctx)).rejects.toThrow('chunk missing')
    expect(await executor.execute(ctx)).toBe(outcome)
    expect(loads).toBe(2)
  })
})
