// Readable messages and codes from tRPC errors (server errors carry `data.appCode`).
import { TRPCClientError } from '@trpc/client'

interface ErrorData {
  code?: string
  httpStatus?: number
  appCode?: string | null
}

function dataOf(err: unknown): ErrorData | undefined {
  return err instanceof TRPCClientError ? (err.data as ErrorData | undefined) : undefined
}

/** The tRPC error code ('UNAUTHORIZED', 'CONFLICT', …), if the server sent one. */
export function errorCode(err: unknown): string | undefined {
  return dataOf(err)?.code
}

export function appCode(err: unknown): string | undefined {
  return dataOf(err)?.appCode ?? undefined
}

export function isUnauthorized(err: unknown): boolean {
  return errorCode(err) === 'UNAUTHORIZED'
}

/** 4xx: retrying will not help. */
export function isClientError(err: unknown): boolean {
  const status = dataOf(err)?.httpStatus
  return status !== undefined && status >= 400 && status < 500
}

export function errorMessage(err: unknown): string {
  if (err instanceof TRPCClientError) {
    // zod validation errors arrive as a JSON array of issues: show the first one plainly.
    try {
      const issues = JSON.parse(err.message) as { message?: string; path?: (string | number)[] }[]
      const first = Array.isArray(issues) ? issues[0] : undefined
      if (first?.message) return first.path?.length ? `${first.path.join('.')}: ${first.message}` : first.message
    } catch {
      // not JSON: a plain message
    }
    if (err.message === 'Failed to fetch' || err.message.includes('NetworkError'))
      return 'The server could not be reached. Is Runyard running?'
    return err.message
  }
  if (err instanceof Error) return err.message
  return String(err)
}
