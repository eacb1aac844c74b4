// The error shape of each API surface, and its OpenAPI schema.
import type { AppError, ErrorCode } from '@runyard/contract'
import { TRPC_ERRORS } from '@runyard/api'
import { z } from 'zod'

export interface ErrorShape {
  name: 'rest' | 'cometcode' | 'openai' | 'trpc'
  errorSchema: z.ZodType
  errorBody(err: AppError): unknown
}

export const RestError = z.object({ status: z.literal('error'), error: z.string() }).meta({
  id: 'RestError',
  description:
    'Error of the camelCase REST API (`/api`, as the hosted Recoup API): `{status:"error", error:"<message>"}`.',
  example: { status: 'error', error: 'Session not found' },
})

export const CometCodeError = z
  .strictObject({ error: z.strictObject({ code: z.string(), message: z.string() }) })
  .meta({
    id: 'CometCodeError',
    description: 'CometCode error envelope.',
    example: { error: { code: 'session_not_found', message: 'session was not found' } },
  })

export const OpenAIError = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string(),
      param: z.string().nullable(),
      code: z.string().nullable(),
    }),
  })
  .meta({
    id: 'OpenAIError',
    description: 'OpenAI-compatible error.',
    example: {
      error: { message: 'Unknown model "x"', type: 'invalid_request_error', param: 'model', code: 'model_not_found' },
    },
  })

export const OPENAI_ERROR_TYPES: Record<AppError['kind'], string> = {
  bad_request: 'invalid_request_error',
  unauthorized: 'authentication_error',
  forbidden: 'permission_error',
  not_found: 'not_found_error',
  conflict: 'conflict_error',
  too_large: 'invalid_request_error',
  // the Open Responses specification's category for 429
  rate_limited: 'too_many_requests',
  unavailable: 'service_unavailable_error',
  internal: 'server_error',
}

/** Codes OpenAI's own API spells differently (clients test for its spelling). */
const OPENAI_ERROR_CODES: Partial<Record<ErrorCode, string>> = { rate_limited: 'rate_limit_exceeded' }

export const rest: ErrorShape = {
  name: 'rest',
  errorSchema: RestError,
  errorBody: (e) => ({ status: 'error', error: e.message }),
}

export const cometcode: ErrorShape = {
  name: 'cometcode',
  errorSchema: CometCodeError,
  errorBody: (e) => ({ error: { code: e.code === 'internal' ? 'internal_error' : e.code, message: e.message } }),
}

export const openai: ErrorShape = {
  name: 'openai',
  errorSchema: OpenAIError,
  errorBody: (e) => ({
    error: {
      message: e.message,
      type: OPENAI_ERROR_TYPES[e.kind],
      param: typeof e.details.param === 'string' ? e.details.param : null,
      code: OPENAI_ERROR_CODES[e.code] ?? (e.code === e.kind ? null : e.code),
    },
  }),
}

/** tRPC's own error envelope, for the few errors answered before tRPC sees the request. */
export const trpc: ErrorShape = {
  name: 'trpc',
  errorSchema: z.object({
    error: z.object({
      message: z.string(),
      code: z.number(),
      data: z.object({ code: z.string(), httpStatus: z.number() }),
    }),
  }),
  errorBody: (e) => ({
    error: {
      message: e.message,
      code: TRPC_ERRORS[e.kind][1],
      data: { code: TRPC_ERRORS[e.kind][0], httpStatus: e.status, appCode: e.code },
    },
  }),
}

/** Which surface answers for a path no route matched. */
export function errorShapeForPath(path: string): ErrorShape {
  if (path.startsWith('/api/v1/') || path === '/api/v1') return cometcode
  if (path.startsWith('/v1/') || path === '/v1') return openai
  if (path.startsWith('/trpc/') || path === '/trpc') return trpc
  return rest
}
