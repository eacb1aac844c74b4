// A RUNYARD_* variable the server does not know is almost always a misspelt setting, which
// would otherwise be silently ignored: it is reported, with the nearest known name.

/** RUNYARD_* variables of Runyard's other programs, which may well be in the server's environment. */
const OTHER_PROGRAMS_VARIABLES = new Set([
  // what a run's sandbox commands get (a server started from inside a run sees them)
  'RUNYARD_API_KEY',
  'RUNYARD_API_URL',
  // scripts/bootstrap.mjs and scripts/test.mjs, which start the server
  'RUNYARD_LOCAL_PNPM',
  'RUNYARD_FORCE_INSTALL',
  'RUNYARD_FORCE_BUILD',
  'RUNYARD_VERBOSE',
  // the console's dev server (apps/console/vite.config.ts)
  'RUNYARD_DEV_SERVER',
])
/** The test suite's own variables (test executors loaded with RUNYARD_EXECUTOR_MODULE read some). */
const TEST_SUITE_PREFIXES = ['RUNYARD_TEST_', 'RUNYARD_FUZZ_']

/** One line per RUNYARD_* name in `names` that is neither a setting nor another program's. */
export function unknownSettings(names: Iterable<string>, settings: readonly string[]): string[] {
  const known = new Set(settings)
  const problems: string[] = []
  for (const name of names) {
    if (!name.startsWith('RUNYARD_') || known.has(name) || OTHER_PROGRAMS_VARIABLES.has(name)) continue
    if (TEST_SUITE_PREFIXES.some((p) => name.startsWith(p))) continue
    const near = nearestSetting(name, settings)
    problems.push(
      `${name} is not a Runyard setting — ${near ? `did you mean ${near}?` : "the README's Configuration table lists them"}`,
    )
  }
  return problems
}

/**
 * The setting `name` most likely meant, if one is close enough. Compared without the RUNYARD_
 * prefix, so that RUNYARD_E2B_API_KEY finds E2B_API_KEY.
 */
export function nearestSetting(name: string, settings: readonly string[]): string | undefined {
  const bare = (n: string) => n.replace(/^RUNYARD_/, '')
  const wanted = bare(name)
  let best: { name: string; distance: number; shared: number } | undefined
  for (const candidate of settings) {
    const distance = levenshtein(wanted, bare(candidate))
    // Ties go to the longer common start (RUNYARD_SANDBOX_NET: SANDBOX_NETWORK, not SANDBOX).
    const shared = commonPrefixLength(wanted, bare(candidate))
    if (!best || distance < best.distance || (distance === best.distance && shared > best.shared))
      best = { name: candidate, distance, shared }
  }
  // Beyond about a third of the name changed, a suggestion is more confusing than helpful.
  return best && best.distance <= Math.max(2, Math.ceil(wanted.length / 3)) ? best.name : undefined
}

function commonPrefixLength(a: string, b: string): number {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}
