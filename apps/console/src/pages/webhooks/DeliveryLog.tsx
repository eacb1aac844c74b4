// An endpoint's delivery log, newest first in pages of 50: each message's type, run, status,
// attempts, last answer or error and times, with a Redeliver button. Deliveries happen in worker
// processes and nothing notifies the console of them, so while a message is pending the log is
// re-read (every 2 s when its next attempt is within a minute, else every 30 s); a run finishing
// (which stores new messages) refreshes it through the console's `runs.changes` subscription.
import type { WebhookDelivery, WebhookDeliveryPage, WebhookEndpoint } from '@runyard/contract'
import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { Link } from 'wouter'
import { DataTable, type Column } from '../../components/DataTable.tsx'
import { EmptyState, ErrorNotice, Loading } from '../../components/Feedback.tsx'
import { errorMessage } from '../../lib/errors.ts'
import { dateTime, shortId, timeAgo } from '../../lib/format.ts'
import { useTRPC } from '../../lib/trpc.ts'
import { useNow } from '../../lib/use-now.ts'
import { DELIVERY_LABEL, DELIVERY_TONE } from './labels.ts'

const PAGE = 50

const DELIVERY_COLUMNS: Column[] = [
  { label: 'Message' },
  { label: 'Run', kind: 'optional' },
  { label: 'Status' },
  { label: 'Attempts', kind: 'num' },
  { label: 'Last error' },
  { label: 'Time' },
  { label: 'Actions', hidden: true },
]

/** How soon to read a page again: soon while one of its messages is about to be tried, never when none is pending. */
function rereadAfter(page: WebhookDeliveryPage | undefined): number | false {
  const pending = page?.deliveries.filter((d) => d.status === 'pending') ?? []
  if (pending.length === 0) return false
  const soonest = Math.min(...pending.map((d) => (d.nextAttemptAt ? Date.parse(d.nextAttemptAt) : 0)))
  return soonest - Date.now() < 60_000 ? 2_000 : 30_000
}

function nextTry(iso: string, now: number): string {
  const wait = Date.parse(iso) - now
  if (wait <= 0) return 'now'
  return wait < 45_000 ? 'in a few seconds' : timeAgo(iso, now)
}

export function DeliveryLog({ endpoint }: { endpoint: WebhookEndpoint }) {
  const trpc = useTRPC()
  // the `before` cursor of each page shown; the first page has none
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined])
  const pages = useQueries({
    queries: cursors.map((before) => ({
      ...trpc.webhooks.deliveries.queryOptions({ endpointId: endpoint.id, limit: PAGE, ...(before ? { before } : {}) }),
      refetchInterval: (query: { state: { data?: WebhookDeliveryPage } }) => rereadAfter(query.state.data),
    })),
  })
  const now = useNow(15_000)
  const first = pages[0]
  const last = pages.at(-1)
  const deliveries = pages.flatMap((p) => p.data?.deliveries ?? [])
  useEndpointRefresh(endpoint.id, deliveries)

  return (
    <section className="card card-flush" aria-labelledby="delivery-log-title">
      <div className="table-toolbar">
        <h2 className="card-title flush" id="delivery-log-title">
          Delivery log
        </h2>
        <span className="muted">
          Failed messages are retried (about a day by default); a message keeps its id (webhook-id) on every attempt.
        </span>
      </div>
      {first?.isPending && <Loading what="deliveries" />}
      {first?.isError && (
        <ErrorNotice title="Could not load the delivery log" error={first.error} onRetry={() => void first.refetch()} />
      )}
      {first?.isSuccess && deliveries.length === 0 && (
        <EmptyState title="No messages yet">
          <p>
            A message appears here when a run of this account ends or waits for client tool output
            {endpoint.enabled ? '' : ' (the endpoint is disabled: it gets none)'}.
          </p>
        </EmptyState>
      )}
      {deliveries.length > 0 && (
        <DataTable label="Deliveries" columns={DELIVERY_COLUMNS}>
          {deliveries.map((d) => (
            <DeliveryRow key={d.id} delivery={d} endpoint={endpoint} now={now} />
          ))}
        </DataTable>
      )}
      {last && last !== first && last.isError && (
        <ErrorNotice title="Could not load older deliveries" error={last.error} onRetry={() => void last.refetch()} />
      )}
      {last?.data?.nextCursor && (
        <div className="table-more">
          <button
            type="button"
            className="btn btn-secondary btn-sm"
            disabled={last.isFetching}
            onClick={() => setCursors((c) => [...c, last.data.nextCursor ?? undefined])}
          >
            Show older messages
          </button>
        </div>
      )}
    </section>
  )
}

/** Reads the endpoint again when a message's outcome changes: its last delivery, failing streak or state changed with it. */
function useEndpointRefresh(endpointId: string, deliveries: WebhookDelivery[]): void {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const outcomes = deliveries.map((d) => `${d.id}:${d.status}:${d.attempts}`).join(',')
  const seen = useRef<string | null>(null)
  useEffect(() => {
    if (seen.current !== null && seen.current !== outcomes) {
      void queryClient.invalidateQueries(trpc.webhooks.get.queryFilter({ endpointId }))
      void queryClient.invalidateQueries(trpc.webhooks.list.queryFilter())
    }
    seen.current = outcomes
  }, [outcomes, endpointId, queryClient, trpc])
}

function DeliveryRow({
  delivery: d,
  endpoint,
  now,
}: {
  delivery: WebhookDelivery
  endpoint: WebhookEndpoint
  now: number
}) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const redeliver = useMutation(
    trpc.webhooks.redeliver.mutationOptions({
      onSuccess: () =>
        void queryClient.invalidateQueries(trpc.webhooks.deliveries.queryFilter({ endpointId: endpoint.id })),
    }),
  )
  return (
    <tr data-message-id={d.id} data-status={d.status}>
      <td className="nowrap">
        <span className="mono">{d.eventType}</span>
        <div className="cell-sub mono" title={d.id}>
          {shortId(d.id)}
        </div>
      </td>
      <td className="col-optional nowrap">
        <Link href={`/runs/${d.runId}`} className="mono" title={d.runId}>
          {shortId(d.runId)}
        </Link>
      </td>
      <td className="nowrap">
        <span className={`badge badge-${DELIVERY_TONE[d.status]}`}>{DELIVERY_LABEL[d.status]}</span>
        {d.lastStatusCode !== null && <span className="muted small"> HTTP {d.lastStatusCode}</span>}
      </td>
      <td className="num">{d.attempts}</td>
      <td className="delivery-error">{d.lastError ?? <span className="muted">—</span>}</td>
      <td className="nowrap small">
        <div title={dateTime(d.createdAt)}>{timeAgo(d.createdAt, now)}</div>
        {d.status === 'succeeded' && d.succeededAt && (
          <div className="muted">delivered {timeAgo(d.succeededAt, now)}</div>
        )}
        {d.status === 'pending' && d.nextAttemptAt && (
          <div className="muted">next try {nextTry(d.nextAttemptAt, now)}</div>
        )}
        {d.status === 'failed' && d.lastAttemptAt && (
          <div className="muted">last tried {timeAgo(d.lastAttemptAt, now)}</div>
        )}
      </td>
      <td className="actions">
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          disabled={!endpoint.enabled || redeliver.isPending}
          title={
            endpoint.enabled
              ? 'Send this message again (same id and body, freshly signed)'
              : 'Enable the endpoint to redeliver'
          }
          onClick={() => redeliver.mutate({ endpointId: endpoint.id, messageId: d.id })}
        >
          {redeliver.isPending ? 'Redelivering…' : 'Redeliver'}
        </button>
        {redeliver.isError && (
          <div className="error-text" role="alert">
            {errorMessage(redeliver.error)}
          </div>
        )}
      </td>
    </tr>
  )
}
