// Finding the host processes a test started (every sandbox provider runs its commands on this host).
import { execFileSync } from 'node:child_process'
import crypto from 'node:crypto'

/** True while a host process whose command line contains `marker` exists. */
export function processAlive(marker: string): boolean {
  try {
    execFileSync('pgrep', ['-f', marker])
    return true
  } catch {
    return false
  }
}

/** A `sleep` argument unique to this test (sleep accepts fractions), findable with pgrep. */
export function uniqueSleep(): string {
  return `30.${crypto.randomInt(1e8, 1e9)}`
}
