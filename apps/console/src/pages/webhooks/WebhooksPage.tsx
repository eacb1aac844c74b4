// The account's webhook endpoints: where Runyard POSTs a signed message when a run ends or waits
// for the client. Add one (its signing secret is shown once), enable or disable it, open it for
// its delivery log and the rest.
import type { WebhookEndpoint } from '@runyard/contract'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Link } from 'wouter'
import { useSystemInfo } from '../../app/system-info.tsx'
import { DataTable, type Column } from '../../components/DataTable.tsx'
import { useDialogAction } from '../../components/Dialog.tsx'
import { EmptyState, ErrorNotice, Loading } from '../../components/Feedback.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { timeAgo } from '../../lib/format.ts'
import { useTRPC } from '../../lib/trpc.ts'
import { useNow } from '../../lib/use-now.ts'
import type { RouterOutputs } from '../../lib/types.ts'
import { EnabledToggle, EndpointStateBadge, SigningSecret } from './endpoint-parts.tsx'
import { EndpointForm } from './EndpointForm.tsx'

const ENDPOINT_COLUMNS: Column[] = [
  { label: 'Endpoint' },
  { label: 'Messages', kind: 'optional' },
  { label: 'State' },
  { label: 'Last delivered' },
  { label: 'Actions', hidden: true },
]

export function WebhooksPage() {
  const info = useSystemInfo()
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const endpoints = useQuery(trpc.webhooks.list.queryOptions())
  const [created, setCreated] = useState<RouterOutputs['webhooks']['create'] | null>(null)
  const now = useNow(60_000)
  const add = useDialogAction({
    label: 'Add endpoint',
    title: 'Add a webhook endpoint',
    form: (close) => (
      <EndpointForm
        onCancel={close}
        onCreated={(c) => {
          // listed at once, not after the list is read again
          queryClient.setQueryData(
            trpc.webhooks.list.queryKey(),
            (list) => list && [c.endpoint, ...list.filter((e) => e.id !== c.endpoint.id)],
          )
          close()
          setCreated(c)
        }}
      />
    ),
  })

  return (
    <>
      <PageHeader
        title="Webhooks"
        description={
          <>
            Endpoints of account <span className="mono">{info.accountId}</span>. When a run ends (
            <code>run.completed</code>, <code>run.failed</code>, <code>run.cancelled</code>) or waits for client tool
            output (<code>run.waiting</code>), each endpoint gets a JSON message signed as{' '}
            <a href="https://www.standardwebhooks.com" target="_blank" rel="noreferrer">
              Standard Webhooks
            </a>{' '}
            specifies; failed deliveries are retried on the server’s schedule (about a day by default).
          </>
        }
        actions={add.button}
      />
      {add.dialog}
      {created && (
        <SigningSecret secret={created.secret} onDone={() => setCreated(null)}>
          Endpoint <Link href={`/webhooks/${created.endpoint.id}`}>{created.endpoint.url}</Link> added. Copy its signing
          secret now — it will not be shown again.
        </SigningSecret>
      )}

      {endpoints.isPending && <Loading what="webhook endpoints" />}
      {endpoints.isError && (
        <ErrorNotice
          title="Could not load webhook endpoints"
          error={endpoints.error}
          onRetry={() => void endpoints.refetch()}
        />
      )}
      {endpoints.isSuccess && endpoints.data.length === 0 && (
        <EmptyState title="No webhook endpoints" action={add.button}>
          <p>Add one to have a service told when runs finish, instead of polling or holding a stream open.</p>
        </EmptyState>
      )}
      {endpoints.isSuccess && endpoints.data.length > 0 && (
        <section className="card card-flush">
          <DataTable label="Webhook endpoints" columns={ENDPOINT_COLUMNS}>
            {endpoints.data.map((e) => (
              <EndpointRow key={e.id} endpoint={e} now={now} />
            ))}
          </DataTable>
        </section>
      )}
    </>
  )
}

function EndpointRow({ endpoint: e, now }: { endpoint: WebhookEndpoint; now: number }) {
  return (
    <tr data-endpoint-id={e.id} className={e.enabled ? undefined : 'row-dim'}>
      <td className="cell-main">
        <Link href={`/webhooks/${e.id}`} className="row-link mono wrap-anywhere">
          {e.url}
        </Link>
        {e.description && <div className="cell-sub">{e.description}</div>}
      </td>
      <td className="col-optional">
        <span className="mono small">{e.eventTypes.join(', ')}</span>
      </td>
      <td title={e.disabledReason ?? undefined}>
        <EndpointStateBadge endpoint={e} />
      </td>
      <td className="nowrap">
        {e.lastSuccessAt ? (
          <span title={e.lastSuccessAt}>{timeAgo(e.lastSuccessAt, now)}</span>
        ) : (
          <span className="muted">never</span>
        )}
      </td>
      <td className="actions">
        <EnabledToggle endpoint={e} />
      </td>
    </tr>
  )
}
