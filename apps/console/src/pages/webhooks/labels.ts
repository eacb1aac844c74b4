// How webhook endpoints and deliveries read in the console: what each message type means, an
// endpoint's state (enabled, disabled by the account, disabled by Runyard) and a delivery's status.
import type { WebhookDeliveryStatus, WebhookEndpoint, WebhookEventType } from '@runyard/contract'

export const EVENT_TYPE_HINTS: Record<WebhookEventType, string> = {
  'run.completed': 'A run completed.',
  'run.failed': 'A run failed (the message carries its error).',
  'run.cancelled': 'A run was cancelled.',
  'run.waiting': 'A run ended waiting for the output of client tool calls.',
}

export interface EndpointState {
  label: string
  tone: 'success' | 'danger' | 'warning' | 'muted'
}

export function endpointState(e: Pick<WebhookEndpoint, 'enabled' | 'disabledReason' | 'failingSince'>): EndpointState {
  if (!e.enabled)
    return e.disabledReason ? { label: 'disabled by Runyard', tone: 'danger' } : { label: 'disabled', tone: 'muted' }
  if (e.failingSince) return { label: 'failing', tone: 'warning' }
  return { label: 'enabled', tone: 'success' }
}

export const DELIVERY_TONE: Record<WebhookDeliveryStatus, string> = {
  pending: 'info',
  succeeded: 'success',
  failed: 'danger',
}

/** The status as shown: a succeeded message reads "delivered". */
export const DELIVERY_LABEL: Record<WebhookDeliveryStatus, string> = {
  pending: 'pending',
  succeeded: 'delivered',
  failed: 'failed',
}
