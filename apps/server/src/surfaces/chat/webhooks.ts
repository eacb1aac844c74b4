// Webhook endpoints and their delivery log over REST: the same operations as the console's (tRPC
// `webhooks.*`), in the REST error shape. The messages themselves are listed under `webhooks` in
// /openapi.json (http/openapi.ts).
import {
  CreatedWebhookEndpoint,
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookEndpoint,
  WebhookEndpointId,
  WebhookMessageId,
} from '@runyard/contract'
import type { Services } from '@runyard/services'
import { z } from 'zod'
import { rest } from '../../http/error-shapes.ts'
import { operations, routeGroup } from '../../http/route.ts'
import { pageCursor, pageLimit } from '../../http/page-query.ts'

export const WebhookEndpointList = z.object({ endpoints: z.array(WebhookEndpoint) }).meta({ id: 'WebhookEndpointList' })

const endpointParam = z.object({ endpointId: WebhookEndpointId })
const tags = ['Webhooks']
const route = routeGroup({ tags, surface: rest, auth: true, errors: [403, 503] })
/** What the reads and changes of one endpoint answer. */
const endpointResponse = { 200: { description: 'The endpoint', schema: WebhookEndpoint } }
const onEndpoint = route.on({ params: endpointParam, errors: [400, 404] })
const SIGNING =
  'Messages are signed as Standard Webhooks specifies: verify `webhook-signature` with the secret (e.g. `new Webhook(secret).verify(body, headers)` from the `standardwebhooks` package).'

export function webhookRoutes(s: Services) {
  return operations({
    listWebhookEndpoints: route.get('/api/webhooks', {
      summary: "List the account's webhook endpoints",
      description: 'Newest first, never their secrets. Run keys get 403.',
      responses: { 200: { description: 'The endpoints', schema: WebhookEndpointList } },
      handler: async ({ auth }) => ({ status: 200, body: { endpoints: await s.webhooks.list(auth) } }),
    }),
    createWebhookEndpoint: route.post('/api/webhooks', {
      summary: 'Create a webhook endpoint',
      description:
        "Runyard POSTs a message to `url` when one of the account's runs ends (`run.completed`, `run.failed`, `run.cancelled`) or ends waiting for " +
        'client tool output (`run.waiting`), retrying failures for about a day. `url` must be https (http only to hosts in RUNYARD_WEBHOOK_ALLOW_HOSTS), ' +
        `carry no credentials and not name a private or internal address. The signing secret is in this response only. ${SIGNING}`,
      body: CreateWebhookEndpointInput,
      responses: {
        201: { description: 'The endpoint and its signing secret (shown once)', schema: CreatedWebhookEndpoint },
      },
      errors: [400],
      handler: async ({ auth, body }) => ({ status: 201, body: await s.webhooks.create(auth, body) }),
    }),
    getWebhookEndpoint: onEndpoint.get('/api/webhooks/{endpointId}', {
      summary: 'Get a webhook endpoint',
      description: 'With its health: `lastSuccessAt`, `failingSince`, and `disabledReason` when Runyard disabled it.',
      responses: endpointResponse,
      handler: async ({ auth, params }) => ({ status: 200, body: await s.webhooks.get(auth, params.endpointId) }),
    }),
    updateWebhookEndpoint: onEndpoint.patch('/api/webhooks/{endpointId}', {
      summary: 'Change a webhook endpoint',
      description:
        'Changes the fields given. `enabled: false` stops new messages (pending ones are not sent); `enabled: true` on an endpoint Runyard disabled starts it afresh.',
      body: UpdateWebhookEndpointInput,
      responses: endpointResponse,
      handler: async ({ auth, params, body }) => ({
        status: 200,
        body: await s.webhooks.update(auth, params.endpointId, body),
      }),
    }),
    deleteWebhookEndpoint: onEndpoint.delete('/api/webhooks/{endpointId}', {
      summary: 'Delete a webhook endpoint',
      description: 'With its delivery log; messages not delivered yet are dropped.',
      responses: { 200: { description: 'The deleted endpoint', schema: WebhookEndpoint } },
      handler: async ({ auth, params }) => ({ status: 200, body: await s.webhooks.delete(auth, params.endpointId) }),
    }),
    rotateWebhookSecret: onEndpoint.post('/api/webhooks/{endpointId}/rotate-secret', {
      summary: "Rotate a webhook endpoint's signing secret",
      description:
        'A new secret signs every message sent from now on (retries included); the old one stops verifying at once. The secret is in this response only.',
      responses: {
        200: { description: 'The endpoint and its new secret (shown once)', schema: CreatedWebhookEndpoint },
      },
      handler: async ({ auth, params }) => ({
        status: 200,
        body: await s.webhooks.rotateSecret(auth, params.endpointId),
      }),
    }),
    listWebhookDeliveries: onEndpoint.get('/api/webhooks/{endpointId}/deliveries', {
      summary: "An endpoint's delivery log",
      description: 'Its messages, newest first: status, attempts, the last status code and error, and the body sent.',
      query: z.object({
        limit: pageLimit(200, 'Messages per page (default 50).'),
        before: pageCursor(WebhookMessageId),
      }),
      responses: { 200: { description: 'A page of the log', schema: WebhookDeliveryPage } },
      handler: async ({ auth, params, query }) => ({
        status: 200,
        body: await s.webhooks.deliveries(auth, params.endpointId, query),
      }),
    }),
    redeliverWebhookMessage: route.post('/api/webhooks/{endpointId}/deliveries/{messageId}/redeliver', {
      summary: 'Send a webhook message again',
      description:
        'The same message (same `webhook-id`, same body), queued now with a fresh retry schedule. 409 when the endpoint is disabled or an attempt at the message is in flight.',
      params: z.object({ endpointId: WebhookEndpointId, messageId: WebhookMessageId }),
      responses: { 200: { description: 'The message, pending again', schema: WebhookDelivery } },
      errors: [400, 404, 409],
      handler: async ({ auth, params }) => ({
        status: 200,
        body: await s.webhooks.redeliver(auth, params.endpointId, params.messageId),
      }),
    }),
  })
}
