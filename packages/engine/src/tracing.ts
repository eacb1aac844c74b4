// The engine's OpenTelemetry spans, through @opentelemetry/api only: without an SDK registered
// (tracing off) every call here is the API's no-op. One trace per run: admission starts it as a
// child of whatever span is active (the HTTP request that admitted the run), stores its W3C
// `traceparent` on the Run row, and every execution attempt, in whichever process claims it
// (a resume after a lost worker included), starts its span as a child of that stored context.
// The executor runs inside the attempt span, so the agent's spans (steps, model and tool calls)
// join the same trace.
import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Span,
  type SpanContext,
} from '@opentelemetry/api'
import type { RunKind, RunOutcome, StartRunRequest } from '@runyard/contract'

const tracer = trace.getTracer('@runyard/engine')

// W3C Trace Context, version 00: 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>.
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/

/** A span context as a `traceparent` header value; null when it is not valid (no SDK: tracing off). */
export function formatTraceparent(sc: SpanContext): string | null {
  if (!trace.isSpanContextValid(sc)) return null
  return `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & 0xff).toString(16).padStart(2, '0')}`
}

/** A stored `traceparent` as a remote span context; undefined when absent or malformed. */
export function parseTraceparent(value: string | null | undefined): SpanContext | undefined {
  const m = value ? TRACEPARENT.exec(value) : null
  if (!m) return undefined
  const sc: SpanContext = { traceId: m[1]!, spanId: m[2]!, traceFlags: parseInt(m[3]!, 16), isRemote: true }
  return trace.isSpanContextValid(sc) ? sc : undefined
}

/** The trace id of a stored `traceparent`, when its trace was sampled (recorded, so it can be looked up). */
export function sampledTraceId(traceparent: string | null | undefined): string | null {
  const sc = parseTraceparent(traceparent)
  return sc && sc.traceFlags & TraceFlags.SAMPLED ? sc.traceId : null
}

function recordFailure(span: Span, err: unknown): void {
  if (err instanceof Error) span.recordException(err)
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) })
}

/**
 * Runs `admit` (the admission transaction) inside the run's `run.admit` span, handing it the
 * span's `traceparent` to store on the run (null when tracing is off). The span links to the
 * trace of the chat's previous run when `admit` found one.
 */
export async function traceAdmission<T extends { id: string; previousTraceparent: string | null }>(
  req: Pick<StartRunRequest, 'kind' | 'chatId' | 'accountId'>,
  admit: (traceparent: string | null) => Promise<T>,
): Promise<T> {
  const span = tracer.startSpan('run.admit', {
    kind: SpanKind.INTERNAL,
    attributes: { 'runyard.run.kind': req.kind, 'runyard.chat.id': req.chatId, 'runyard.account.id': req.accountId },
  })
  try {
    const run = await context.with(trace.setSpan(context.active(), span), () =>
      admit(formatTraceparent(span.spanContext())),
    )
    span.setAttribute('runyard.run.id', run.id)
    const previous = parseTraceparent(run.previousTraceparent)
    if (previous) span.addLink({ context: previous, attributes: { 'runyard.link.kind': 'previous_run' } })
    return run
  } catch (err) {
    recordFailure(span, err)
    throw err
  } finally {
    span.end()
  }
}

/** Why an attempt ended without an outcome of its own. */
export type AttemptStop = 'lost' | 'shutdown'

/** One execution attempt's span, from the claim to the run's outcome (or the stop that ended it). */
export class AttemptTrace {
  private readonly span: Span
  private readonly ctx: ReturnType<typeof context.active>
  private ended = false

  /**
   * `claimStartedAt`: when the claim statement was sent; the attempt and its `run.claim` span start
   * there. The parent is the run's stored `traceparent`, not the active context (the queue's).
   */
  constructor(
    run: { id: string; chatId: string; sessionId: string; kind: RunKind; attempt: number; traceparent: string | null },
    workerId: string,
    resumed: boolean,
    claimStartedAt: Date,
  ) {
    const stored = parseTraceparent(run.traceparent)
    const parent = stored ? trace.setSpanContext(ROOT_CONTEXT, stored) : ROOT_CONTEXT
    this.span = tracer.startSpan(
      'run.attempt',
      {
        kind: SpanKind.CONSUMER,
        startTime: claimStartedAt,
        attributes: {
          'runyard.run.id': run.id,
          'runyard.run.kind': run.kind,
          'runyard.run.attempt': run.attempt,
          'runyard.run.resumed': resumed,
          'runyard.chat.id': run.chatId,
          'runyard.session.id': run.sessionId,
          'runyard.worker.id': workerId,
        },
      },
      parent,
    )
    this.ctx = trace.setSpan(parent, this.span)
    tracer.startSpan('run.claim', { kind: SpanKind.INTERNAL, startTime: claimStartedAt }, this.ctx).end()
  }

  /** Runs `fn` with the attempt span active: the spans the executor starts are its children. */
  within<T>(fn: () => Promise<T>): Promise<T> {
    return context.with(this.ctx, fn)
  }

  /** Ends the span with how the attempt ended: the run's outcome, a stop, or an error that escaped. */
  end(how: { outcome: RunOutcome } | { stopped: AttemptStop } | { error: unknown }): void {
    if (this.ended) return
    this.ended = true
    if ('outcome' in how) {
      this.span.setAttribute('runyard.run.status', how.outcome.status)
      if (how.outcome.status === 'failed') {
        this.span.setAttribute('error.type', how.outcome.error.code)
        this.span.setStatus({ code: SpanStatusCode.ERROR, message: how.outcome.error.message })
      }
    } else if ('stopped' in how) {
      this.span.setAttribute('runyard.run.stopped', how.stopped)
    } else {
      recordFailure(this.span, how.error)
    }
    this.span.end()
  }
}
