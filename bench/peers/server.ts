// What the benchmark needs to know of each server it compares: how to start it on a state folder
// of its own, where it says it is healthy, and how to run the task on it.
import type { ProcessMemory } from '../lib/pss.ts'
import type { Command } from './process.ts'

export interface LaunchOptions {
  /** A folder the server owns for the whole measurement (both of its starts use it). */
  state: string
  port: number
  /** The scripted model's base URL (…/v1). */
  modelUrl: string
}

export interface ServerKind {
  /** Short name for the command line (`--only`) and logs. */
  id: string
  /** Name in the tables. */
  label: string
  /** Runyard is compared with the best of the peers. */
  isRunyard: boolean
  /** The command that starts it (preparing `state` on first use). */
  command(options: LaunchOptions): Command
  healthPath: string
  /** Opens what the driver needs (opencode: its event stream) once the server is healthy. */
  connect(baseUrl: string): Promise<Driver>
  /**
   * Processes of its tree that only launch the server (`npm start`'s npm): measured with the tree,
   * and left out of the server's own figure (issue #21 counts the server and its PostgreSQL).
   */
  isLauncher?(p: ProcessMemory): boolean
}

export interface Driver {
  /** Runs the task once, checks the outcome (throws when it is wrong), and times it. */
  run(label: string): Promise<RunTiming>
  close(): void
}

export interface RunTiming {
  /** From the first request of the run until the client knows it has finished. */
  latencyMs: number
  /** From the first request of the run until its first streamed event arrived. */
  firstEventMs: number
  /** Runyard only: from its 202 (the run admitted) until the run's first event arrived on its stream. */
  acceptedToFirstEventMs?: number
}

/** The variables every server is started with: nothing inherited that could change what it does. */
export function baseEnv(extra: Record<string, string>): Record<string, string> {
  const keep = ['PATH', 'HOME', 'USER', 'LANG', 'TZ']
  const env: Record<string, string> = { LANG: 'C.UTF-8', TERM: 'dumb', NO_COLOR: '1' }
  for (const name of keep) if (process.env[name]) env[name] = process.env[name]
  return { ...env, ...extra }
}
