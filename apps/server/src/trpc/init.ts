import { AppError } from '@runyard/contract'
import { initTRPC, TRPCError } from '@trpc/server'
import type { CreateExpressContextOptions } from '@trpc/server/adapters/express'
import { toAppError } from '../http/errors.ts'
import { secretFromHeaders, type AuthContext } from '../services/auth.ts'
import type { Services } from '../surfaces/deps.ts'

export interface TrpcContext {
  services: Services
  /** Resolved lazily so that unauthenticated procedures don't need a key. */
  auth(): Promise<AuthContext>
}

export function createContextFactory(services: Services) {
  return ({ req }: CreateExpressContextOptions): TrpcContext => {
    let cached: Promise<AuthContext> | undefined
    return { services, auth: () => (cached ??= services.auth.authenticate(secretFromHeaders(req.headers))) }
  }
}

const TRPC_CODES = {
  bad_request: 'BAD_REQUEST',
  unauthorized: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  unavailable: 'SERVICE_UNAVAILABLE',
  internal: 'INTERNAL_SERVER_ERROR',
} as const

const t = initTRPC.context<TrpcContext>().create({
  sse: { ping: { enabled: true, intervalMs: 10_000 }, client: { reconnectAfterInactivityMs: 20_000 } },
  errorFormatter({ shape, error }) {
    const app = error.cause instanceof AppError ? error.cause : undefined
    return { ...shape, data: { ...shape.data, appCode: app?.code ?? null, details: app?.details ?? null } }
  },
})

/** Maps service errors (AppError, database failures) to tRPC errors once, for every procedure. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next()
  if (!result.ok) {
    const cause = result.error.cause
    if (!(result.error instanceof TRPCError) || result.error.code === 'INTERNAL_SERVER_ERROR') {
      const app = toAppError(cause ?? result.error)
      if (app.kind !== 'internal' || cause instanceof AppError) {
        throw new TRPCError({ code: TRPC_CODES[app.kind], message: app.message, cause: app })
      }
    }
  }
  return result
})

export const router = t.router
export const publicProcedure = t.procedure.use(mapErrors)
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => next({ ctx: { ...ctx, identity: await ctx.auth() } }))
