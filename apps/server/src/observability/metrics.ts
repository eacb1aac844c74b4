// The process's Prometheus metrics (prom-client), one registry per process (per started server
// in tests): every process counts what it did itself — runs it admitted, executed or finished,
// requests it served — so a deployment is scraped process by process and summed in PromQL.
// Label values are bounded: surfaces, run kinds, statuses and error codes are fixed sets, models
// are the configured ones, routes are templates, and tool names are capped (toolLabel).
import { TOOL_NAMES } from '@runyard/agent-runtime/settings'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'

/** Seconds, from a few ms (HTTP) to an hour (runs). */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
const RUN_BUCKETS = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600]
const FIRST_EVENT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120]
const QUEUE_WAIT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]
const SANDBOX_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60]

/**
 * Names that are not the agent's own tools (another executor's, or a model's made-up ones: the
 * AI SDK reports a call to a tool that does not exist under the name the model chose) given their
 * own label value; any further ones count as `other`. The agent's tools always keep theirs, so a
 * model cannot crowd them out.
 */
const MAX_OTHER_TOOL_LABELS = 32
/** What a tool name must look like to be a label value (OpenAI's rule for function names). */
const TOOL_LABEL = /^[A-Za-z0-9_-]{1,64}$/
const AGENT_TOOLS: ReadonlySet<string> = new Set(TOOL_NAMES)

/** What the queue gauges read at scrape time. */
export type QueueStats = () => Promise<{ queued: number; oldestQueuedSeconds: number }>

export class RunyardMetrics {
  readonly registry = new Registry()
  private readonly registers = [this.registry]

  readonly runsStarted = this.counter(
    'runyard_runs_started_total',
    'Runs admitted by this process, by the API surface that started them and run kind.',
    ['surface', 'kind'],
  )
  readonly runsFinished = this.counter(
    'runyard_runs_finished_total',
    'Runs finished by this process (its workers, its reaper, its cancels), by status, error code, kind and surface (`unknown` when another process admitted the run).',
    ['status', 'error_code', 'kind', 'surface'],
  )
  readonly runDuration = this.histogram(
    'runyard_run_duration_seconds',
    'From admission to the end of the run (queue time included), by status; observed by the process that finished it.',
    RUN_BUCKETS,
    ['status'],
  )
  readonly queueWait = this.histogram(
    'runyard_run_queue_wait_seconds',
    "From admission to a worker's first claim of the run.",
    QUEUE_WAIT_BUCKETS,
  )
  readonly timeToFirstEvent = this.histogram(
    'runyard_run_time_to_first_event_seconds',
    "From admission to the first event the run's execution wrote (first text, reasoning or tool call).",
    FIRST_EVENT_BUCKETS,
  )
  readonly eventsWritten = this.counter(
    'runyard_run_events_written_total',
    'Events this process appended to run logs (rate() gives events per second).',
  )
  readonly modelCalls = this.counter('runyard_model_calls_total', 'Model calls (completed agent steps) by model.', [
    'model',
  ])
  readonly modelTokens = this.counter(
    'runyard_model_tokens_total',
    'Tokens of completed model calls by model and type (input, output, cache_read, cache_write).',
    ['model', 'type'],
  )
  readonly toolCalls = this.counter(
    'runyard_tool_calls_total',
    'Tool calls by tool and outcome: ok, error, or client (a client-side tool handed to the client; its tool label is `client`).',
    ['tool', 'outcome'],
  )
  readonly sandboxStart = this.histogram(
    'runyard_sandbox_start_seconds',
    "Opening a run's sandbox (creating or resuming it), by sandbox kind and outcome (ok, error).",
    SANDBOX_BUCKETS,
    ['sandbox', 'outcome'],
  )
  readonly sseStreams = this.gauge(
    'runyard_sse_streams_active',
    'Server-sent event streams this process is serving now.',
  )
  readonly httpDuration = this.histogram(
    'runyard_http_request_duration_seconds',
    'HTTP requests by method, route template and status (event streams are not timed here: see runyard_sse_streams_active).',
    HTTP_BUCKETS,
    ['method', 'route', 'status'],
  )

  private readonly toolLabels = new Set<string>()

  constructor(queueStats?: QueueStats) {
    collectDefaultMetrics({ register: this.registry })
    if (queueStats) this.queueGauges(queueStats)
  }

  /** The agent's tools by name; other names while fewer than MAX_OTHER_TOOL_LABELS were seen and they look like tool names; else `other`. */
  toolLabel(tool: string): string {
    if (AGENT_TOOLS.has(tool) || this.toolLabels.has(tool)) return tool
    if (this.toolLabels.size >= MAX_OTHER_TOOL_LABELS || !TOOL_LABEL.test(tool)) return 'other'
    this.toolLabels.add(tool)
    return tool
  }

  /** The text format Prometheus scrapes, and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() }
  }

  private counter<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []) {
    return new Counter<L>({ name, help, labelNames, registers: this.registers })
  }

  private histogram<L extends string = string>(
    name: string,
    help: string,
    buckets: number[],
    labelNames: readonly L[] = [],
  ) {
    return new Histogram<L>({ name, help, labelNames, buckets, registers: this.registers })
  }

  private gauge(name: string, help: string) {
    return new Gauge({ name, help, registers: this.registers })
  }

  /** Queue depth and the oldest queued run's age, read from the database when scraped (NaN when it cannot be read). */
  private queueGauges(queueStats: QueueStats) {
    // Both gauges come from one query: a scrape starts every collect() at once, so the second
    // finds the first one's query in flight.
    let pending: Promise<{ queued: number; oldestQueuedSeconds: number } | undefined> | undefined
    const read = () => {
      pending ??= queueStats()
        .catch(() => undefined)
        .finally(() => (pending = undefined))
      return pending
    }
    const gauges = [
      ['runyard_queue_depth', 'Runs waiting to execute (all accounts; the same value from every process).', 'queued'],
      [
        'runyard_queue_oldest_age_seconds',
        'How long the oldest queued run has waited (0 when none is queued).',
        'oldestQueuedSeconds',
      ],
    ] as const
    for (const [name, help, stat] of gauges)
      new Gauge({
        name,
        help,
        registers: this.registers,
        async collect() {
          this.set((await read())?.[stat] ?? Number.NaN)
        },
      })
  }
}
