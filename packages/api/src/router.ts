import { router } from './init.ts'
import { chatsRouter } from './routers/chats.ts'
import { keysRouter } from './routers/keys.ts'
import { orgRouter } from './routers/org.ts'
import { runsRouter } from './routers/runs.ts'
import { sessionsRouter } from './routers/sessions.ts'
import { systemRouter } from './routers/system.ts'
import { webhooksRouter } from './routers/webhooks.ts'

export const appRouter = router({
  system: systemRouter,
  sessions: sessionsRouter,
  runs: runsRouter,
  chats: chatsRouter,
  keys: keysRouter,
  org: orgRouter,
  webhooks: webhooksRouter,
})

export type AppRouter = typeof appRouter
