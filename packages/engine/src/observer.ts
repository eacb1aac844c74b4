// What the engine tells observers in its own process as runs go by: admitted, claimed, events
// written, finished. Metrics, the run-end log line and other in-process consumers hang off this;
// the engine knows none of them. Observers are called synchronously after the database has
// committed what they are told about, with objects the engine already holds (no extra query, no
// copy per event); they must be quick and must not throw (a throw is logged and ignored).
import type { RunEvent, RunStatus } from '@runyard/contract'
import type { RunView } from './run-row.ts'
import type { Logger } from './types.ts'

/** The identity of a run as every notification carries it (the run row itself, not a copy). */
export type ObservedRun = Pick<RunView, 'id' | 'accountId' | 'chatId' | 'sessionId' | 'kind' | 'model' | 'createdAt'>

/** One event appended to a run's log, with its seq. */
export interface WrittenEvent {
  readonly seq: number
  readonly event: RunEvent
}

export interface RunAdmitted {
  /** The run as admitted: `queued` (waiting for its chat when it was admitted behind a busy one). */
  run: RunView
  /** The API surface the request came through, when the caller said (in-process only, not stored). */
  surface: string | undefined
}

export interface RunClaimed {
  /**
   * The claimed row: the same object as `run` in every eventsWritten of this execution, so an
   * observer may keep per-execution state in a WeakMap keyed on it.
   */
  run: ObservedRun & { attempt: number; startedAt: Date | null }
  /** A later attempt continuing a run an earlier attempt started (resume from its checkpoint). */
  resumed: boolean
}

export interface EventsWritten {
  run: ObservedRun
  /** In seq order; the array is the writer's own batch: read it now, do not keep or change it. */
  events: readonly WrittenEvent[]
  /** When the database stored them (its clock, as the run's `createdAt`). */
  at: Date
}

export interface RunFinished {
  /** The run as finished: terminal status, error, usage totals, `startedAt` and `finishedAt`. */
  run: RunView & { status: Extract<RunStatus, 'completed' | 'failed' | 'cancelled'> }
}

/** Every method is optional; the engine calls those an observer has. */
export interface EngineObserver {
  /** A run was admitted (committed), in the process that admitted it. */
  runAdmitted?(e: RunAdmitted): void
  /** A worker of this process claimed a run for an execution attempt and is about to execute it. */
  runClaimed?(e: RunClaimed): void
  /** Events were committed to a run's log by this process (admission, claim, executions, finish). */
  eventsWritten?(e: EventsWritten): void
  /** This process finished a run (its worker, the reaper, or a cancel): once per run, by whoever finished it. */
  runFinished?(e: RunFinished): void
}

/** The engine's single observer: calls each of `observers` in turn, isolating their failures. */
export function combineObservers(observers: readonly EngineObserver[], log: Logger): Required<EngineObserver> {
  const failed = new Set<EngineObserver>()
  const each = <K extends keyof EngineObserver>(method: K) => {
    const targets = observers.filter((o) => typeof o[method] === 'function')
    return (e: Parameters<Required<EngineObserver>[K]>[0]) => {
      for (const o of targets) {
        try {
          ;(o[method] as (arg: typeof e) => void)(e)
        } catch (err) {
          // Once per observer: an observer failing on every event must not flood the log.
          if (!failed.has(o))
            log.error(
              { err, hook: method },
              'an engine observer threw (ignored; further failures of it are not logged)',
            )
          failed.add(o)
        }
      }
    }
  }
  return {
    runAdmitted: each('runAdmitted'),
    runClaimed: each('runClaimed'),
    eventsWritten: each('eventsWritten'),
    runFinished: each('runFinished'),
  }
}
