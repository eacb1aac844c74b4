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
import { routeGroup } from '../../http/route.ts'

export const WebhookEndpointList = z.object({ endpoints: z.array(WebhookEndpoint) }).meta({ id: 'WebhookEndpointList' })

const endpointParam = z.object({ endpointId: WebhookEndpointId })
const tags = ['Webhooks']
const route = routeGroup({ tags, surface: rest, auth: true })
const SIGNING =
  'Messages are signed as Standard Webhooks specifies: verify `webhook-signature` with the secret (e.g. `new Webhook(secret).verify(body, headers)` from the `standardwebhooks` package).'

export function webhookRoutes(s: Services) {
  return [
    route({
      method: 'get',
      path: '/api/webhooks',
      operationId: 'listWebhookEndpoints',
      summary: "List the account's webhook endpoints",
      description: 'Newest first, never their secrets. Run keys get 403.',
      responses: { 200: { description: 'The endpoints', schema: WebhookEndpointList } },
      errors: [403, 503],
      handler: async ({ auth }) => ({ status: 200, body: { endpoints: await s.webhooks.list(auth) } }),
    }),
    route({
      method: 'post',
      path: '/api/webhooks',
      operationId: 'createWebhookEndpoint',
      summary: 'Create a webhook endpoint',
      description:
        "Runyard POSTs a message to `url` when one of the account's runs ends (`run.completed`, `run.failed`, `run.cancelled`) or ends waiting for " +
        'client tool output (`run.waiting`), retrying failures for about a day. `url` must be https (http only to hosts in RUNYARD_WEBHOOK_ALLOW_HOSTS), ' +
        `carry no credentials and not name a private or internal address. The signing secret is in this response only. ${SIGNING}`,
      body: CreateWebhookEndpointInput,
      responses: {
        201: { description: 'The endpoint and its signing secret (shown once)', schema: CreatedWebhookEndpoint },
      },
      errors: [400, 403, 503],
      handler: async ({ auth, body }) => ({ status: 201, body: await s.webhooks.create(auth, body) }),
    }),
    route({
      method: 'get',
      path: '/api/webhooks/{endpointId}',
      operationId: 'getWebhookEndpoint',
      summary: 'Get a webhook endpoint',
      description: 'With its health: `lastSuccessAt`, `failingSince`, and `disabledReason` when Runyard disabled it.',
      params: endpointParam,
      responses: { 200: { description: 'The endpoint', schema: WebhookEndpoint } },
      errors: [400, 403, 404, 503],
      handler: async ({ auth, params }) => ({ status: 200, body: await s.webhooks.get(auth, params.endpointId) }),
    }),
    route({
      method: 'patch',
      path: '/api/webhooks/{endpointId}',
      operationId: 'updateWebhookEndpoint',
      summary: 'Change a webhook endpoint',
      description:
        'Changes the fields given. `enabled: false` stops new messages (pending ones are not sent); `enabled: true` on an endpoint Runyard disabled starts it afresh.',
      params: endpointParam,
      body: UpdateWebhookEndpointInput,
      responses: { 200: { description: 'The endpoint', schema: WebhookEndpoint } },
      errors: [400, 403, 404, 503],
      handler: async ({ auth, params, body }) => ({
        status: 200,
        body: await s.webhooks.update(auth, params.endpointId, body),
      }),
    }),
    route({
      method: 'delete',
      path: '/api/webhooks/{endpointId}',
      operationId: 'deleteWebhookEndpoint',
      summary: 'Delete a webhook endpoint',
      description: 'With its delivery log; messages not delivered yet are dropped.',
      params: endpointParam,
      responses: { 200: { description: 'The deleted endpoint', schema: WebhookEndpoint } },
      errors: [400, 403, 404, 503],
      handler: async ({ auth, params }) => ({ status: 200, body: await s.webhooks.delete(auth, params.endpointId) }),
    }),
    route({
      method: 'post',
      path: '/api/webhooks/{endpointId}/rotate-secret',
      operationId: 'rotateWebhookSecret',
      summary: "Rotate a webhook endpoint's signing secret",
      description:
        'A new secret signs every message sent from now on (retries included); the old one stops verifying at once. The secret is in this response only.',
      params: endpointParam,
      responses: {
        200: { description: 'The endpoint and its new secret (shown once)', schema: CreatedWebhookEndpoint },
      },
      errors: [400, 403, 404, 503],
      handler: async ({ auth, params }) => ({
        status: 200,
        body: await s.webhooks.rotateSecret(auth, params.endpointId),
      }),
    }),
    route({
      method: 'get',
      path: '/api/webhooks/{endpointId}/deliveries',
      operationId: 'listWebhookDeliveries',
      summary: "An endpoint's delivery log",
      description: 'Its messages, newest first: status, attempts, the last status code and error, and the body sent.',
      params: endpointParam,
      query: z.object({
        limit: z.coerce
          .number()
          .int()
          .min(1)
          .max(200)
          .optional()
          .meta({ description: 'Messages per page (default 50).' }),
        before: WebhookMessageId.optional().meta({ description: 'The `nextCursor` of the previous page.' }),
      }),
      responses: { 200: { description: 'A page of the log', schema: WebhookDeliveryPage } },
      errors: [400, 403, 404, 503],
      handler: async ({ auth, params, query }) => ({
        status: 200,
        body: await s.webhooks.deliveries(auth, params.endpointId, query),
      }),
    }),
    route({
      method: 'post',
      path: '/api/webhooks/{endpointId}/deliveries/{messageId}/redeliver',
      operationId: 'redeliverWebhookMessage',
      summary: 'Send a webhook message again',
      description:
        'The same message (same `webhook-id`, same body), queued now with a fresh retry schedule. 409 when the endpoint is disabled.',
      params: z.object({ endpointId: WebhookEndpointId, messageId: WebhookMessageId }),
      responses: { 200: { description: 'The message, pending again', schema: WebhookDelivery } },
      errors: [400, 403, 404, 409, 503],
      handler: async ({ auth, params }) => ({
        status: 200,
        body: await s.webhooks.redeliver(auth, params.endpointId, params.messageId),
      }),
    }),
  ]
}
