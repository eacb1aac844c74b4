// One webhook endpoint: its settings and state (why Runyard disabled it, if it did), edit, enable
// or disable, rotate the signing secret (the new one is shown once), delete, and its delivery log.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Link, useLocation } from 'wouter'
import { ConfirmButton } from '../../components/ConfirmButton.tsx'
import { Dialog } from '../../components/Dialog.tsx'
import { ErrorNotice, LoadError, Loading } from '../../components/Feedback.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { dateTime, shortId } from '../../lib/format.ts'
import { useTRPC } from '../../lib/trpc.ts'
import { DeliveryLog } from './DeliveryLog.tsx'
import { EnabledToggle, EndpointStateBadge, SigningSecret } from './endpoint-parts.tsx'
import { EndpointForm } from './EndpointForm.tsx'
import { EVENT_TYPE_HINTS } from './labels.ts'

export function WebhookEndpointPage({ endpointId }: { endpointId: string }) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const [, navigate] = useLocation()
  const endpoint = useQuery(trpc.webhooks.get.queryOptions({ endpointId }))
  const [editing, setEditing] = useState(false)
  const [secret, setSecret] = useState<string | null>(null)
  const rotate = useMutation(
    trpc.webhooks.rotateSecret.mutationOptions({
      onSuccess: (r) => {
        setSecret(r.secret)
        queryClient.setQueryData(trpc.webhooks.get.queryKey({ endpointId }), r.endpoint)
      },
    }),
  )
  const remove = useMutation(
    trpc.webhooks.delete.mutationOptions({
      onSuccess: () => {
        // leave first: this page's queries would otherwise be read again and answer 404
        navigate('/webhooks')
        queryClient.removeQueries(trpc.webhooks.get.queryFilter({ endpointId }))
        queryClient.removeQueries(trpc.webhooks.deliveries.queryFilter({ endpointId }))
        void queryClient.invalidateQueries(trpc.webhooks.list.queryFilter())
      },
    }),
  )

  if (endpoint.isPending) return <Loading what="the webhook endpoint" />
  if (endpoint.isError)
    return (
      <LoadError
        error={endpoint.error}
        what="the webhook endpoint"
        notFound="Webhook endpoint not found"
        reason="It was deleted, or it belongs to another account."
        back={{ href: '/webhooks', label: 'All endpoints' }}
        onRetry={() => void endpoint.refetch()}
      />
    )
  const e = endpoint.data
  return (
    <>
      <PageHeader
        eyebrow={
          <>
            <Link href="/webhooks">Webhooks</Link> / <span className="mono">{shortId(e.id)}</span>
          </>
        }
        title={
          <span className="title-with-badge">
            Endpoint <span className="mono title-id wrap-anywhere">{e.url}</span> <EndpointStateBadge endpoint={e} />
          </span>
        }
        description={e.description || undefined}
        actions={
          <>
            <button type="button" className="btn btn-secondary" onClick={() => setEditing(true)}>
              Edit
            </button>
            <EnabledToggle endpoint={e} className="btn btn-secondary" />
            <ConfirmButton
              label="Rotate secret"
              confirmLabel="Rotate"
              question="Rotate the signing secret? Receivers need the new one: the old one stops verifying at once."
              busy={rotate.isPending}
              className="btn btn-secondary"
              onConfirm={() => rotate.mutate({ endpointId })}
            />
            <ConfirmButton
              label="Delete"
              confirmLabel="Delete"
              question="Delete this endpoint and its delivery log? Messages not delivered yet are dropped."
              busy={remove.isPending}
              className="btn btn-secondary"
              onConfirm={() => remove.mutate({ endpointId })}
            />
          </>
        }
      />
      <Dialog open={editing} onClose={() => setEditing(false)} title="Edit the webhook endpoint" wide>
        <EndpointForm
          endpoint={e}
          onCancel={() => setEditing(false)}
          onSaved={(saved) => {
            queryClient.setQueryData(trpc.webhooks.get.queryKey({ endpointId }), saved)
            setEditing(false)
          }}
        />
      </Dialog>
      {rotate.isError && <ErrorNotice title="Could not rotate the secret" error={rotate.error} />}
      {remove.isError && <ErrorNotice title="Could not delete the endpoint" error={remove.error} />}
      {secret && (
        <SigningSecret secret={secret} onDone={() => setSecret(null)}>
          New signing secret. Copy it now — it will not be shown again.
        </SigningSecret>
      )}
      {!e.enabled && (
        <div
          className={`notice ${e.disabledReason ? 'notice-danger' : 'notice-warning'}`}
          role="note"
          data-testid="endpoint-disabled"
        >
          <div>
            <strong>This endpoint is disabled: it receives no messages.</strong>
            <p>
              {e.disabledReason ??
                'It was disabled from this account. Enable it to receive messages again (runs that ended meanwhile are not sent).'}
            </p>
          </div>
        </div>
      )}
      <section className="card facts" aria-label="Endpoint facts">
        <dl>
          <dt>Messages</dt>
          <dd>
            <ul className="plain-list">
              {e.eventTypes.map((t) => (
                <li key={t}>
                  <span className="mono">{t}</span> <span className="muted">— {EVENT_TYPE_HINTS[t]}</span>
                </li>
              ))}
            </ul>
          </dd>
          <dt>Last delivered</dt>
          <dd>{e.lastSuccessAt ? dateTime(e.lastSuccessAt) : <span className="muted">never</span>}</dd>
          {e.failingSince && (
            <>
              <dt>Failing since</dt>
              <dd>{dateTime(e.failingSince)}</dd>
            </>
          )}
          <dt>Created</dt>
          <dd>{dateTime(e.createdAt)}</dd>
          <dt>Endpoint id</dt>
          <dd className="mono">{e.id}</dd>
        </dl>
      </section>
      <DeliveryLog endpoint={e} />
    </>
  )
}
