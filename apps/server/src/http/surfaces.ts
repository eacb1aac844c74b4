// The error shape of each API surface, and its OpenAPI schema.
import type { AppError } from '@runyard/contract'
import { z } from 'zod'

export interface Surface {
  name: 'recoup' | 'cometcode' | 'openai' | 'runyard'
  errorSchema: z.ZodType
  errorBody(err: AppError): unknown
}

export const RecoupError = z
  .object({ status: z.literal('error'), error: z.string() })
  .meta({ id: 'RecoupError', description: 'Recoup-style error: `{status:"error", error:"<message>"}`.', example: { status: 'error', error: 'Session not found' } })

export const CometCodeError = z
  .strictObject({ error: z.strictObject({ code: z.string(), message: z.string() }) })
  .meta({ id: 'CometCodeError', description: 'CometCode error envelope.', example: { error: { code: 'session_not_found', message: 'session was not found' } } })

export const OpenAIError = z
  .object({
    error: z.object({ message: z.string(), type: z.string(), param: z.string().nullable(), code: z.string().nullable() }),
  })
  .meta({
    id: 'OpenAIError',
    description: 'OpenAI-compatible error.',
    example: { error: { message: 'Unknown model "x"', type: 'invalid_request_error', param: 'model', code: 'model_not_found' } },
  })

const OPENAI_TYPES: Record<AppError['kind'], string> = {
  bad_request: 'invalid_request_error',
  unauthorized: 'authentication_error',
  forbidden: 'permission_error',
  not_found: 'not_found_error',
  conflict: 'conflict_error',
  unavailable: 'service_unavailable_error',
  internal: 'server_error',
}

export const recoup: Surface = { name: 'recoup', errorSchema: RecoupError, errorBody: (e) => ({ status: 'error', error: e.message }) }

export const cometcode: Surface = {
  name: 'cometcode',
  errorSchema: CometCodeError,
  errorBody: (e) => ({ error: { code: e.code === 'internal' ? 'internal_error' : e.code, message: e.message } }),
}

export const openai: Surface = {
  name: 'openai',
  errorSchema: OpenAIError,
  errorBody: (e) => ({ error: { message: e.message, type: OPENAI_TYPES[e.kind], param: typeof e.details.param === 'string' ? e.details.param : null, code: e.code === e.kind ? null : e.code } }),
}

export const runyard: Surface = { ...recoup, name: 'runyard' }

/** Which surface answers for a path no route matched. */
export function surfaceForPath(path: string): Surface {
  if (path.startsWith('/api/v1/')) return cometcode
  if (path.startsWith('/v1/')) return openai
  return recoup
}
