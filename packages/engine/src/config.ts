import os from 'node:os'
import type { RunLimits } from './rate-limits.ts'

export interface EngineConfig {
  /** A run whose worker stops heartbeating is considered lost after this long. */
  leaseMs: number
  /** How often a worker renews its lease (and checks for cancellation). */
  heartbeatMs: number
  /** How often lost runs are looked for. */
  reapIntervalMs: number
  /** Executions per run before it fails with `worker_lost`. */
  maxAttempts: number
  /** Lifetime of a run's ephemeral key. */
  ephemeralKeyTtlMs: number
  /** A run still going this long after its first start (across attempts) fails with `timeout`. */
  maxRunMs: number
  /**
   * How long an executor may take to return once its signal fired (cancel, timeout): after that the
   * run is finished without it, so no executor that ignores its signal keeps a run going.
   */
  stopGraceMs: number
  /** Runs executed at once by this process's workers. */
  concurrency: number
  /**
   * Database statements those runs (and pg-boss's fetches and completions) run at once; the rest
   * wait their turn, so a burst of executions cannot crowd out the API's statements (statement-slots.ts).
   */
  workerStatementConcurrency: number
  /** Public base URL handed to executors (for the agent's own API calls). */
  apiUrl?: string
  /** A session with a suspendable sandbox and no run for this long is hibernated (workers with a hibernator only). */
  sessionIdleMs: number
  /**
   * Longest a sandbox pause is expected to take. A session left `hibernating` longer (its worker
   * died) is claimed again, and a run waiting for the pause stops waiting and opens the sandbox.
   */
  hibernateTimeoutMs: number
  /** Rate limits and the concurrent-run quota admission enforces (rate-limits.ts); all off by default. */
  limits: RunLimits
  /** Webhook deliveries (processes that execute runs; see webhooks/). */
  webhooks: WebhookConfig
}

export interface WebhookConfig {
  /**
   * The wait before each retry of a failed message, in order (each ±10 % jitter); a message still
   * failing after the last one is given up (`failed`).
   */
  retryDelaysMs: number[]
  /** An endpoint with no successful delivery for this long, failing all along, is disabled. */
  disableAfterMs: number
  /** Hosts (`host` or `host:port`) messages may reach even when private or loopback. */
  allowHosts: string[]
  /** Messages sent at once per worker process. */
  concurrency: number
  /**
   * Of those, at most this many for one account at a time: an account whose endpoints are slow
   * (each attempt may take the whole request timeout) cannot hold every sender of the process.
   */
  concurrencyPerAccount: number
}

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE

/** About 28 hours of retries, as Standard Webhooks senders commonly do; then the message fails. */
export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
]

export const DEFAULT_WEBHOOK_CONFIG: WebhookConfig = {
  retryDelaysMs: DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
  disableAfterMs: 5 * 24 * HOUR,
  allowHosts: [],
  concurrency: 4,
  concurrencyPerAccount: 2,
}

/**
 * One statement per CPU core, plus one so a statement's round trip does not leave a core idle.
 * Measured on 2 cores at 200 runs/s: 2 slots kept admission p99 lowest but runs then waited ~0.5 s
 * in the queue; 3 kept it under ~20 ms with runs waiting as long as without slots (p50 ~8 ms).
 */
export function defaultWorkerStatementConcurrency(): number {
  return os.availableParallelism() + 1
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  leaseMs: 30_000,
  heartbeatMs: 5_000,
  reapIntervalMs: 5_000,
  maxAttempts: 3,
  ephemeralKeyTtlMs: 15 * 60_000,
  maxRunMs: 60 * 60_000,
  stopGraceMs: 5_000,
  // Runs mostly wait on models and sandboxes. At 200 runs/s of a no-op executor on 2 cores a run holds
  // its slot ~40 ms (fetch gather, claim, step end, finish: three durable commits), so 8 slots were
  // exactly 200 runs/s and any stall left a backlog that never drained; 16 keep up with room to
  // spare (docs/benchmarks.md, engine settings).
  concurrency: 16,
  workerStatementConcurrency: defaultWorkerStatementConcurrency(),
  sessionIdleMs: 10 * 60_000,
  hibernateTimeoutMs: 2 * 60_000,
  limits: {},
  webhooks: DEFAULT_WEBHOOK_CONFIG,
}

export const EPHEMERAL_KEY_TTL_BOUNDS = { min: 60_000, max: 24 * 60 * 60_000 } as const

export function resolveEngineConfig(partial: Partial<EngineConfig> = {}): EngineConfig {
  const c = { ...DEFAULT_ENGINE_CONFIG, ...partial }
  if (c.ephemeralKeyTtlMs < EPHEMERAL_KEY_TTL_BOUNDS.min || c.ephemeralKeyTtlMs > EPHEMERAL_KEY_TTL_BOUNDS.max)
    throw new RangeError(`ephemeralKeyTtlMs must be between 1 minute and 24 hours (got ${c.ephemeralKeyTtlMs} ms)`)
  if (c.heartbeatMs >= c.leaseMs) throw new RangeError('heartbeatMs must be shorter than leaseMs')
  if (c.sessionIdleMs <= 0 || c.hibernateTimeoutMs <= 0)
    throw new RangeError('sessionIdleMs and hibernateTimeoutMs must be positive')
  if (c.maxAttempts < 1 || c.concurrency < 1 || c.workerStatementConcurrency < 1)
    throw new RangeError('maxAttempts, concurrency and workerStatementConcurrency must be at least 1')
  if (!(c.maxRunMs > 0) || !(c.stopGraceMs >= 0))
    throw new RangeError('maxRunMs must be positive and stopGraceMs not negative')
  const w = c.webhooks
  if (
    w.retryDelaysMs.some((d) => !(d >= 0)) ||
    !(w.disableAfterMs > 0) ||
    !(w.concurrency >= 1) ||
    !(w.concurrencyPerAccount >= 1)
  )
    throw new RangeError(
      'webhooks: retry delays must not be negative, disableAfterMs, concurrency and concurrencyPerAccount must be positive',
    )
  for (const [name, limit] of Object.entries(c.limits))
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1))
      throw new RangeError(`limits.${name} must be a positive integer or undefined (off)`)
  return c
}
