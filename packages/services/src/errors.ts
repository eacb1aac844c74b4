// Every failure a service call can end in, as an AppError: AppErrors as they are, schema failures
// as 400s naming the field, an unreachable database or a pool busy beyond Prisma's wait as 503,
// anything else a 500 (whose detail is logged, never sent). Each surface renders the AppError in
// its own wire shape.
import { AppError, isAppError } from '@runyard/contract'
import { z } from 'zod'

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  'P1001',
  'P1002',
  'P1017',
  'P2024',
])

function isUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const o = e as { code?: unknown; syscall?: unknown; message?: unknown; cause?: unknown }
    if (typeof o.code === 'string' && UNAVAILABLE_CODES.has(o.code)) return true
    // Any failure to open a connection: ECONNREFUSED on TCP, ENOENT on the embedded server's socket.
    if (o.syscall === 'connect') return true
    if (
      typeof o.message === 'string' &&
      /Connection terminated|connect ECONNREFUSED|Can't reach database|pool.*(ended|closed)|Cannot use a pool after calling end/i.test(
        o.message,
      )
    )
      return true
    e = o.cause
  }
  return false
}

/**
 * Prisma could not start an interactive transaction within its wait (P2028): every connection of
 * the shared pool stayed busy that long. The server is overloaded, not broken: a 503 to retry.
 */
function isBusy(err: unknown): boolean {
  const o = err as { code?: unknown; message?: unknown }
  return o?.code === 'P2028' && typeof o.message === 'string' && /Unable to start a transaction/i.test(o.message)
}

export function zodIssuesMessage(error: z.ZodError, where?: string): string {
  const parts = error.issues.map((i) => {
    const at = i.path.length ? i.path.join('.') : where
    return at ? `${at}: ${i.message}` : i.message
  })
  return `Invalid request: ${parts.join('; ')}`
}

export function appErrorOf(err: unknown): AppError {
  if (isAppError(err)) return err
  if (err instanceof z.ZodError)
    return new AppError('bad_request', 'bad_request', zodIssuesMessage(err), {
      param: err.issues[0]?.path.join('.') || undefined,
    })
  if (isBusy(err))
    return new AppError(
      'unavailable',
      'unavailable',
      'The server is busy: no database connection came free in time. Retry shortly.',
      { retryAfterSeconds: 1 },
    )
  if (isUnavailable(err))
    return new AppError(
      'unavailable',
      'unavailable',
      'The service is temporarily unavailable (database unreachable). Retry shortly.',
    )
  return new AppError('internal', 'internal', 'Internal server error')
}
