// Sessions of this account: lifecycle state and token usage (kept current by `runs.changes`),
// create, archive.
import type { Session } from '@runyard/contract'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Link, useLocation } from 'wouter'
import { ConfirmButton } from '../../components/ConfirmButton.tsx'
import { DataTable, type Column } from '../../components/DataTable.tsx'
import { useDialogAction } from '../../components/Dialog.tsx'
import { EmptyState, ErrorNotice, Loading } from '../../components/Feedback.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { LifecycleBadge } from '../../components/StatusBadge.tsx'
import { Tokens } from '../../components/Tokens.tsx'
import { errorMessage } from '../../lib/errors.ts'
import { timeAgo } from '../../lib/format.ts'
import { useTRPC } from '../../lib/trpc.ts'
import { useNow } from '../../lib/use-now.ts'
import { modelName, SANDBOX_LABELS, sessionSource, sessionTitle } from './labels.ts'
import { NewSessionForm } from './NewSessionForm.tsx'

const SESSION_COLUMNS: Column[] = [
  { label: 'Session' },
  { label: 'Sandbox', kind: 'optional' },
  { label: 'Model' },
  { label: 'State' },
  { label: 'Tokens', kind: 'num' },
  { label: 'Updated', kind: 'optional' },
  { label: 'Actions', hidden: true },
]

export function SessionsPage() {
  const trpc = useTRPC()
  const [, navigate] = useLocation()
  const [showArchived, setShowArchived] = useState(false)
  const sessions = useQuery(trpc.sessions.list.queryOptions({ limit: 500 }))
  const now = useNow(30_000)

  const all = sessions.data ?? []
  const visible = showArchived ? all : all.filter((s) => s.lifecycleState !== 'archived')
  const archivedCount = all.length - all.filter((s) => s.lifecycleState !== 'archived').length
  const create = useDialogAction({
    label: 'New session',
    title: 'New session',
    form: (close) => (
      <NewSessionForm onCancel={close} onCreated={({ session }) => navigate(`/sessions/${session.id}`)} />
    ),
  })

  return (
    <>
      <PageHeader
        title="Sessions"
        description="A session is an agent's environment: a workspace or repository, a sandbox and a model. Open one to chat with its agent."
        actions={create.button}
      />
      {create.dialog}

      {sessions.isPending && <Loading what="sessions" />}
      {sessions.isError && (
        <ErrorNotice title="Could not load sessions" error={sessions.error} onRetry={() => void sessions.refetch()} />
      )}
      {sessions.isSuccess && all.length === 0 && (
        <EmptyState title="No sessions yet" action={create.button}>
          <p>
            Create a session to give an agent a workspace, then send it a message. Runs started through the API also
            appear here.
          </p>
        </EmptyState>
      )}
      {sessions.isSuccess && all.length > 0 && (
        <section className="card card-flush">
          <div className="table-toolbar">
            <span className="muted">
              {visible.length} {visible.length === 1 ? 'session' : 'sessions'}
            </span>
            {archivedCount > 0 && (
              <label className="checkbox">
                <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} />
                Show archived ({archivedCount})
              </label>
            )}
          </div>
          {visible.length === 0 ? (
            <p className="table-empty">
              All sessions are archived. Tick “Show archived” to see them, or create a new one.
            </p>
          ) : (
            <DataTable label="Sessions" columns={SESSION_COLUMNS}>
              {visible.map((s) => (
                <SessionRow key={s.id} session={s} now={now} />
              ))}
            </DataTable>
          )}
        </section>
      )}
    </>
  )
}

function SessionRow({ session: s, now }: { session: Session; now: number }) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const archive = useMutation(
    trpc.sessions.archive.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries(trpc.sessions.pathFilter()),
    }),
  )
  return (
    <tr data-session-id={s.id}>
      <td className="cell-main">
        <Link href={`/sessions/${s.id}`} className="row-link">
          {sessionTitle(s)}
        </Link>
        <div className="cell-sub mono" title={sessionSource(s)}>
          {sessionSource(s)}
        </div>
      </td>
      <td className="nowrap col-optional">{SANDBOX_LABELS[s.sandboxType].name}</td>
      <td className="mono small nowrap" title={s.modelId}>
        {modelName(s.modelId)}
      </td>
      <td>
        <LifecycleBadge state={s.lifecycleState} />
      </td>
      <td className="num">
        <Tokens usage={s.tokenUsage} />
      </td>
      <td className="nowrap col-optional" title={s.updatedAt}>
        {timeAgo(s.updatedAt, now)}
      </td>
      <td className="actions">
        {s.lifecycleState !== 'archived' && (
          <ConfirmButton
            label="Archive"
            confirmLabel="Archive"
            question="Archive this session?"
            busy={archive.isPending}
            onConfirm={() => archive.mutate({ sessionId: s.id })}
          />
        )}
        {archive.isError && (
          <span className="error-text" role="alert">
            {errorMessage(archive.error)}
          </span>
        )}
      </td>
    </tr>
  )
}
