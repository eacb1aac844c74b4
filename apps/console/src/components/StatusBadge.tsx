import type { LifecycleState, RunStatus } from '@runyard/contract'

const RUN_TONE: Record<RunStatus, string> = {
  queued: 'neutral',
  running: 'info',
  completed: 'success',
  failed: 'danger',
  cancelled: 'muted',
}

const LIFECYCLE_TONE: Record<LifecycleState, string> = {
  provisioning: 'neutral',
  active: 'success',
  hibernating: 'neutral',
  hibernated: 'neutral',
  restoring: 'info',
  archived: 'muted',
  failed: 'danger',
}

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <span className={`badge badge-${RUN_TONE[status]}`} data-status={status}>
      {status === 'running' && <span className="pulse" aria-hidden="true" />}
      {status}
    </span>
  )
}

/** What each state means for the user, shown on hover. */
export const LIFECYCLE_HINTS: Record<LifecycleState, string> = {
  provisioning: 'No run has opened a sandbox for this session yet.',
  active: 'The sandbox is ready for the next run.',
  hibernating: 'Idle: the sandbox is being paused. A new message waits for the pause, then resumes it.',
  hibernated: 'Idle: the sandbox is paused (files kept, nothing running). The next message resumes it.',
  restoring: 'A run is resuming the paused sandbox.',
  archived: 'Archived: its sandbox was released and no new runs can start.',
  failed: 'The sandbox could not be set up; the next run tries again.',
}

export function LifecycleBadge({ state }: { state: LifecycleState }) {
  return (
    <span className={`badge badge-${LIFECYCLE_TONE[state]}`} data-state={state} title={LIFECYCLE_HINTS[state]}>
      {state}
    </span>
  )
}
