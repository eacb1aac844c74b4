// Every failure of an HTTP request becomes an AppError exactly once, here: what only HTTP can get
// wrong (a body that is not JSON or too large, a malformed URL), then whatever the services say
// (appErrorOf). Each surface renders the AppError in its own wire shape.
import { AppError } from '@runyard/contract'
import { appErrorOf } from '@runyard/services'
import { JsonTooDeepError, MAX_BODY_BYTES } from './body.ts'

export function toAppError(err: unknown): AppError {
  const body = err as { type?: string; status?: number; expose?: boolean; message?: string } | null
  if (body?.type === 'entity.parse.failed')
    return new AppError('bad_request', 'bad_request', 'The request body is not valid JSON.')
  if (body?.type === 'entity.too.large')
    return new AppError(
      'too_large',
      'payload_too_large',
      `The request body is larger than the ${MAX_BODY_BYTES / 1024 / 1024} MiB limit.`,
    )
  if (err instanceof JsonTooDeepError) return new AppError('bad_request', 'bad_request', err.message)
  // The router's own decodeURIComponent of a path parameter (`/api/sessions/%E0%A4%A`).
  if (err instanceof URIError)
    return new AppError('bad_request', 'bad_request', 'The URL is not valid percent-encoded UTF-8.')
  if (
    !(err instanceof AppError) &&
    body?.expose &&
    typeof body.status === 'number' &&
    body.status >= 400 &&
    body.status < 500
  )
    return new AppError('bad_request', 'bad_request', body.message ?? 'Bad request')
  return appErrorOf(err)
}
