// One run: status and facts from `runs.get` (refreshed by `runs.changes`), the event timeline
// from `runs.events` (replayed, then live while the run goes on), usage, error, cancel.
import { useMutation, useQuery } from '@tanstack/react-query'
import { Link } from 'wouter'
import { CopyButton } from '../../components/CopyButton.tsx'
import { ErrorNotice, LoadError, Loading } from '../../components/Feedback.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { RunStatusBadge } from '../../components/StatusBadge.tsx'
import { dateTime, formatCount, formatDuration, shortId, spanMs } from '../../lib/format.ts'
import { useTRPC } from '../../lib/trpc.ts'
import { useNow } from '../../lib/use-now.ts'
import { useRunEvents } from '../../lib/use-run-events.ts'
import { Timeline } from './Timeline.tsx'

export function RunDetailPage({ runId }: { runId: string }) {
  const trpc = useTRPC()
  const run = useQuery(trpc.runs.get.queryOptions({ runId }))
  const session = useQuery({
    ...trpc.sessions.get.queryOptions({ sessionId: run.data?.sessionId ?? '' }),
    enabled: run.isSuccess,
  })
  const events = useRunEvents(run.isSuccess ? runId : null)
  const cancel = useMutation(trpc.runs.cancel.mutationOptions())
  const active = run.data?.status === 'queued' || run.data?.status === 'running'
  const now = useNow(1000, active)

  if (run.isPending) return <Loading what="the run" />
  if (run.isError)
    return (
      <LoadError
        error={run.error}
        what="the run"
        notFound="Run not found"
        back={{ href: '/runs', label: 'All runs' }}
        onRetry={() => void run.refetch()}
      />
    )
  const r = run.data
  const ms = spanMs(r.startedAt, r.finishedAt, now)
  const waited = spanMs(r.createdAt, r.startedAt, now)
  return (
    <>
      <PageHeader
        eyebrow={
          <>
            <Link href="/runs">Runs</Link> / <span className="mono">{shortId(r.id)}</span>
          </>
        }
        title={
          <span className="title-with-badge">
            Run <span className="mono title-id">{r.id}</span> <RunStatusBadge status={r.status} />
          </span>
        }
        actions={
          active ? (
            <button
              type="button"
              className="btn btn-stop"
              disabled={cancel.isPending}
              onClick={() => cancel.mutate({ runId })}
            >
              <span className="stop-square" aria-hidden="true" />
              {cancel.isPending ? 'Cancelling…' : 'Cancel run'}
            </button>
          ) : undefined
        }
      />
      {cancel.isError && <ErrorNotice title="Could not cancel" error={cancel.error} />}
      {r.error && (
        <div className="notice notice-danger" role="alert">
          <div>
            <strong>Run {r.status}</strong> <span className="mono">({r.error.code})</span>
            <p>{r.error.message}</p>
          </div>
        </div>
      )}
      <div className="detail-grid">
        <section className="card facts" aria-label="Run facts">
          <dl>
            <dt>Kind</dt>
            <dd>
              <span className={`kind kind-${r.kind}`}>{r.kind}</span>
            </dd>
            <dt>Session</dt>
            <dd>
              <Link href={`/sessions/${r.sessionId}`}>{session.data?.title.trim() || shortId(r.sessionId)}</Link>
            </dd>
            <dt>Model</dt>
            <dd className="mono">{r.model}</dd>
            <dt>Created</dt>
            <dd>{dateTime(r.createdAt)}</dd>
            <dt>Started</dt>
            <dd>
              {dateTime(r.startedAt)}
              {waited !== null && waited > 1000 && <span className="muted"> (queued {formatDuration(waited)})</span>}
            </dd>
            <dt>Finished</dt>
            <dd>{dateTime(r.finishedAt)}</dd>
            <dt>Duration</dt>
            <dd>{ms === null ? '—' : formatDuration(ms)}</dd>
            <dt>Attempt</dt>
            <dd>{r.attempt}</dd>
            {r.responseId && (
              <>
                <dt>Response</dt>
                <dd className="mono">{r.responseId}</dd>
              </>
            )}
            {r.traceId && (
              <>
                <dt>Trace</dt>
                <dd>
                  <span className="mono" title="OpenTelemetry trace id: look it up in your tracing backend">
                    {r.traceId}
                  </span>{' '}
                  <CopyButton text={r.traceId} label="Copy trace id" />
                </dd>
              </>
            )}
          </dl>
        </section>
        <section className="card usage" aria-label="Token usage">
          <h2 className="card-title">Usage</h2>
          <div className="usage-grid">
            <div>
              <div className="stat">{formatCount(r.usage.inputTokens)}</div>
              <div className="stat-label">input tokens</div>
            </div>
            <div>
              <div className="stat">{formatCount(r.usage.outputTokens)}</div>
              <div className="stat-label">output tokens</div>
            </div>
            <div>
              <div className="stat">{formatCount(r.usage.cacheRead)}</div>
              <div className="stat-label">cache read</div>
            </div>
            <div>
              <div className="stat">{formatCount(r.usage.cacheWrite)}</div>
              <div className="stat-label">cache write</div>
            </div>
          </div>
        </section>
      </div>
      <section className="card">
        <div className="card-head">
          <h2 className="card-title">Timeline</h2>
          <span className="muted small">
            {events.run ? `${events.run.lastSeq} events` : ''}
            {events.run && !events.run.done && (
              <span className="live-indicator">
                <span className="pulse" aria-hidden="true" /> Live
              </span>
            )}
          </span>
        </div>
        {events.error && <ErrorNotice title="The event stream stopped" error={events.error} onRetry={events.retry} />}
        {!events.run && !events.error && <Loading what="events" />}
        {events.run && <Timeline events={events.run.events} />}
        {cancel.isSuccess && !cancel.data.finishedAt && (
          <p className="muted small">Cancellation requested; the run stops in a moment.</p>
        )}
      </section>
    </>
  )
}
