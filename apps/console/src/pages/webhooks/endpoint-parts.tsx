// Pieces the endpoint list and the endpoint page share: the state badge, the enable/disable
// button and the signing secret shown once (after creating or rotating).
import type { WebhookEndpoint } from '@runyard/contract'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { SecretNotice } from '../../components/SecretNotice.tsx'
import { errorMessage } from '../../lib/errors.ts'
import { useTRPC } from '../../lib/trpc.ts'
import { endpointState } from './labels.ts'

export function EndpointStateBadge({ endpoint }: { endpoint: WebhookEndpoint }) {
  const state = endpointState(endpoint)
  return (
    <span className={`badge badge-${state.tone}`} data-state={state.label}>
      {state.label}
    </span>
  )
}

/** Enables a disabled endpoint (clearing the reason Runyard disabled it for) or disables an enabled one. */
export function EnabledToggle({
  endpoint,
  className = 'btn btn-ghost btn-sm',
}: {
  endpoint: WebhookEndpoint
  className?: string
}) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const update = useMutation(
    trpc.webhooks.update.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries(trpc.webhooks.pathFilter()),
    }),
  )
  const label = endpoint.enabled ? 'Disable' : 'Enable'
  return (
    <>
      <button
        type="button"
        className={className}
        disabled={update.isPending}
        onClick={() => update.mutate({ endpointId: endpoint.id, changes: { enabled: !endpoint.enabled } })}
      >
        {update.isPending ? `${label}…` : label}
      </button>
      {update.isError && (
        <span className="error-text" role="alert">
          {errorMessage(update.error)}
        </span>
      )}
    </>
  )
}

export function SigningSecret({
  secret,
  onDone,
  children,
}: {
  secret: string
  onDone: () => void
  children: ReactNode
}) {
  return (
    <SecretNotice title={children} secret={secret} testId="webhook-secret" onDone={onDone}>
      <p>
        Receivers verify each message with it (the <code>webhook-signature</code> header), e.g. with the{' '}
        <code>standardwebhooks</code> library.
      </p>
    </SecretNotice>
  )
}
