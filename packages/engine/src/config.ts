import os from 'node:os'

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
  concurrency: 8,
  workerStatementConcurrency: defaultWorkerStatementConcurrency(),
  sessionIdleMs: 10 * 60_000,
  hibernateTimeoutMs: 2 * 60_000,
}

export const EPHEMERAL_KEY_TTL_BOUNDS = { min: 60_000, max: 24 * 60 * 60_000 } as const

export function resolveEngineConfig(partial: Partial<EngineConfig> = {}): EngineConfig {
  const c = { ...DEFAULT_ENGINE_CONFIG, ...partial }
  if (c.ephemeralKeyTtlMs < EPHEMERAL_KEY_TTL_BOUNDS.min || c.ephemeralKeyTtlMs > EPHEMERAL_KEY_TTL_BOUNDS.max)
    throw new RangeError(`ephemeralKeyTtlMs must be between 1 minute and 24 hours (got ${c.ephemeralKeyTtlMs} ms)`)
  if (c.heartbeatMs >= c.leaseMs) throw new RangeError('heartbeatMs must be shorter than leaseMs')
  if (c.sessionIdleMs <= 0 || c.hibernateTimeoutMs <= 0) throw new RangeError('sessionIdleMs and hibernateTimeoutMs must be positive')
  if (c.maxAttempts < 1 || c.concurrency < 1 || c.workerStatementConcurrency < 1) throw new RangeError('maxAttempts, concurrency and workerStatementConcurrency must be at least 1')
  if (!(c.maxRunMs > 0) || !(c.stopGraceMs >= 0)) throw new RangeError('maxRunMs must be positive and stopGraceMs not negative')
  return c
}
