// Runs across all chats of the account, newest first. `runs.changes` (see live-updates.ts)
// refreshes the table whenever a run is created or changes status.
import { RUN_STATUSES, type Run, type RunStatus } from '@runyard/contract'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { Link } from 'wouter'
import { DataTable, type Column } from '../../components/DataTable.tsx'
import { useDialogAction } from '../../components/Dialog.tsx'
import { EmptyState, ErrorNotice, Loading } from '../../components/Feedback.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { RunStatusBadge } from '../../components/StatusBadge.tsx'
import { Tokens } from '../../components/Tokens.tsx'
import { formatDuration, shortId, spanMs, timeAgo } from '../../lib/format.ts'
import { useTRPC } from '../../lib/trpc.ts'
import { useNow } from '../../lib/use-now.ts'
import { modelName, sessionTitle } from '../sessions/labels.ts'
import { StartRunForm } from './StartRunForm.tsx'

const RUN_COLUMNS: Column[] = [
  { label: 'Run' },
  { label: 'Status' },
  { label: 'Kind' },
  { label: 'Session' },
  { label: 'Model' },
  { label: 'Duration', kind: 'num' },
  { label: 'Tokens', kind: 'num' },
  { label: 'Actions', hidden: true },
]

export function RunsPage() {
  const trpc = useTRPC()
  const [status, setStatus] = useState<RunStatus | ''>('')
  const [startedId, setStartedId] = useState<string | null>(null)
  const runs = useQuery(trpc.runs.list.queryOptions({ limit: 200, ...(status ? { status } : {}) }))
  const sessions = useQuery(trpc.sessions.list.queryOptions({ limit: 500 }))
  const titles = new Map((sessions.data ?? []).map((s) => [s.id, sessionTitle(s)]))
  const anyActive = (runs.data ?? []).some((r) => r.status === 'running' || r.status === 'queued')
  // ticks every second while something runs (durations), else slowly ("2 minutes ago")
  const now = useNow(anyActive ? 1000 : 30_000)
  const start = useDialogAction({
    label: 'Start async run',
    title: 'Start an async run',
    form: (close) => (
      <StartRunForm
        onCancel={close}
        onStarted={(id) => {
          close()
          setStartedId(id)
        }}
      />
    ),
  })

  return (
    <>
      <PageHeader
        title="Runs"
        description="Every agent run of this account — chat turns, async runs and Responses API calls — updated live."
        actions={start.button}
      />
      {start.dialog}
      {startedId && (
        <div className="notice notice-info" role="status">
          <span>
            Run{' '}
            <Link href={`/runs/${startedId}`} className="mono">
              {shortId(startedId)}
            </Link>{' '}
            started. Its status updates below as it runs.
          </span>
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => setStartedId(null)}
            aria-label="Dismiss"
          >
            ×
          </button>
        </div>
      )}
      <section className="card card-flush">
        <div className="table-toolbar">
          <label className="inline-field">
            <span>Status</span>
            <select value={status} onChange={(e) => setStatus(e.target.value as RunStatus | '')}>
              <option value="">All</option>
              {RUN_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          {anyActive && (
            <span className="live-indicator">
              <span className="pulse" aria-hidden="true" /> Live
            </span>
          )}
        </div>
        {runs.isPending && <Loading what="runs" />}
        {runs.isError && (
          <ErrorNotice title="Could not load runs" error={runs.error} onRetry={() => void runs.refetch()} />
        )}
        {runs.isSuccess && runs.data.length === 0 && (
          <EmptyState title={status ? `No ${status} runs` : 'No runs yet'} action={status ? undefined : start.button}>
            <p>
              {status
                ? 'Choose another status to see more.'
                : 'Runs appear here when you chat in a session, start an async run, or call the API.'}
            </p>
          </EmptyState>
        )}
        {runs.isSuccess && runs.data.length > 0 && (
          <DataTable label="Runs" columns={RUN_COLUMNS}>
            {runs.data.map((r) => (
              <RunRow key={r.id} run={r} title={titles.get(r.sessionId)} now={now} highlight={r.id === startedId} />
            ))}
          </DataTable>
        )}
      </section>
    </>
  )
}

function RunRow({
  run: r,
  title,
  now,
  highlight,
}: {
  run: Run
  title: string | undefined
  now: number
  highlight: boolean
}) {
  const trpc = useTRPC()
  const cancel = useMutation(trpc.runs.cancel.mutationOptions())
  const active = r.status === 'queued' || r.status === 'running'
  const ms = spanMs(r.startedAt, r.finishedAt, now)
  return (
    <tr data-run-id={r.id} className={highlight ? 'row-highlight' : undefined}>
      <td className="nowrap">
        <Link href={`/runs/${r.id}`} className="row-link mono">
          {shortId(r.id)}
        </Link>
        <div className="cell-sub" title={r.createdAt}>
          {timeAgo(r.createdAt, now)}
        </div>
      </td>
      <td>
        <RunStatusBadge status={r.status} />
      </td>
      <td className="nowrap">
        <span className={`kind kind-${r.kind}`}>{r.kind}</span>
      </td>
      <td className="cell-main cell-ellipsis">
        <Link href={`/sessions/${r.sessionId}`} title={title}>
          {title ?? shortId(r.sessionId)}
        </Link>
      </td>
      <td className="mono small nowrap" title={r.model}>
        {modelName(r.model)}
      </td>
      <td className="num nowrap">{ms === null ? '—' : formatDuration(ms)}</td>
      <td className="num">
        <Tokens usage={r.usage} />
      </td>
      <td className="actions">
        {active && (
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate({ runId: r.id })}
            aria-label={`Cancel run ${shortId(r.id)}`}
          >
            {cancel.isPending ? 'Cancelling…' : 'Cancel'}
          </button>
        )}
      </td>
    </tr>
  )
}
