// The webhook messages Runyard sends, as /openapi.json's `webhooks` (OpenAPI 3.1): one entry per
// message type, its signed headers and its JSON body.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi'
import { WEBHOOK_EVENT_TYPES, WEBHOOK_PAYLOADS } from '@runyard/contract'
import { z } from 'zod'

const SignedHeaders = z.object({
  'webhook-id': z.string().meta({
    description:
      'The message id (`whmsg_…`): the same on every retry and redelivery, so a receiver can ignore repeats.',
  }),
  'webhook-timestamp': z
    .string()
    .meta({ description: 'When this attempt was sent, in Unix seconds; receivers refuse old ones (replays).' }),
  'webhook-signature': z.string().meta({
    description:
      '`v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`, keyed with the base64-decoded part of the endpoint secret after `whsec_` ' +
      '(Standard Webhooks; the `standardwebhooks` libraries verify it).',
  }),
})

const DESCRIPTIONS: Record<(typeof WEBHOOK_EVENT_TYPES)[number], string> = {
  'run.completed': 'A run of the account completed.',
  'run.failed': 'A run of the account failed (`data.error` says why).',
  'run.cancelled': 'A run of the account was cancelled.',
  'run.waiting':
    'A run of the account ended waiting for the output of client tool calls (`data.pendingToolCalls`): send it in the next request.',
}

export function registerWebhookMessages(registry: OpenAPIRegistry): void {
  for (const type of WEBHOOK_EVENT_TYPES) {
    registry.registerWebhook({
      method: 'post',
      path: type,
      operationId: `webhook_${type.replace('.', '_')}`,
      summary: type,
      description:
        `${DESCRIPTIONS[type]} POSTed to each enabled endpoint of the account that takes \`${type}\`. ` +
        'A 2xx answer within 10 seconds is a success; anything else is retried after about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then given up. ' +
        'An endpoint with no success for 5 days is disabled.',
      tags: ['Webhooks'],
      request: {
        headers: SignedHeaders,
        body: { content: { 'application/json': { schema: WEBHOOK_PAYLOADS[type] } } },
      },
      responses: { 200: { description: 'Any 2xx: received (the body is ignored).' } },
    })
  }
}
