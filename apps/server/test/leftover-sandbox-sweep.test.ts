// The leftover-sandbox sweep's schedule (fake timers): once a minute, out of phase with the
// engine's reaper (every reapIntervalMs from the engine's start, just before the sweep starts)
// and with the webhook sweep (every 10 s, 2.5 s after the reaper's ticks). In phase, an idle
// server's shared pool held a second PostgreSQL backend for the moment the two met, every minute.
import { DEFAULT_ENGINE_CONFIG } from '@runyard/engine'
import { LEFTOVER_SANDBOX_SWEEP_MS } from '@runyard/services'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { startLeftoverSandboxSweep } from '../src/leftover-sandbox-sweep.ts'

beforeEach(() => vi.useFakeTimers({ now: 0 }))
afterEach(() => vi.useRealTimers())

const WEBHOOK_SWEEP = { everyMs: 10_000, phaseMs: 2_500 } // packages/engine/src/webhooks/deliverer.ts

/** Distance from `t` to the nearest tick of a schedule that ticks every `everyMs` from `phaseMs`. */
const fromTick = (t: number, everyMs: number, phaseMs = 0) => {
  const r = (((t - phaseMs) % everyMs) + everyMs) % everyMs
  return Math.min(r, everyMs - r)
}

it('sweeps once a minute, at least a second away from every reaper tick and webhook sweep', async () => {
  const sweptAt: number[] = []
  const sweep = startLeftoverSandboxSweep(
    {
      releaseLeftoverSandboxes: () => {
        sweptAt.push(Date.now())
        return Promise.resolve(0)
      },
    },
    { error: () => {} },
  )
  await vi.advanceTimersByTimeAsync(10 * LEFTOVER_SANDBOX_SWEEP_MS + 5_000)
  await sweep.stop()
  await vi.advanceTimersByTimeAsync(10 * LEFTOVER_SANDBOX_SWEEP_MS)

  expect(sweptAt).toHaveLength(10)
  expect(sweptAt.slice(1).map((t, i) => t - sweptAt[i]!)).toEqual(Array(9).fill(LEFTOVER_SANDBOX_SWEEP_MS))
  for (const t of sweptAt) {
    expect(fromTick(t, DEFAULT_ENGINE_CONFIG.reapIntervalMs), `sweep at ${t} ms vs the reaper`).toBeGreaterThanOrEqual(
      1_000,
    )
    expect(
      fromTick(t, WEBHOOK_SWEEP.everyMs, WEBHOOK_SWEEP.phaseMs),
      `sweep at ${t} ms vs webhooks`,
    ).toBeGreaterThanOrEqual(1_000)
  }
})

it('a sweep still running when stopped is waited for; a failed one is logged and the next goes on', async () => {
  let finish = () => {}
  let calls = 0
  const errors: unknown[] = []
  const sweep = startLeftoverSandboxSweep(
    {
      releaseLeftoverSandboxes: () => {
        calls++
        if (calls === 1) return Promise.reject(new Error('sandbox provider down'))
        return new Promise<number>((resolve) => (finish = () => resolve(1)))
      },
    },
    { error: (o: unknown) => void errors.push(o) },
  )
  await vi.advanceTimersByTimeAsync(3 * LEFTOVER_SANDBOX_SWEEP_MS)
  expect(calls).toBe(2) // the third tick found the second still running
  expect(errors).toEqual([{ err: new Error('sandbox provider down') }])
  let stopped = false
  const stopping = sweep.stop().then(() => (stopped = true))
  await vi.advanceTimersByTimeAsync(0)
  expect(stopped).toBe(false)
  finish()
  await stopping
  expect(stopped).toBe(true)
})
