// Traces for this process, when configured (config/tracing.ts). Off, this module is all that is
// loaded: the OpenTelemetry SDK (sdk.ts) is imported only once an endpoint is set, and the spans
// the engine and the HTTP server start through @opentelemetry/api stay no-ops.
import type { TracingConfig } from '../config/tracing.ts'
import type { Logger } from '../logger.ts'

export interface Tracing {
  /** Sends the spans still waiting and unregisters the SDK (the API's globals return to no-ops). */
  shutdown(): Promise<void>
}

/** Starts the SDK when `cfg` is set; undefined when tracing is off. */
export async function startTracing(cfg: TracingConfig | undefined, log: Logger): Promise<Tracing | undefined> {
  if (!cfg) return undefined
  const { startTracingSdk } = await import('./sdk.ts')
  return startTracingSdk(cfg, log)
}

export { withRequestSpans } from './request-spans.ts'
