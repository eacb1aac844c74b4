// The OpenTelemetry SDK for traces, loaded only when tracing is configured (index.ts imports this
// file lazily): a tracer provider with the configured resource and sampler, a batch span processor
// sending OTLP over HTTP (protobuf or JSON), registered as the process's global provider together
// with the AsyncLocalStorage context manager and the W3C propagator; and the AI SDK's
// OpenTelemetry integration, which turns every agent loop into GenAI spans (invoke_agent, one span
// per step, chat <model> per model call, execute_tool per tool call) under the active span.
import { OpenTelemetry } from '@ai-sdk/otel'
import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api'
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources'
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-node'
import { registerTelemetry, type Telemetry } from 'ai'
import type { TracingConfig } from '../config/tracing.ts'
import type { Logger } from '../logger.ts'
import type { Tracing } from './index.ts'

function samplerOf(cfg: TracingConfig): Sampler {
  const root = (name: string): Sampler =>
    name.endsWith('always_off')
      ? new AlwaysOffSampler()
      : name.endsWith('traceidratio')
        ? new TraceIdRatioBasedSampler(cfg.samplerRatio)
        : new AlwaysOnSampler()
  return cfg.sampler.startsWith('parentbased_')
    ? new ParentBasedSampler({ root: root(cfg.sampler) })
    : root(cfg.sampler)
}

/** Takes `integration` out of the AI SDK's global list (registerTelemetry has no inverse). */
function unregisterTelemetry(integration: Telemetry): void {
  globalThis.AI_SDK_TELEMETRY_INTEGRATIONS = globalThis.AI_SDK_TELEMETRY_INTEGRATIONS?.filter((i) => i !== integration)
}

export function startTracingSdk(cfg: TracingConfig, log: Logger): Tracing {
  // The SDK reports failed exports through its diagnostics logger: one warning line each.
  diag.setLogger(
    {
      error: (m) => log.warn(`traces: ${m}`),
      warn: (m) => log.warn(`traces: ${m}`),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  )
  const exporterOptions = { url: cfg.url, headers: cfg.headers, timeoutMillis: cfg.timeoutMs }
  const exporter =
    cfg.protocol === 'http/json' ? new JsonTraceExporter(exporterOptions) : new ProtobufTraceExporter(exporterOptions)
  const provider = new NodeTracerProvider({
    resource: defaultResource().merge(resourceFromAttributes(cfg.resource)),
    sampler: samplerOf(cfg),
    spanProcessors: [
      new BatchSpanProcessor(exporter, {
        scheduledDelayMillis: cfg.batch.scheduleDelayMs,
        maxQueueSize: cfg.batch.maxQueueSize,
        maxExportBatchSize: Math.min(512, cfg.batch.maxQueueSize),
        exportTimeoutMillis: cfg.timeoutMs,
      }),
    ],
  })
  provider.register()
  const aiTelemetry = new OpenTelemetry()
  registerTelemetry(aiTelemetry)
  log.info(
    { url: cfg.url, protocol: cfg.protocol, sampler: cfg.sampler, service: cfg.resource['service.name'] },
    'traces: sending OpenTelemetry spans',
  )
  return {
    async shutdown() {
      unregisterTelemetry(aiTelemetry)
      // Ends the batch processor: the spans still waiting are sent first.
      await provider.shutdown().catch((err: unknown) => log.warn({ err }, 'traces: the last spans could not be sent'))
      trace.disable()
      context.disable()
      propagation.disable()
      diag.disable()
    },
  }
}
