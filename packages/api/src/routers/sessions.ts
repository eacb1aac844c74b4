import { CreateSessionInput, SessionId } from '@runyard/contract'
import { z } from 'zod'
import { authedProcedure, router } from '../init.ts'

export const sessionsRouter = router({
  create: authedProcedure
    .input(CreateSessionInput)
    .mutation(({ ctx, input }) => ctx.services.sessions.create(ctx.identity, input)),
  get: authedProcedure
    .input(z.object({ sessionId: SessionId }))
    .query(({ ctx, input }) => ctx.services.sessions.get(ctx.identity, input.sessionId)),
  list: authedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(1000).optional() }).optional())
    .query(({ ctx, input }) => ctx.services.sessions.list(ctx.identity, { limit: input?.limit })),
  chats: authedProcedure
    .input(z.object({ sessionId: SessionId }))
    .query(({ ctx, input }) => ctx.services.sessions.chats(ctx.identity, input.sessionId)),
  archive: authedProcedure
    .input(z.object({ sessionId: SessionId }))
    .mutation(({ ctx, input }) => ctx.services.sessions.archive(ctx.identity, input.sessionId)),
  /** Archives, then deletes the session with its chats, runs and managed workspace folder. */
  delete: authedProcedure.input(z.object({ sessionId: SessionId })).mutation(async ({ ctx, input }) => {
    await ctx.services.sessions.delete(ctx.identity, input.sessionId)
    return { sessionId: input.sessionId, deleted: true as const }
  }),
})
