import type { PrismaClient } from '@runyard/db'
import type { OrgMemberService } from '../services/accounts.ts'
import type { AuthService } from '../services/auth.ts'
import type { ChatService } from '../services/chats.ts'
import type { RuntimeInfo } from '../services/catalog.ts'
import type { ResponseService } from '../services/responses.ts'
import type { RunService } from '../services/runs.ts'
import type { SessionService } from '../services/sessions.ts'
import type { SystemService } from '../services/system.ts'

/** What the surface adapters may use: services only, never the engine or Prisma directly. */
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
  /** Reserved for services; adapters must not touch it. */
  readonly prisma?: never
}

export type { PrismaClient }
