// API keys of the caller's own account, for the console: list (never ephemeral run keys),
// create (the secret is returned once, only its hash is stored), revoke.
import { ApiKeyId } from '@runyard/contract'
import { z } from 'zod'
import { authedProcedure, router } from '../init.ts'

export const keysRouter = router({
  list: authedProcedure.query(({ ctx }) => ctx.services.auth.listKeys(ctx.identity)),
  create: authedProcedure
    .input(
      z.strictObject({
        name: z.string().trim().min(1, 'name must not be blank').max(100),
        expiresAt: z.iso
          .datetime()
          .refine((v) => Date.parse(v) > Date.now(), 'expiresAt must be in the future')
          .optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.services.auth.createKey(ctx.identity, {
        name: input.name,
        ...(input.expiresAt ? { expiresAt: new Date(input.expiresAt) } : {}),
      }),
    ),
  revoke: authedProcedure
    .input(z.object({ keyId: ApiKeyId }))
    .mutation(({ ctx, input }) => ctx.services.auth.revokeKey(ctx.identity, input.keyId)),
})
