import { RunId, RunStatus, StartChatRunInput, ChatId, SessionId, type StoredRunEvent } from '@runyard/contract'
import { tracked } from '@trpc/server'
import { z } from 'zod'
import { authedProcedure, router } from '../init.ts'

export const runsRouter = router({
  start: authedProcedure.input(StartChatRunInput).mutation(async ({ ctx, input }) => {
    const caller = await ctx.services.auth.actingAccount(ctx.identity, input.accountId)
    const { run, chatId, sessionId } = await ctx.services.runs.startChatRun(caller, input, 'async')
    return { runId: run.id, chatId, sessionId, run }
  }),
  get: authedProcedure
    .input(z.object({ runId: RunId }))
    .query(({ ctx, input }) => ctx.services.runs.get(ctx.identity, input.runId)),
  list: authedProcedure
    .input(
      z
        .object({
          status: RunStatus.optional(),
          chatId: ChatId.optional(),
          sessionId: SessionId.optional(),
          limit: z.number().int().min(1).max(500).optional(),
          /** The last run id of the previous page. */
          cursor: RunId.optional(),
        })
        .optional(),
    )
    .query(async ({ ctx, input }) => (await ctx.services.runs.list(ctx.identity, input ?? {})).runs),
  cancel: authedProcedure
    .input(z.object({ runId: RunId }))
    .mutation(({ ctx, input }) => ctx.services.runs.cancel(ctx.identity, input.runId, { waitMs: 2_000 })),
  /** The run's event log, replayed after `lastEventId` and then tailed; each item is `tracked(seq)`. */
  events: authedProcedure
    .input(z.object({ runId: RunId, lastEventId: z.string().regex(/^\d+$/).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const after = input.lastEventId ? Number(input.lastEventId) : 0
      for await (const e of ctx.services.runs.events(ctx.identity, input.runId, after, signal)) {
        yield tracked(String(e.seq), e satisfies StoredRunEvent)
      }
    }),
  /** Live run changes (created, status) of the caller's account, for run lists. */
  changes: authedProcedure.subscription(async function* ({ ctx, signal }) {
    const queue: { runId: string; status: string }[] = []
    let wake: (() => void) | undefined
    const off = ctx.services.runs.onChange(ctx.identity, (c) => {
      queue.push({ runId: c.runId, status: c.status })
      wake?.()
    })
    // One abort listener for the subscription's life (one per wait would pile up on the signal).
    const onAbort = () => wake?.()
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      while (!signal?.aborted) {
        while (queue.length) yield queue.shift()!
        await new Promise<void>((resolve) => {
          wake = resolve
          if (signal?.aborted || queue.length) resolve()
        })
        wake = undefined
      }
    } finally {
      signal?.removeEventListener('abort', onAbort)
      off()
    }
  }),
})
