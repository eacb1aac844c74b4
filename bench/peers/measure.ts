// One measurement of one server: a first start on a fresh state folder (then stopped), a second,
// warm start on the same folder, its idle memory, warm-up runs, then N runs C at a time, with the
// whole process tree's memory sampled throughout the second start's life.
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { settledTreeMemory, TreeSampler, withoutProcesses, type TreeMemory } from '../lib/pss.ts'
import { percentile } from '../lib/report.ts'
import { modelCalls, startScriptedModel } from './model.ts'
import { freePort, start, waitHealthy, type Started } from './process.ts'
import type { ServerKind } from './server.ts'

export interface MeasureOptions {
  runs: number
  concurrency: number
  warmup: number
  sampleMs: number
  /** Seconds the warm server idles after it is healthy before its idle memory is read (as the start-up benchmark does). */
  idleS: number
  /** Keep the state folder (logs, databases) instead of removing it; it is always kept after a failure. */
  keepState: boolean
}

export interface Measurement {
  server: ServerKind
  /** Spawn → healthy on a fresh state folder (databases created, migrations run). */
  firstStartMs: number
  /** Spawn → healthy again on the same folder: the start a user has every day. */
  startMs: number
  /** The whole tree `idleS` seconds after the warm start, before any run (launcher included). */
  idle: TreeMemory
  /** The same reading without the launcher (`npm start`'s npm): the server and its PostgreSQL. */
  idleServer: TreeMemory
  /** The tree's highest PSS, sampled from spawn to the end of the runs. */
  peak: TreeMemory
  peakProcesses: number
  ok: number
  errors: string[]
  runsPerSecond: number
  latencyP50: number
  firstEventP50: number
  /** Runyard only: 202 → first event, on the idle server (the first warm-up run) and the runs' p50. */
  acceptedToFirstEvent: { idle: number; p50: number } | undefined
  /** Model requests during the measured runs (2 per run expected). */
  modelCalls: number
}

export async function measure(
  server: ServerKind,
  load: MeasureOptions,
  log: (line: string) => void,
): Promise<Measurement> {
  const state = await fs.mkdtemp(path.join(os.tmpdir(), `runyard-bench-${server.id}-`))
  const model = await startScriptedModel()
  const launch = async () => {
    const port = await freePort()
    const t0 = performance.now()
    const proc = start(server.command({ state, port, modelUrl: model.url }), path.join(state, 'server.log'))
    return { proc, base: `http://127.0.0.1:${port}`, t0 }
  }
  let current: Started | undefined
  let failed = false
  try {
    const first = await launch()
    current = first.proc
    const firstStartMs = await waitHealthy(first.base + server.healthPath, first.t0, first.proc)
    await first.proc.stop()

    const warm = await launch()
    current = warm.proc
    const sampler = new TreeSampler(warm.proc.pid, load.sampleMs).start()
    const startMs = await waitHealthy(warm.base + server.healthPath, warm.t0, warm.proc)
    const driver = await server.connect(warm.base)
    // Settled as in the start-up benchmark: a fixed idle time, then the median of 5 readings (the
    // first seconds after healthy still hold start-up garbage that V8 collects later).
    await new Promise((r) => setTimeout(r, load.idleS * 1000))
    const idle = await settledTreeMemory(warm.proc.pid)

    const errors: string[] = []
    const idleAcceptedToFirstEvent: number[] = []
    for (let i = 0; i < load.warmup; i++) {
      try {
        const r = await driver.run(`warm-up ${i + 1}`)
        if (r.acceptedToFirstEventMs !== undefined) idleAcceptedToFirstEvent.push(r.acceptedToFirstEventMs)
      } catch (err) {
        errors.push(`warm-up ${i + 1}: ${(err as Error).message}`)
      }
    }
    const callsBefore = modelCalls(model)
    const latencies: number[] = []
    const firstEvents: number[] = []
    const acceptedToFirstEvent: number[] = []
    let next = 0
    const t0 = performance.now()
    const worker = async () => {
      while (next < load.runs) {
        const i = ++next
        try {
          const r = await driver.run(String(i))
          latencies.push(r.latencyMs)
          firstEvents.push(r.firstEventMs)
          if (r.acceptedToFirstEventMs !== undefined) acceptedToFirstEvent.push(r.acceptedToFirstEventMs)
        } catch (err) {
          errors.push(`run ${i}: ${(err as Error).message}`)
        }
      }
    }
    await Promise.all(Array.from({ length: load.concurrency }, worker))
    const wallMs = performance.now() - t0
    const memory = sampler.stop()
    driver.close()
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b)
    const m: Measurement = {
      server,
      firstStartMs,
      startMs,
      idle,
      idleServer: server.isLauncher ? withoutProcesses(idle, server.isLauncher) : idle,
      peak: memory.peak,
      peakProcesses: memory.peakProcesses,
      ok: latencies.length,
      errors,
      runsPerSecond: latencies.length / (wallMs / 1000),
      latencyP50: percentile(sorted(latencies), 50),
      firstEventP50: percentile(sorted(firstEvents), 50),
      acceptedToFirstEvent: acceptedToFirstEvent.length
        ? { idle: idleAcceptedToFirstEvent[0] ?? NaN, p50: percentile(sorted(acceptedToFirstEvent), 50) }
        : undefined,
      modelCalls: modelCalls(model) - callsBefore,
    }
    for (const e of errors) log(`  ✗ ${e}`)
    if (errors.length) {
      failed = true
      log(`  state and log kept in ${state}`)
    }
    return m
  } catch (err) {
    failed = true
    throw new Error(`${server.label}: ${(err as Error).message}\n(state and log kept in ${state})`)
  } finally {
    await current?.stop()
    await model.close()
    if (!failed && !load.keepState) await fs.rm(state, { recursive: true, force: true }).catch(() => {})
  }
}
