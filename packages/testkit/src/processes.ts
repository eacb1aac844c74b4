// OS processes a test started or found (a PostgreSQL postmaster by its pid, a server): whether one
// still runs, waiting for it to end, and stopping what a failed test left running.
import { setTimeout as sleep } from 'node:timers/promises'

/** Whether `pid` is a live process (signal 0; a process of another user counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Polls until `pid` has exited or `timeoutMs` passed; resolves whether it has exited. */
export async function waitForExit(pid: number, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false
    await sleep(50)
  }
  return true
}

/**
 * Stops a process a test may have left running: SIGINT (PostgreSQL's fast shutdown), then SIGKILL
 * if it is still there after `graceMs`. Returns once it has exited.
 */
export async function stopLeftover(pid: number, graceMs = 10_000): Promise<void> {
  if (!isAlive(pid)) return
  process.kill(pid, 'SIGINT')
  if (await waitForExit(pid, graceMs)) return
  process.kill(pid, 'SIGKILL')
  await waitForExit(pid)
}
