// Webhooks: messages stored by the statement that finishes a run (outbox.ts), queued
// (dispatcher.ts) and delivered with retries from pg-boss (delivery.ts) by worker processes.
export { WebhookDeliverer } from './deliverer.ts'
export { ensureWebhookQueue } from './queue.ts'
export { redeliverMessage } from './redeliver.ts'
export { retryDelayMs } from './schedule.ts'
export { signatureHeaders, WEBHOOK_TIMEOUT_MS } from './sender.ts'
export { webhookOutboxCtes } from './outbox.ts'
