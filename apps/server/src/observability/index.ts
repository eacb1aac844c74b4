// A process's observability, built once at start-up (API processes and workers alike): its
// metrics registry, the engine observers that feed it and write the run-end log line, and the
// agent hook that times sandbox starts.
import type { EngineObserver } from '@runyard/engine'
import type { AgentHooks } from '../agent.ts'
import type { Logger } from '../logger.ts'
import { RunyardMetrics, type QueueStats } from './metrics.ts'
import { runEndLog } from './run-log.ts'
import { runMetricsObserver } from './run-metrics.ts'

export { RunyardMetrics } from './metrics.ts'

export interface ProcessObservability {
  metrics: RunyardMetrics
  /** For createEngine's `observers`. */
  observers: EngineObserver[]
  /** For createAgent. */
  agentHooks: AgentHooks
}

/** `queueStats` is read at scrape time (the engine may be created after this). */
export function createObservability(log: Logger, queueStats: QueueStats): ProcessObservability {
  const metrics = new RunyardMetrics(queueStats)
  return {
    metrics,
    observers: [runMetricsObserver(metrics), runEndLog(log)],
    agentHooks: {
      onSandboxOpened: ({ sandbox, ms, ok }) =>
        metrics.sandboxStart.observe({ sandbox, outcome: ok ? 'ok' : 'error' }, ms / 1000),
    },
  }
}
