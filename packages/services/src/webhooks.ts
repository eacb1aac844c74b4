// An account's webhook endpoints and their delivery log, whatever the surface (tRPC, REST, the
// console). The signing secret is generated here, returned at creation and when rotated, and
// kept as is (every message is signed with it). Messages themselves are stored and delivered by
// the engine (packages/engine/src/webhooks/).
import crypto from 'node:crypto'
import {
  badRequest,
  newId,
  notFound,
  WEBHOOK_EVENT_TYPES,
  type CreatedWebhookEndpoint,
  type CreateWebhookEndpointInput,
  type UpdateWebhookEndpointInput,
  type WebhookDelivery,
  type WebhookDeliveryPage,
  type WebhookEndpoint,
  type WebhookEventType,
  type WebhookPayload,
} from '@runyard/contract'
import type { WebhookDelivery as DeliveryRow, WebhookEndpoint as EndpointRow, PrismaClient } from '@runyard/db'
import type { Engine } from '@runyard/engine'
import { assertAccountWide, type Caller } from './caller.ts'
import { checkWebhookUrl } from './webhook-url.ts'

/** Endpoints one account may have. */
export const MAX_WEBHOOK_ENDPOINTS = 20

export interface WebhookPolicy {
  /** Hosts (`host` or `host:port`) endpoints may name even when private, and over plain http (RUNYARD_WEBHOOK_ALLOW_HOSTS). */
  allowHosts: readonly string[]
}

/** A new signing secret: `whsec_` and 32 random bytes in base64, as Standard Webhooks libraries take it. */
export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64')}`
}

const iso = (d: Date | null) => d?.toISOString() ?? null

export function toWebhookEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    accountId: row.accountId,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes.filter((t): t is WebhookEventType =>
      (WEBHOOK_EVENT_TYPES as readonly string[]).includes(t),
    ),
    enabled: row.enabled,
    disabledReason: row.enabled ? null : row.disabledReason,
    lastSuccessAt: iso(row.lastSuccessAt),
    failingSince: iso(row.failingSince),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

export function toWebhookDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    endpointId: row.endpointId,
    eventType: row.eventType as WebhookEventType,
    runId: row.runId,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    lastAttemptAt: iso(row.lastAttemptAt),
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
    succeededAt: iso(row.succeededAt),
    createdAt: row.createdAt.toISOString(),
    // Written by the engine from the contract's WebhookPayload (webhooks/outbox.ts).
    payload: JSON.parse(row.payload) as WebhookPayload,
  }
}

export class WebhookService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly engine: Pick<Engine, 'redeliverWebhookMessage'>,
    private readonly policy: WebhookPolicy,
  ) {}

  async list(caller: Caller): Promise<WebhookEndpoint[]> {
    this.assertCanManage(caller)
    const rows = await this.prisma.webhookEndpoint.findMany({
      where: { accountId: caller.accountId },
      orderBy: { createdAt: 'desc' },
    })
    return rows.map(toWebhookEndpoint)
  }

  async get(caller: Caller, endpointId: string): Promise<WebhookEndpoint> {
    return toWebhookEndpoint(await this.find(caller, endpointId))
  }

  async create(caller: Caller, input: CreateWebhookEndpointInput): Promise<CreatedWebhookEndpoint> {
    this.assertCanManage(caller)
    const url = checkWebhookUrl(input.url, this.policy.allowHosts)
    const secret = newWebhookSecret()
    // Counted and inserted under a per-account lock: concurrent creates would otherwise all count
    // the same number and all insert, past the cap.
    const row = await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`runyard:webhook-endpoints:${caller.accountId}`}, 0))`
      const count = await tx.webhookEndpoint.count({ where: { accountId: caller.accountId } })
      if (count >= MAX_WEBHOOK_ENDPOINTS)
        throw badRequest(`An account can have at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints: delete one first.`)
      return tx.webhookEndpoint.create({
        data: {
          id: newId('webhookEndpoint'),
          accountId: caller.accountId,
          url,
          description: input.description ?? '',
          eventTypes: input.eventTypes ?? [...WEBHOOK_EVENT_TYPES],
          enabled: input.enabled ?? true,
          secret,
        },
      })
    })
    return { endpoint: toWebhookEndpoint(row), secret }
  }

  /** Changes what is given. Enabling an endpoint starts it afresh: no failing streak, no disabled reason. */
  async update(caller: Caller, endpointId: string, input: UpdateWebhookEndpointInput): Promise<WebhookEndpoint> {
    const current = await this.find(caller, endpointId)
    const url = input.url === undefined ? undefined : checkWebhookUrl(input.url, this.policy.allowHosts)
    const enabling = input.enabled === true && !current.enabled
    const row = await this.prisma.webhookEndpoint.update({
      where: { id: current.id },
      data: {
        ...(url !== undefined ? { url } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.eventTypes ? { eventTypes: input.eventTypes } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(enabling ? { disabledReason: null, failingSince: null } : {}),
        ...(input.enabled === false ? { disabledReason: null } : {}),
      },
    })
    return toWebhookEndpoint(row)
  }

  /** A new secret, effective for every message sent from now on (retries included); the old one stops verifying. */
  async rotateSecret(caller: Caller, endpointId: string): Promise<CreatedWebhookEndpoint> {
    const current = await this.find(caller, endpointId)
    const secret = newWebhookSecret()
    const row = await this.prisma.webhookEndpoint.update({ where: { id: current.id }, data: { secret } })
    return { endpoint: toWebhookEndpoint(row), secret }
  }

  /** Deletes the endpoint and its delivery log; messages not delivered yet are dropped. */
  async delete(caller: Caller, endpointId: string): Promise<WebhookEndpoint> {
    const current = await this.find(caller, endpointId)
    const { count } = await this.prisma.webhookEndpoint.deleteMany({
      where: { id: current.id, accountId: caller.accountId },
    })
    if (count === 0) throw notFound('webhook_endpoint_not_found', `Webhook endpoint ${endpointId} was not found`)
    return toWebhookEndpoint(current)
  }

  /** The endpoint's messages, newest first, in pages (`before`: the last id of the previous page). */
  async deliveries(
    caller: Caller,
    endpointId: string,
    page: { limit?: number; before?: string } = {},
  ): Promise<WebhookDeliveryPage> {
    const endpoint = await this.find(caller, endpointId)
    const limit = Math.min(Math.max(page.limit ?? 50, 1), 200)
    const rows = await this.prisma.webhookDelivery.findMany({
      where: {
        endpointId: endpoint.id,
        accountId: caller.accountId,
        ...(page.before ? { id: { lt: page.before } } : {}),
      },
      orderBy: { id: 'desc' },
      take: limit + 1,
    })
    const more = rows.length > limit
    const shown = rows.slice(0, limit)
    return { deliveries: shown.map(toWebhookDelivery), nextCursor: more ? (shown.at(-1)?.id ?? null) : null }
  }

  /** Sends a message again (same `webhook-id`, same body, a fresh retry schedule); 409 when the endpoint is disabled. */
  async redeliver(caller: Caller, endpointId: string, messageId: string): Promise<WebhookDelivery> {
    const endpoint = await this.find(caller, endpointId)
    await this.engine.redeliverWebhookMessage(caller.accountId, endpoint.id, messageId)
    const row = await this.prisma.webhookDelivery.findFirst({
      where: { id: messageId, endpointId: endpoint.id, accountId: caller.accountId },
    })
    if (!row) throw notFound('webhook_message_not_found', `Webhook message ${messageId} was not found`)
    return toWebhookDelivery(row)
  }

  private async find(caller: Caller, endpointId: string): Promise<EndpointRow> {
    this.assertCanManage(caller)
    const row = await this.prisma.webhookEndpoint.findFirst({ where: { id: endpointId, accountId: caller.accountId } })
    if (!row) throw notFound('webhook_endpoint_not_found', `Webhook endpoint ${endpointId} was not found`)
    return row
  }

  private assertCanManage(caller: Caller): void {
    assertAccountWide(caller, 'manage webhooks')
  }
}
