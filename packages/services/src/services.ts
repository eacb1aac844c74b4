import type { OrgMemberService } from './accounts.ts'
import type { AuthService } from './auth.ts'
import type { RuntimeInfo } from './catalog.ts'
import type { ChatService } from './chats.ts'
import type { ResponseService } from './responses.ts'
import type { RunService } from './runs.ts'
import type { SessionService } from './sessions.ts'
import type { SystemService } from './system.ts'
import type { WebhookService } from './webhooks.ts'

/** What the surface adapters (REST routes, tRPC routers) may use: services only, never the engine or Prisma. */
export interface Services {
  auth: AuthService
  sessions: SessionService
  chats: ChatService
  runs: RunService
  /** Responses API records (`resp_…`) over response runs. */
  responses: ResponseService
  system: SystemService
  /** Members of the caller's organisation (org keys). */
  orgMembers: OrgMemberService
  runtime: RuntimeInfo
  /** The account's webhook endpoints and their delivery log. */
  webhooks: WebhookService
}
