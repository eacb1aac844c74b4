// Rate limits and the concurrent-run quota, checked inside admission's transaction: one call of
// the database function "Run_take_quota" (migration retention_rate_limits), sent on the same
// round trip as admission's own statement (the engine's connections pipeline), so a limit costs
// no extra round trip. Counters live in PostgreSQL ("RunRateWindow": a fixed one-minute window
// per key and per account), so every process sharing the database shares them; being updated in
// admission's transaction, a refused or failed admission (a busy chat, say) counts nothing.
//
// Why not a limiter library: rate-limiter-flexible's PostgreSQL store runs its own statement on
// its own connection (an extra round trip, outside the transaction, so refused admissions would
// count), says it is not meant for more than 200-300 actions a second, and cannot count the
// account's active runs, which must be read under the same lock as the run is written.
import { rateLimited, type AppError } from '@runyard/contract'
import { prepared } from './prepared.ts'
import type { Queryable } from './types.ts'

/** Limits on admission; each one undefined (off) unless the operator sets it. */
export interface RunLimits {
  /** Runs a personal or org API key may start per minute (fixed windows on the minute). */
  runsPerMinutePerKey?: number
  /** Runs an account may start per minute, whatever key (or none) it uses. */
  runsPerMinutePerAccount?: number
  /** Runs an account may have queued or running at once. */
  maxConcurrentRunsPerAccount?: number
}

/** What a refusal for too many active runs tells the client to wait: no end time is known. */
export const CONCURRENT_RETRY_AFTER_SECONDS = 5

/** The SQLSTATE "Run_take_quota" raises when a limit refuses the run. */
const QUOTA_SQLSTATE = 'RY429'

const TAKE_QUOTA = prepared('SELECT "Run_take_quota"($1, $2, $3, $4, $5)')

/** Whether admitting a run for this caller checks anything at all (no statement when not). */
export function limitsApply(limits: RunLimits, keyId: string | null | undefined): boolean {
  return Boolean(
    (keyId && limits.runsPerMinutePerKey) || limits.runsPerMinutePerAccount || limits.maxConcurrentRunsPerAccount,
  )
}

/**
 * Takes the run's place in its key's and account's windows, or fails with the database's RY429
 * error (turn it into the client's error with {@link quotaError}). Send it first in admission's
 * transaction: its row locks must be taken before the run row is written (see the migration).
 */
export function takeQuota(
  tx: Queryable,
  limits: RunLimits,
  accountId: string,
  keyId: string | null | undefined,
): Promise<unknown> {
  const perKey = keyId && limits.runsPerMinutePerKey ? limits.runsPerMinutePerKey : null
  return tx.query({
    ...TAKE_QUOTA,
    values: [
      accountId,
      perKey ? keyId : null,
      perKey,
      limits.runsPerMinutePerAccount ?? null,
      limits.maxConcurrentRunsPerAccount ?? null,
    ],
  })
}

interface QuotaDetail {
  limit: 'runs_per_minute_per_key' | 'runs_per_minute_per_account' | 'concurrent_runs_per_account'
  max: number
  retryAfterSeconds: number | null
}

/** The 429 for a database error raised by "Run_take_quota"; undefined for any other error. */
export function quotaError(err: unknown, accountId: string): AppError | undefined {
  const e = err as { code?: unknown; detail?: unknown } | null
  if (e?.code !== QUOTA_SQLSTATE || typeof e.detail !== 'string') return undefined
  const d = JSON.parse(e.detail) as QuotaDetail
  const details = { limit: d.limit, max: d.max }
  switch (d.limit) {
    case 'runs_per_minute_per_key':
      return rateLimited(
        `Rate limit reached: this API key may start ${d.max} run${d.max === 1 ? '' : 's'} per minute. Retry in ${d.retryAfterSeconds ?? 1} s.`,
        d.retryAfterSeconds ?? 1,
        details,
      )
    case 'runs_per_minute_per_account':
      return rateLimited(
        `Rate limit reached: account ${accountId} may start ${d.max} run${d.max === 1 ? '' : 's'} per minute. Retry in ${d.retryAfterSeconds ?? 1} s.`,
        d.retryAfterSeconds ?? 1,
        details,
      )
    case 'concurrent_runs_per_account':
      return rateLimited(
        `Too many active runs: account ${accountId} may have ${d.max} run${d.max === 1 ? '' : 's'} queued or running at once. Retry when one has finished.`,
        CONCURRENT_RETRY_AFTER_SECONDS,
        details,
      )
  }
}
