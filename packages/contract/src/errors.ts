// Typed application errors. Services and the engine throw AppError; each surface maps it once
// to its own wire shape (Recoup `{status,error}`, CometCode `{error:{code,message}}`, OpenAI
// `{error:{message,type,param,code}}`, tRPC error codes).

/** The class of an error; fixes the HTTP status on every surface. */
export const ERROR_KINDS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  /** A rate limit or concurrent-run quota was reached; `details.retryAfterSeconds` says when to try again. */
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const
export type ErrorKind = keyof typeof ERROR_KINDS

/** Stable machine-readable codes. */
export type ErrorCode =
  | ErrorKind
  | 'invalid_api_key'
  | 'chat_busy'
  | 'session_not_found'
  | 'session_running'
  | 'session_not_running'
  /** The session is archived: no run can start on it (conflict, 409). */
  | 'session_archived'
  | 'run_not_found'
  | 'chat_not_found'
  | 'response_not_found'
  /** `previous_response_id` names no response of the caller (OpenAI's code). */
  | 'previous_response_not_found'
  | 'workspace_not_found'
  | 'model_not_found'
  | 'key_not_found'
  | 'account_not_found'
  /** A request body over the size limit (413). */
  | 'payload_too_large'
  /** A client-named folder (workspace, skill ref) outside what the operator allows (403). */
  | 'workspace_not_allowed'
  /** A local-mode server refused a request from a foreign `Host` or browser `Origin` (403). */
  | 'origin_not_allowed'
  | 'webhook_endpoint_not_found'
  | 'webhook_message_not_found'
  /** A redelivery to an endpoint that is disabled (409): enable it first. */
  | 'webhook_endpoint_disabled'
  /** A redelivery of a message whose attempt is in flight (409): retry once it has finished. */
  | 'webhook_attempt_in_flight'

export interface AppErrorDetails {
  /** The request field at fault (OpenAI's `param`). */
  param?: string
  /** Run holding a busy chat. */
  activeRunId?: string
  /** `rate_limited`: whole seconds until a retry can succeed (each surface sends it as `Retry-After`). */
  retryAfterSeconds?: number
  [key: string]: unknown
}

export class AppError extends Error {
  override readonly name = 'AppError'
  constructor(
    readonly kind: ErrorKind,
    readonly code: ErrorCode,
    message: string,
    readonly details: AppErrorDetails = {},
  ) {
    super(message)
  }
  get status(): number {
    return ERROR_KINDS[this.kind]
  }
}

export const badRequest = (message: string, details?: AppErrorDetails) =>
  new AppError('bad_request', 'bad_request', message, details)
export const notFound = (code: ErrorCode, message: string) => new AppError('not_found', code, message)
export const forbidden = (message: string) => new AppError('forbidden', 'forbidden', message)
export const unauthorized = (message = 'Missing or invalid API key') =>
  new AppError('unauthorized', 'unauthorized', message)

/** A run was asked for on an archived session (every surface: 409 with code `session_archived`). */
export const sessionArchived = (sessionId: string) =>
  new AppError(
    'conflict',
    'session_archived',
    `Session ${sessionId} is archived: no new runs can start on it. Start a new session to keep working.`,
    { sessionId },
  )

/** A rate limit or quota refused the request (every surface: 429 with `Retry-After`). */
export const rateLimited = (message: string, retryAfterSeconds: number, details: AppErrorDetails = {}) =>
  new AppError('rate_limited', 'rate_limited', message, {
    ...details,
    retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)),
  })

export const isAppError = (err: unknown): err is AppError => err instanceof AppError

/** Run failure codes carried by `error` events and `Run.error.code`. */
export const RUN_ERROR_CODES = ['llm', 'tool', 'sandbox', 'timeout', 'cancelled', 'worker_lost', 'internal'] as const
export type RunErrorCodeValue = (typeof RUN_ERROR_CODES)[number]
