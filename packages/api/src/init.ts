// tRPC's foundation for every router: the context (the services and the caller, resolved
// lazily so public procedures need no key), one error mapping (service errors → tRPC codes, no
// stacks, no internal messages), and the guard against hostile input shapes.
import { AppError, inputProblem, type ErrorKind } from '@runyard/contract'
import { appErrorOf, type AuthContext, type Services } from '@runyard/services'
import { initTRPC, TRPCError } from '@trpc/server'

export interface TrpcContext {
  services: Services
  /** The caller, resolved on first use. */
  auth(): Promise<AuthContext>
}

/** tRPC's error codes, and their JSON-RPC numbers, per error kind. */
export const TRPC_ERRORS = {
  bad_request: ['BAD_REQUEST', -32600],
  unauthorized: ['UNAUTHORIZED', -32001],
  forbidden: ['FORBIDDEN', -32003],
  not_found: ['NOT_FOUND', -32004],
  conflict: ['CONFLICT', -32009],
  too_large: ['PAYLOAD_TOO_LARGE', -32013],
  rate_limited: ['TOO_MANY_REQUESTS', -32029],
  unavailable: ['SERVICE_UNAVAILABLE', -32603],
  internal: ['INTERNAL_SERVER_ERROR', -32603],
} as const satisfies Record<ErrorKind, readonly [string, number]>

/**
 * The context of one request. `rejected`: an AppError the HTTP layer met before tRPC read the
 * request (a body too large, no valid key for a mutation), answered by tRPC in its own shape.
 */
export function createTrpcContext(
  services: Services,
  auth: () => Promise<AuthContext>,
  rejected?: AppError,
): TrpcContext {
  if (rejected) throw toTrpcError(rejected)
  return { services, auth }
}

function toTrpcError(err: unknown): TRPCError {
  const app = appErrorOf(err)
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
      const app = appErrorOf(cause ?? result.error)
      if (app.kind !== 'internal' || cause instanceof AppError) throw toTrpcError(app)
    } else if (result.error.code === 'BAD_REQUEST' && cause) {
      // An input that failed its schema: tRPC's message is the issues as JSON; say it as REST does,
      // naming the field (`Invalid request: limit: …`, `details.param`).
      const app = appErrorOf(cause)
      if (app.kind === 'bad_request') throw toTrpcError(app)
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
export const authedProcedure = publicProcedure
  .use(async ({ ctx, next }) => next({ ctx: { ...ctx, identity: await ctx.auth() } }))
  .use(guardInput)

/** `Retry-After` for a response carrying a rate-limit refusal (the HTTP adapter's responseMeta). */
export function retryAfterHeader(errors: readonly TRPCError[]): Record<string, string> | undefined {
  for (const e of errors) {
    const seconds = e.cause instanceof AppError ? e.cause.details.retryAfterSeconds : undefined
    if (seconds !== undefined) return { 'retry-after': String(seconds) }
  }
  return undefined
}
