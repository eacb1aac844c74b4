// Archived sessions' sandboxes that could not be released at archive time, retried in the
// background by every `runyard start` process (SessionService.releaseLeftoverSandboxes).
import { DEFAULT_ENGINE_CONFIG } from '@runyard/engine'
import { LEFTOVER_SANDBOX_SWEEP_MS, type SessionService } from '@runyard/services'
import type { Logger } from './logger.ts'

/**
 * How far the sweep runs out of phase with the engine's reaper, which ticks every
 * `reapIntervalMs` (5 s) from the engine's start, just before the server listens, and with the
 * webhook sweep (every 10 s, 2.5 s after the reaper's ticks). A minute after listening, in phase,
 * every sweep's statement met a reaper tick's, and on an idle server the shared pool kept, or
 * opened again, a second connection (a PostgreSQL backend) for ~10 s each minute.
 */
export const LEFTOVER_SANDBOX_SWEEP_PHASE_MS = (DEFAULT_ENGINE_CONFIG.reapIntervalMs * 3) / 4

/** Starts the sweep: every LEFTOVER_SANDBOX_SWEEP_MS, LEFTOVER_SANDBOX_SWEEP_PHASE_MS after a whole period. */
export function startLeftoverSandboxSweep(
  sessions: Pick<SessionService, 'releaseLeftoverSandboxes'>,
  log: Pick<Logger, 'error'>,
): { stop(): Promise<void> } {
  let sweeping: Promise<unknown> | undefined
  const sweep = () => {
    sweeping ??= sessions
      .releaseLeftoverSandboxes()
      .catch((err: unknown) => log.error({ err }, "releasing archived sessions' leftover sandboxes failed"))
      .finally(() => (sweeping = undefined))
  }
  let timer = setTimeout(() => {
    timer = setInterval(sweep, LEFTOVER_SANDBOX_SWEEP_MS).unref()
    sweep()
  }, LEFTOVER_SANDBOX_SWEEP_MS + LEFTOVER_SANDBOX_SWEEP_PHASE_MS).unref()
  return {
    async stop() {
      clearTimeout(timer)
      clearInterval(timer)
      await sweeping
    },
  }
}
