// Webhooks: an account's endpoints, the messages sent to them when a run ends or waits for the
// client, and the delivery log. Messages are signed as Standard Webhooks specifies
// (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp`, `webhook-signature`.
import { z } from 'zod'
import { RunKind, RunError, TokenUsage } from './entities.ts'
import { AccountId, ChatId, ResponseId, RunId, SessionId, WebhookEndpointId, WebhookMessageId } from './ids.ts'

const timestamp = z.string().meta({ format: 'date-time', example: '2026-12-07T10:00:00.000Z' })

/** What a message announces; the first three are a run's end, `run.waiting` a run that ended waiting for the client. */
export const WEBHOOK_EVENT_TYPES = ['run.completed', 'run.failed', 'run.cancelled', 'run.waiting'] as const
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES).meta({
  id: 'WebhookEventType',
  description:
    '`run.completed`, `run.failed`, `run.cancelled`: a run ended with that status. `run.waiting`: a run ended (status `completed`) with ' +
    'client tool calls waiting for their output (`data.pendingToolCalls`); the client answers them in its next request.',
})
export type WebhookEventType = z.infer<typeof WebhookEventType>

/** The message's `data`: the run as it ended. */
export const WebhookRunData = z
  .object({
    runId: RunId,
    chatId: ChatId,
    sessionId: SessionId,
    kind: RunKind,
    status: z.enum(['completed', 'failed', 'cancelled']),
    responseId: ResponseId.nullable().meta({
      description: "The run's Responses API id (`/v1/responses` runs), to continue with `previous_response_id`.",
    }),
    error: RunError.nullable(),
    usage: TokenUsage,
    finishedAt: timestamp,
    pendingToolCalls: z
      .array(
        z.object({
          id: z.string().meta({ description: 'The call id (`call_id` on the OpenAI surfaces).' }),
          tool: z.string(),
        }),
      )
      .meta({ description: 'Client tool calls waiting for their output (`run.waiting`); empty otherwise.' }),
  })
  .meta({ id: 'WebhookRunData' })
export type WebhookRunData = z.infer<typeof WebhookRunData>

const payloadOf = <T extends WebhookEventType>(type: T, id: string, description: string) =>
  z
    .object({
      type: z.literal(type),
      timestamp: timestamp.meta({ description: 'When the run ended (as `data.finishedAt`).' }),
      data: WebhookRunData,
    })
    .meta({ id, description })

/** The request body of each message type, as /openapi.json's `webhooks` lists them. */
export const WEBHOOK_PAYLOADS = {
  'run.completed': payloadOf('run.completed', 'WebhookRunCompleted', 'A run completed.'),
  'run.failed': payloadOf('run.failed', 'WebhookRunFailed', 'A run failed; `data.error` says why.'),
  'run.cancelled': payloadOf('run.cancelled', 'WebhookRunCancelled', 'A run was cancelled.'),
  'run.waiting': payloadOf(
    'run.waiting',
    'WebhookRunWaiting',
    'A run ended waiting for the output of client tool calls (`data.pendingToolCalls`).',
  ),
} as const satisfies Record<WebhookEventType, z.ZodType>

export const WebhookPayload = z
  .discriminatedUnion('type', [
    WEBHOOK_PAYLOADS['run.completed'],
    WEBHOOK_PAYLOADS['run.failed'],
    WEBHOOK_PAYLOADS['run.cancelled'],
    WEBHOOK_PAYLOADS['run.waiting'],
  ])
  .meta({ id: 'WebhookPayload', description: 'The JSON body of a webhook message.' })
export type WebhookPayload = z.infer<typeof WebhookPayload>

export const WebhookEndpoint = z
  .object({
    id: WebhookEndpointId,
    accountId: AccountId,
    url: z.string(),
    description: z.string(),
    eventTypes: z.array(WebhookEventType).meta({ description: 'The message types sent to this endpoint.' }),
    enabled: z.boolean(),
    disabledReason: z.string().nullable().meta({
      description:
        'Why Runyard disabled the endpoint (deliveries failing for days); null when enabled or disabled by the account.',
    }),
    lastSuccessAt: timestamp.nullable(),
    failingSince: timestamp
      .nullable()
      .meta({ description: 'First failed attempt since the last success; null while deliveries succeed.' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'WebhookEndpoint' })
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>

export const WebhookSecret = z.string().meta({
  description: 'The signing secret (`whsec_` + base64). Shown here only: at creation and when rotated.',
  example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
})

export const CreatedWebhookEndpoint = z
  .object({ endpoint: WebhookEndpoint, secret: WebhookSecret })
  .meta({ id: 'CreatedWebhookEndpoint' })
export type CreatedWebhookEndpoint = z.infer<typeof CreatedWebhookEndpoint>

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const
export const WebhookDeliveryStatus = z.enum(WEBHOOK_DELIVERY_STATUSES).meta({
  id: 'WebhookDeliveryStatus',
  description:
    '`pending`: not delivered yet (`nextAttemptAt` says when it is tried). `succeeded`: a 2xx answer. `failed`: retries exhausted or the endpoint disabled.',
})
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatus>

/** One message to one endpoint, with how its delivery went. */
export const WebhookDelivery = z
  .object({
    id: WebhookMessageId.meta({
      description: 'The message id, sent as `webhook-id` (the same on every retry and redelivery).',
    }),
    endpointId: WebhookEndpointId,
    eventType: WebhookEventType,
    runId: RunId,
    status: WebhookDeliveryStatus,
    attempts: z.number().int().meta({ description: 'Requests sent so far (retries and redeliveries included).' }),
    lastStatusCode: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'HTTP status of the last attempt; null when it got no answer.' }),
    lastError: z.string().nullable().meta({ description: 'Why the last attempt failed; null after a success.' }),
    lastAttemptAt: timestamp.nullable(),
    nextAttemptAt: timestamp.nullable().meta({ description: 'When a pending message is tried next.' }),
    succeededAt: timestamp.nullable(),
    createdAt: timestamp,
    payload: WebhookPayload,
  })
  .meta({ id: 'WebhookDelivery' })
export type WebhookDelivery = z.infer<typeof WebhookDelivery>

/** Longest endpoint URL accepted. */
export const WEBHOOK_URL_MAX = 2000

const eventTypes = z
  .array(WebhookEventType)
  .min(1, 'give at least one event type')
  .max(WEBHOOK_EVENT_TYPES.length)
  .refine((types) => new Set(types).size === types.length, 'event types must not repeat')
const url = z.string().trim().min(1, 'url must not be blank').max(WEBHOOK_URL_MAX).meta({
  description:
    'Where messages are POSTed: https (http only to hosts the operator allows, `RUNYARD_WEBHOOK_ALLOW_HOSTS`), no credentials.',
})
const description = z.string().trim().max(500)

export const CreateWebhookEndpointInput = z
  .strictObject({
    url,
    description: description.optional(),
    eventTypes: eventTypes.optional().meta({ description: 'Default: every type.' }),
    enabled: z.boolean().optional().meta({ description: 'Default: true.' }),
  })
  .meta({ id: 'CreateWebhookEndpointRequest' })
export type CreateWebhookEndpointInput = z.infer<typeof CreateWebhookEndpointInput>

export const UpdateWebhookEndpointInput = z
  .strictObject({
    url: url.optional(),
    description: description.optional(),
    eventTypes: eventTypes.optional(),
    enabled: z
      .boolean()
      .optional()
      .meta({ description: 'Enabling an endpoint Runyard disabled clears its `disabledReason`.' }),
  })
  .meta({ id: 'UpdateWebhookEndpointRequest' })
export type UpdateWebhookEndpointInput = z.infer<typeof UpdateWebhookEndpointInput>

export const WebhookDeliveryPage = z
  .object({
    deliveries: z.array(WebhookDelivery),
    nextCursor: WebhookMessageId.nullable().meta({
      description: 'Pass as `before` for the next (older) page; null on the last one.',
    }),
  })
  .meta({ id: 'WebhookDeliveryPage' })
export type WebhookDeliveryPage = z.infer<typeof WebhookDeliveryPage>
