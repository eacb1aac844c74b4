// Members of the caller's organisation (org keys only; 403 for other keys).
import { AccountId } from '@runyard/contract'
import { z } from 'zod'
import { authedProcedure, router } from '../init.ts'

export const orgRouter = router({
  members: authedProcedure.query(({ ctx }) => ctx.services.orgMembers.list(ctx.identity)),
  createMember: authedProcedure
    .input(z.object({ name: z.string().trim().min(1, 'name must not be blank').max(200) }))
    .mutation(({ ctx, input }) => ctx.services.orgMembers.create(ctx.identity, input.name)),
  removeMember: authedProcedure
    .input(z.object({ accountId: AccountId }))
    .mutation(({ ctx, input }) => ctx.services.orgMembers.remove(ctx.identity, input.accountId)),
})
