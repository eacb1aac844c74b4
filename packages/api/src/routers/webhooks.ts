// The caller account's webhook endpoints, for the console and @runyard/client: list, create (the
// signing secret is returned once), update, rotate the secret, delete, the delivery log, redeliver.
import {
  CreateWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookEndpointId,
  WebhookMessageId,
} from '@runyard/contract'
import { z } from 'zod'
import { authedProcedure, router } from '../init.ts'

const endpoint = z.object({ endpointId: WebhookEndpointId })

export const webhooksRouter = router({
  list: authedProcedure.query(({ ctx }) => ctx.services.webhooks.list(ctx.identity)),
  get: authedProcedure
    .input(endpoint)
    .query(({ ctx, input }) => ctx.services.webhooks.get(ctx.identity, input.endpointId)),
  create: authedProcedure
    .input(CreateWebhookEndpointInput)
    .mutation(({ ctx, input }) => ctx.services.webhooks.create(ctx.identity, input)),
  update: authedProcedure
    .input(z.strictObject({ endpointId: WebhookEndpointId, changes: UpdateWebhookEndpointInput }))
    .mutation(({ ctx, input }) => ctx.services.webhooks.update(ctx.identity, input.endpointId, input.changes)),
  rotateSecret: authedProcedure
    .input(endpoint)
    .mutation(({ ctx, input }) => ctx.services.webhooks.rotateSecret(ctx.identity, input.endpointId)),
  delete: authedProcedure
    .input(endpoint)
    .mutation(({ ctx, input }) => ctx.services.webhooks.delete(ctx.identity, input.endpointId)),
  deliveries: authedProcedure
    .input(
      z.strictObject({
        endpointId: WebhookEndpointId,
        limit: z.number().int().min(1).max(200).optional(),
        before: WebhookMessageId.optional(),
      }),
    )
    .query(({ ctx, input }) =>
      ctx.services.webhooks.deliveries(ctx.identity, input.endpointId, { limit: input.limit, before: input.before }),
    ),
  redeliver: authedProcedure
    .input(z.strictObject({ endpointId: WebhookEndpointId, messageId: WebhookMessageId }))
    .mutation(({ ctx, input }) => ctx.services.webhooks.redeliver(ctx.identity, input.endpointId, input.messageId)),
})
