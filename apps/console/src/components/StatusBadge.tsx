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
  hibernating: 'muted',
  hibernated: 'muted',
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

export function LifecycleBadge({ state }: { state: LifecycleState }) {
  return (
    <span className={`badge badge-${LIFECYCLE_TONE[state]}`} data-state={state}>
      {state}
    </span>
  )
}
