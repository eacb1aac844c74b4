// Traces: the OpenTelemetry variables Runyard honours (their standard names and meanings) and the
// tracing setup they make. Tracing is on when an OTLP endpoint is set and OTEL_SDK_DISABLED is not
// true; otherwise the section is undefined and nothing of the OpenTelemetry SDK is ever loaded.
import type { VariableValues } from './variables.ts'

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const
export const TRACE_SAMPLERS = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const
export type TraceSampler = (typeof TRACE_SAMPLERS)[number]

export interface TracingConfig {
  /** Where spans are sent: OTLP over HTTP, the traces URL itself (…/v1/traces). */
  url: string
  protocol: (typeof OTLP_PROTOCOLS)[number]
  /** Sent with every export (a collector's credentials). */
  headers: Record<string, string>
  /** One export request's time limit. */
  timeoutMs: number
  /** Resource attributes of every span: OTEL_RESOURCE_ATTRIBUTES, and `service.name`. */
  resource: Record<string, string>
  sampler: TraceSampler
  /** The `traceidratio` samplers' ratio (0–1). */
  samplerRatio: number
  /** The batch span processor: the longest a finished span waits to be sent, and how many may wait. */
  batch: { scheduleDelayMs: number; maxQueueSize: number }
  /** Whether model and tool spans record prompts, outputs, tool arguments and tool results. */
  captureContent: boolean
}

/** `OTEL_EXPORTER_OTLP_ENDPOINT` is a base URL: traces go to its `v1/traces` (the OTLP spec's rule). */
function tracesUrl(v: VariableValues): string | undefined {
  if (v.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return v.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
  if (!v.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined
  return `${v.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`
}

export function toTracingConfig(v: VariableValues): TracingConfig | undefined {
  const url = tracesUrl(v)
  if (!url || v.OTEL_SDK_DISABLED) return undefined
  return {
    url,
    protocol: v.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? v.OTEL_EXPORTER_OTLP_PROTOCOL,
    // the traces-only headers win over the general ones, name by name
    headers: { ...v.OTEL_EXPORTER_OTLP_HEADERS, ...v.OTEL_EXPORTER_OTLP_TRACES_HEADERS },
    timeoutMs: v.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT ?? v.OTEL_EXPORTER_OTLP_TIMEOUT,
    resource: {
      ...v.OTEL_RESOURCE_ATTRIBUTES,
      'service.name': v.OTEL_SERVICE_NAME ?? v.OTEL_RESOURCE_ATTRIBUTES['service.name'] ?? 'runyard',
    },
    sampler: v.OTEL_TRACES_SAMPLER,
    samplerRatio: v.OTEL_TRACES_SAMPLER_ARG,
    batch: { scheduleDelayMs: v.OTEL_BSP_SCHEDULE_DELAY, maxQueueSize: v.OTEL_BSP_MAX_QUEUE_SIZE },
    captureContent: v.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT,
  }
}
