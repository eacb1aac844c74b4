// API keys of this account: create (the secret is shown once), revoke. In local mode no key is
// needed — until the first key is created: an `auto` server then switches to keys mode at once,
// so this tab signs in with the key it just created once its secret has been shown.
import type { ApiKey } from '@runyard/contract'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useSystemInfo } from '../../app/system-info.tsx'
import { ConfirmButton } from '../../components/ConfirmButton.tsx'
import { DataTable, type Column } from '../../components/DataTable.tsx'
import { EmptyState, ErrorNotice, Loading } from '../../components/Feedback.tsx'
import { Field } from '../../components/Field.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { SecretNotice } from '../../components/SecretNotice.tsx'
import { getApiKey, setApiKey } from '../../lib/api-key.ts'
import { errorMessage } from '../../lib/errors.ts'
import { dateTime, timeAgo } from '../../lib/format.ts'
import { useTRPC } from '../../lib/trpc.ts'
import { useNow } from '../../lib/use-now.ts'
import type { RouterOutputs } from '../../lib/types.ts'

const KEY_COLUMNS: Column[] = [
  { label: 'Name' },
  { label: 'Key' },
  { label: 'Created' },
  { label: 'Last used' },
  { label: 'Expires' },
  { label: 'Actions', hidden: true },
]

const EXPIRY = [
  { label: 'Never', days: 0 },
  { label: '7 days', days: 7 },
  { label: '30 days', days: 30 },
  { label: '90 days', days: 90 },
] as const

export function KeysPage() {
  const info = useSystemInfo()
  const trpc = useTRPC()
  const keys = useQuery(trpc.keys.list.queryOptions())
  const [created, setCreated] = useState<RouterOutputs['keys']['create'] | null>(null)
  const now = useNow(60_000)
  const current = getApiKey()

  return (
    <>
      <PageHeader
        title="API keys"
        description={
          <>
            Keys of account <span className="mono">{info.accountId}</span>. Programs send them as <code>x-api-key</code>{' '}
            or <code>Authorization: Bearer</code>; only a hash is stored.
          </>
        }
      />
      {info.authMode === 'local' && (
        <div className="notice notice-info" role="note">
          <div>
            <strong>No key needed here.</strong>
            <p>
              This server runs in <em>local mode</em> (bound to loopback, no keys): requests from this machine act as
              the local account without a key. With <code>RUNYARD_AUTH=auto</code>, creating the first key switches the
              server to keys mode at once: every request then needs a key, and this tab uses the one you create.
            </p>
          </div>
        </div>
      )}
      {created && (
        <NewSecret
          created={created}
          adopt={info.authMode === 'local' && !current}
          onDone={() => {
            // The server needs keys from now on: this tab keeps working with the one just made.
            if (info.authMode === 'local' && !current) setApiKey(created.secret)
            setCreated(null)
          }}
        />
      )}
      <CreateKeyForm onCreated={setCreated} />
      <section className="card card-flush" aria-label="Keys">
        {keys.isPending && <Loading what="keys" />}
        {keys.isError && (
          <ErrorNotice title="Could not load keys" error={keys.error} onRetry={() => void keys.refetch()} />
        )}
        {keys.isSuccess && keys.data.length === 0 && (
          <EmptyState title="No API keys">
            <p>Create one for a script or service that talks to Runyard.</p>
          </EmptyState>
        )}
        {keys.isSuccess && keys.data.length > 0 && (
          <DataTable label="API keys" columns={KEY_COLUMNS}>
            {keys.data.map((k) => (
              <KeyRow key={k.id} apiKey={k} now={now} isCurrent={Boolean(current && current.startsWith(k.prefix))} />
            ))}
          </DataTable>
        )}
      </section>
    </>
  )
}

function keyState(k: ApiKey, now: number): { label: string; tone: string } {
  if (k.revokedAt) return { label: 'revoked', tone: 'muted' }
  if (k.expiresAt && Date.parse(k.expiresAt) <= now) return { label: 'expired', tone: 'muted' }
  return { label: 'active', tone: 'success' }
}

function KeyRow({ apiKey: k, now, isCurrent }: { apiKey: ApiKey; now: number; isCurrent: boolean }) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const revoke = useMutation(
    trpc.keys.revoke.mutationOptions({
      onSuccess: () => {
        if (isCurrent)
          setApiKey(null) // this tab's own key: it cannot be used any more
        else void queryClient.invalidateQueries(trpc.keys.list.pathFilter())
      },
    }),
  )
  const state = keyState(k, now)
  return (
    <tr data-key-id={k.id} className={state.label !== 'active' ? 'row-dim' : undefined}>
      <td className="cell-main nowrap">
        {k.name}
        {isCurrent && <span className="badge badge-info badge-inline">this tab</span>}
      </td>
      <td>
        <span className="mono">{k.prefix}…</span> <span className={`badge badge-${state.tone}`}>{state.label}</span>
      </td>
      <td className="nowrap" title={k.createdAt}>
        {timeAgo(k.createdAt, now)}
      </td>
      <td className="nowrap">{k.lastUsedAt ? timeAgo(k.lastUsedAt, now) : <span className="muted">never</span>}</td>
      <td className="nowrap">{k.expiresAt ? dateTime(k.expiresAt) : <span className="muted">never</span>}</td>
      <td className="actions">
        {state.label === 'active' && (
          <ConfirmButton
            label="Revoke"
            confirmLabel="Revoke"
            question={
              isCurrent
                ? 'Revoke the key this tab uses? You will be signed out.'
                : 'Revoke this key? Programs using it stop working.'
            }
            busy={revoke.isPending}
            onConfirm={() => revoke.mutate({ keyId: k.id })}
          />
        )}
        {revoke.isError && (
          <span className="error-text" role="alert">
            {errorMessage(revoke.error)}
          </span>
        )}
      </td>
    </tr>
  )
}

function CreateKeyForm({ onCreated }: { onCreated: (c: RouterOutputs['keys']['create']) => void }) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const [name, setName] = useState('')
  const [days, setDays] = useState(0)
  const create = useMutation(
    trpc.keys.create.mutationOptions({
      onSuccess: (c) => {
        setName('')
        void queryClient.invalidateQueries(trpc.keys.list.pathFilter())
        onCreated(c)
      },
    }),
  )
  function submit(e: FormEvent) {
    e.preventDefault()
    create.mutate({
      name: name.trim(),
      ...(days ? { expiresAt: new Date(Date.now() + days * 86_400_000).toISOString() } : {}),
    })
  }
  return (
    <section className="card" aria-labelledby="create-key-title">
      <h2 className="card-title" id="create-key-title">
        Create a key
      </h2>
      <form className="form form-row" onSubmit={submit}>
        <Field label="Name" hint="What uses it, e.g. “CI” or “deploy bot”." className="grow">
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={100}
            placeholder="CI pipeline"
          />
        </Field>
        <Field label="Expires">
          <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {EXPIRY.map((x) => (
              <option key={x.days} value={x.days}>
                {x.label}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" className="btn btn-primary" disabled={!name.trim() || create.isPending}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
      </form>
      {create.isError && (
        <div className="notice notice-danger form-row-error" role="alert">
          {errorMessage(create.error)}
        </div>
      )}
    </section>
  )
}

function NewSecret({
  created,
  adopt,
  onDone,
}: {
  created: RouterOutputs['keys']['create']
  adopt: boolean
  onDone: () => void
}) {
  return (
    <SecretNotice
      title={<>Key “{created.key.name}” created. Copy it now — it will not be shown again.</>}
      secret={created.secret}
      testId="new-key-secret"
      doneLabel={adopt ? 'Done — use it in this tab' : 'Done'}
      onDone={onDone}
    >
      {adopt && <p>This server now requires an API key for every request; this tab will use this one.</p>}
    </SecretNotice>
  )
}
