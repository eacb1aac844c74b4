// When a failed webhook message is tried again: the configured delays in order, each with ±10 %
// jitter so that messages failing together (an endpoint that was down) do not all come back at
// the same instant.

/** The wait before the next attempt after `failures` failed ones, or null when the schedule is used up. */
export function retryDelayMs(
  failures: number,
  delaysMs: readonly number[],
  random: () => number = Math.random,
): number | null {
  const base = delaysMs[failures - 1]
  if (base === undefined) return null
  return Math.round(base * (0.9 + 0.2 * random()))
}
