// Run metrics from the engine's observer hook: what is counted per run, per step and per tool
// call is read off the events as they are written (step_finish carries a model call's usage,
// tool_result a tool call's outcome), so the engine's hot path gains no query and no copy.
import type { EngineObserver, ObservedRun } from '@runyard/engine'
import type { RunyardMetrics } from './metrics.ts'

/**
 * Surfaces of runs admitted here and not finished yet (to label runs_finished_total): bounded,
 * since a run admitted here may finish in another process (a worker) and never be removed.
 */
const MAX_REMEMBERED_SURFACES = 10_000

export function runMetricsObserver(metrics: RunyardMetrics): EngineObserver {
  const surfaces = new Map<string, string>()
  // Executions (the claimed row, the same object for all their notifications) whose first
  // event is still to come; weak, so an execution whose claim was lost leaves nothing behind.
  const awaitingFirstEvent = new WeakSet<ObservedRun>()

  return {
    runAdmitted({ run, surface }) {
      const label = surface ?? 'other'
      metrics.runsStarted.inc({ surface: label, kind: run.kind })
      if (surfaces.size >= MAX_REMEMBERED_SURFACES) surfaces.delete(surfaces.keys().next().value!)
      surfaces.set(run.id, label)
    },

    runClaimed({ run, resumed }) {
      if (resumed) return
      if (run.startedAt) metrics.queueWait.observe(seconds(run.startedAt.getTime() - run.createdAt.getTime()))
      awaitingFirstEvent.add(run)
    },

    eventsWritten({ run, events, at }) {
      metrics.eventsWritten.inc(events.length)
      const firstPending = awaitingFirstEvent.has(run)
      for (const { event } of events) {
        switch (event.type) {
          case 'step_finish': {
            const { model } = run
            const u = event.usage
            metrics.modelCalls.inc({ model })
            metrics.modelTokens.inc({ model, type: 'input' }, u.input_tokens)
            metrics.modelTokens.inc({ model, type: 'output' }, u.output_tokens)
            if (u.cache_read) metrics.modelTokens.inc({ model, type: 'cache_read' }, u.cache_read)
            if (u.cache_write) metrics.modelTokens.inc({ model, type: 'cache_write' }, u.cache_write)
            break
          }
          case 'tool_result':
            metrics.toolCalls.inc({ tool: metrics.toolLabel(event.tool), outcome: event.isError ? 'error' : 'ok' })
            break
          case 'tool_call':
            // A client-side tool's name is the client's choice: one label for all of them.
            if (event.client) metrics.toolCalls.inc({ tool: 'client', outcome: 'client' })
            break
        }
        if (
          firstPending &&
          event.type !== 'run_status' &&
          event.type !== 'step_retry' &&
          awaitingFirstEvent.delete(run)
        ) {
          metrics.timeToFirstEvent.observe(seconds(at.getTime() - run.createdAt.getTime()))
        }
      }
    },

    runFinished({ run }) {
      const surface = surfaces.get(run.id) ?? 'unknown'
      surfaces.delete(run.id)
      metrics.runsFinished.inc({ status: run.status, error_code: run.errorCode ?? '', kind: run.kind, surface })
      if (run.finishedAt)
        metrics.runDuration.observe({ status: run.status }, seconds(run.finishedAt.getTime() - run.createdAt.getTime()))
    },
  }
}

const seconds = (ms: number) => Math.max(0, ms) / 1000
