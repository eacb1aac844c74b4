// Creates a webhook endpoint or edits one: its URL, a description and the message types it takes.
// The server checks the URL (https, no credentials, no private address unless the operator allows
// the host) and answers a refusal the form shows as is.
import { WEBHOOK_EVENT_TYPES, WEBHOOK_URL_MAX, type WebhookEndpoint, type WebhookEventType } from '@runyard/contract'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { Field } from '../../components/Field.tsx'
import { FormActions } from '../../components/FormActions.tsx'
import { useTRPC } from '../../lib/trpc.ts'
import type { RouterOutputs } from '../../lib/types.ts'
import { EVENT_TYPE_HINTS } from './labels.ts'

type Props = { onCancel: () => void } & (
  | { endpoint?: undefined; onCreated: (created: RouterOutputs['webhooks']['create']) => void }
  | { endpoint: WebhookEndpoint; onSaved: (endpoint: WebhookEndpoint) => void }
)

export function EndpointForm(props: Props) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const editing = props.endpoint
  const [url, setUrl] = useState(editing?.url ?? '')
  const [description, setDescription] = useState(editing?.description ?? '')
  const [types, setTypes] = useState<WebhookEventType[]>(editing?.eventTypes ?? [...WEBHOOK_EVENT_TYPES])
  const refresh = () => queryClient.invalidateQueries(trpc.webhooks.pathFilter())
  const create = useMutation(trpc.webhooks.create.mutationOptions({ onSuccess: () => void refresh() }))
  const update = useMutation(trpc.webhooks.update.mutationOptions({ onSuccess: () => void refresh() }))
  const saving = editing ? update : create

  function toggle(type: WebhookEventType, on: boolean) {
    // kept in the contract's order, whatever order they are ticked in
    setTypes((current) => WEBHOOK_EVENT_TYPES.filter((t) => (t === type ? on : current.includes(t))))
  }

  function submit(e: FormEvent) {
    e.preventDefault()
    const fields = { url: url.trim(), description: description.trim(), eventTypes: types }
    if (props.endpoint) update.mutate({ endpointId: props.endpoint.id, changes: fields }, { onSuccess: props.onSaved })
    else create.mutate(fields, { onSuccess: props.onCreated })
  }

  return (
    <form className="form" onSubmit={submit}>
      <Field label="Endpoint URL" hint="Where Runyard POSTs the messages: an https:// address that answers with a 2xx.">
        <input
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          type="url"
          required
          maxLength={WEBHOOK_URL_MAX}
          placeholder="https://example.com/webhooks/runyard"
          spellCheck={false}
          className="mono"
          autoFocus
        />
      </Field>
      <Field label="Description" hint="Optional: what receives them, e.g. “CI notifier”.">
        <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} />
      </Field>
      <fieldset className="segmented-field">
        <legend>Messages to send</legend>
        <div className="check-list">
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <label key={type} className="checkbox">
              <input type="checkbox" checked={types.includes(type)} onChange={(e) => toggle(type, e.target.checked)} />
              <span className="mono">{type}</span> <span className="muted">— {EVENT_TYPE_HINTS[type]}</span>
            </label>
          ))}
        </div>
        {types.length === 0 && <div className="field-error">Choose at least one message type.</div>}
      </fieldset>
      <FormActions
        error={saving.isError ? saving.error : null}
        pending={saving.isPending}
        disabled={types.length === 0 || !url.trim()}
        submitLabel={editing ? 'Save endpoint' : 'Add endpoint'}
        pendingLabel={editing ? 'Saving…' : 'Adding…'}
        onCancel={props.onCancel}
      />
    </form>
  )
}
