// Under an assistant turn: how its run went (status when not plain success, error), model,
// tokens, duration, and a link to the run's timeline.
import type { Run } from '@runyard/contract'
import { Link } from 'wouter'
import { RunStatusBadge } from '../../components/StatusBadge.tsx'
import { formatCount, formatDuration, spanMs } from '../../lib/format.ts'
import { useNow } from '../../lib/use-now.ts'

export function TurnFooter({ run }: { run: Run }) {
  const active = run.status === 'queued' || run.status === 'running'
  const now = useNow(1000, active)
  const ms = spanMs(run.startedAt, run.finishedAt, now)
  const tokens = run.usage.inputTokens + run.usage.outputTokens
  return (
    <div className="turn-footer">
      {run.status !== 'completed' && <RunStatusBadge status={run.status} />}
      <span>{run.model}</span>
      {tokens > 0 && (
        <span title={`${run.usage.inputTokens} input, ${run.usage.outputTokens} output tokens`}>
          {formatCount(run.usage.inputTokens)} in · {formatCount(run.usage.outputTokens)} out
        </span>
      )}
      {ms !== null && <span>{formatDuration(ms)}</span>}
      <Link href={`/runs/${run.id}`}>Run details</Link>
    </div>
  )
}
