// Every failure becomes an AppError exactly once, here; each surface then renders it in its own
// wire shape. Client mistakes are 4xx, an unreachable database 503, anything else a logged 500.
import { AppError, isAppError } from '@runyard/contract'
import { z } from 'zod'
import { JsonTooDeepError, MAX_BODY_BYTES } from './body.ts'

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '53300', 'P1001', 'P1002', 'P1017', 'P2024'])

function isUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const o = e as { code?: unknown; syscall?: unknown; message?: unknown; cause?: unknown }
    if (typeof o.code === 'string' && UNAVAILABLE_CODES.has(o.code)) return true
    // Any failure to open a connection: ECONNREFUSED on TCP, ENOENT on the embedded server's socket.
    if (o.syscall === 'connect') return true
    if (typeof o.message === 'string' && /Connection terminated|connect ECONNREFUSED|Can't reach database|pool.*(ended|closed)|Cannot use a pool after calling end/i.test(o.message)) return true
    e = o.cause
  }
  return false
}

export function zodIssuesMessage(error: z.ZodError, where?: string): string {
  const parts = error.issues.map((i) => {
    const at = i.path.length ? i.path.join('.') : where
    return at ? `${at}: ${i.message}` : i.message
  })
  return `Invalid request: ${parts.join('; ')}`
}

export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err
  if (err instanceof z.ZodError) return new AppError('bad_request', 'bad_request', zodIssuesMessage(err), { param: err.issues[0]?.path.join('.') || undefined })
  const body = err as { type?: string; status?: number; expose?: boolean; message?: string }
  if (body?.type === 'entity.parse.failed') return new AppError('bad_request', 'bad_request', 'The request body is not valid JSON.')
  if (body?.type === 'entity.too.large') return new AppError('too_large', 'payload_too_large', `The request body is larger than the ${MAX_BODY_BYTES / 1024 / 1024} MiB limit.`)
  if (err instanceof JsonTooDeepError) return new AppError('bad_request', 'bad_request', err.message)
  // The router's own decodeURIComponent of a path parameter (`/api/sessions/%E0%A4%A`).
  if (err instanceof URIError) return new AppError('bad_request', 'bad_request', 'The URL is not valid percent-encoded UTF-8.')
  if (body?.expose && typeof body.status === 'number' && body.status >= 400 && body.status < 500)
    return new AppError('bad_request', 'bad_request', body.message ?? 'Bad request')
  if (isUnavailable(err)) return new AppError('unavailable', 'unavailable', 'The service is temporarily unavailable (database unreachable). Retry shortly.')
  return new AppError('internal', 'internal', 'Internal server error')
}
