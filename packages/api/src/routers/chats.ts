// Chats for the console: read a chat and its transcript, send a turn. The turn's progress is
// watched with the `runs.events` subscription on the returned run id.
import { ChatId } from '@runyard/contract'
import { z } from 'zod'
import { userTextMessage } from '@runyard/services'
import { authedProcedure, router } from '../init.ts'

const chatInput = z.object({ chatId: ChatId })

export const chatsRouter = router({
  get: authedProcedure.input(chatInput).query(({ ctx, input }) => ctx.services.chats.get(ctx.identity, input.chatId)),
  /** The transcript as AI SDK UIMessages. */
  messages: authedProcedure
    .input(chatInput)
    .query(({ ctx, input }) => ctx.services.chats.messages(ctx.identity, input.chatId)),
  /** The chat's active run (to resume its stream on page load), or null. */
  activeRun: authedProcedure.input(chatInput).query(async ({ ctx, input }) => {
    await ctx.services.chats.get(ctx.identity, input.chatId)
    return ctx.services.runs.activeForChat(ctx.identity, input.chatId)
  }),
  /** Starts an interactive turn; a chat with an active run answers CONFLICT (`appCode: chat_busy`). */
  send: authedProcedure
    .input(
      z.object({
        chatId: ChatId,
        text: z
          .string()
          .max(200_000)
          .refine((t) => t.trim().length > 0, 'text must not be blank'),
        model: z.string().min(1).max(200).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const run = await ctx.services.runs.startOnChat(ctx.identity, {
        kind: 'interactive',
        chatId: input.chatId,
        model: input.model,
        messages: [userTextMessage(input.text)],
      })
      return { runId: run.id }
    }),
})
