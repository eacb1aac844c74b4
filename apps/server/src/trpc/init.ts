import { AppError } from '@runyard/contract'
import { initTRPC, TRPCError } from '@trpc/server'
import type { CreateExpressContextOptions } from '@trpc/server/adapters/express'
import type { Request } from 'express'
import { toAppError } from '../http/errors.ts'
import { inputProblem } from '../http/input-guard.ts'
import { TRPC_ERRORS } from '../http/error-shapes.ts'
import { secretFromHeaders, type AuthContext } from '../services/auth.ts'
import type { Services } from '../surfaces/deps.ts'

export interface TrpcContext {
  services: Services
  /** Resolved lazily so that unauthenticated procedures don't need a key. */
  auth(): Promise<AuthContext>
}

/** An error found before tRPC read the request (its body), answered by createContext in tRPC's shape. */
const requestErrors = new WeakMap<Request, unknown>()

export function rejectTrpcRequest(req: Request, err: unknown): void {
  requestErrors.set(req, err)
}

export function createContextFactory(services: Services) {
  return ({ req }: CreateExpressContextOptions): TrpcContext => {
    if (requestErrors.has(req)) throw toTrpcError(requestErrors.get(req))
    let cached: Promise<AuthContext> | undefined
    return { services, auth: () => (cached ??= services.auth.authenticate(secretFromHeaders(req.headers))) }
  }
}

function toTrpcError(err: unknown): TRPCError {
  const app = toAppError(err)
  return new TRPCError({ code: TRPC_ERRORS[app.kind][0], message: app.message, cause: app })
}

const t = initTRPC.context<TrpcContext>().create({
  // Never send stack traces to clients, whatever NODE_ENV says.
  isDev: false,
  sse: { ping: { enabled: true, intervalMs: 10_000 }, client: { reconnectAfterInactivityMs: 20_000 } },
  errorFormatter({ shape, error }) {
    const app = error.cause instanceof AppError ? error.cause : undefined
    // An unexpected failure's own message may quote SQL or a file; the client gets a generic one.
    const message = error.code === 'INTERNAL_SERVER_ERROR' && !app ? 'Internal server error' : shape.message
    return { ...shape, message, data: { ...shape.data, appCode: app?.code ?? null, details: app?.details ?? null } }
  },
})

/** Maps service errors (AppError, database failures) to tRPC errors once, for every procedure. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next()
  if (!result.ok) {
    const cause = result.error.cause
    if (!(result.error instanceof TRPCError) || result.error.code === 'INTERNAL_SERVER_ERROR') {
      const app = toAppError(cause ?? result.error)
      if (app.kind !== 'internal' || cause instanceof AppError) throw toTrpcError(app)
    }
  }
  return result
})

/** Refuses hostile input shapes (too deep, NUL, lone surrogates) before any schema sees them. */
const guardInput = t.middleware(async ({ getRawInput, next }) => {
  const problem = inputProblem(await getRawInput(), 'input')
  if (problem) throw toTrpcError(problem)
  return next()
})

export const router = t.router
export const publicProcedure = t.procedure.use(mapErrors)
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => next({ ctx: { ...ctx, identity: await ctx.auth() } })).use(guardInput)
