// Subscribes to one run's event log (`runs.events`) and folds it. The subscription replays the
// log from the start and then tails it; tRPC's SSE link resumes after the last seen event id on
// reconnects, and the fold ignores anything it has already applied.
import type { StoredRunEvent } from '@runyard/contract'
import { skipToken } from '@tanstack/react-query'
import { useSubscription } from '@trpc/tanstack-react-query'
import { useCallback, useReducer } from 'react'
import { applyEvent, emptyLiveRun, type LiveRun } from './run-fold.ts'
import { useTRPC } from './trpc.ts'

function reducer(state: LiveRun | null, e: StoredRunEvent): LiveRun {
  const base = state && state.runId === e.runId ? state : emptyLiveRun(e.runId)
  return applyEvent(base, e)
}

export interface RunEventsResult {
  /** The folded run; null until its first event arrives. */
  run: LiveRun | null
  /** The stream failed for good (not a reconnect): message for the user. */
  error: string | null
  connecting: boolean
  retry(): void
}

export function useRunEvents(runId: string | null, onEvent?: (e: StoredRunEvent) => void): RunEventsResult {
  const trpc = useTRPC()
  const [state, dispatch] = useReducer(reducer, null)
  const sub = useSubscription(
    trpc.runs.events.subscriptionOptions(runId ? { runId } : skipToken, {
      onData: useCallback(
        (d: { data: unknown }) => {
          // The server yields contract StoredRunEvents; tRPC's inferred wire type only differs in
          // making `unknown` fields optional (JSON serialisation), so this cast is exact.
          const e = d.data as StoredRunEvent
          dispatch(e)
          onEvent?.(e)
        },
        [onEvent],
      ),
    }),
  )
  const run = state && state.runId === runId ? state : null
  return {
    run,
    error: sub.status === 'error' ? (sub.error?.message ?? 'The live stream failed.') : null,
    connecting: sub.status === 'connecting' && !run?.done,
    retry: sub.reset,
  }
}
