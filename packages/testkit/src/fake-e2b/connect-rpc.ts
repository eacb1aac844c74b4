// Connect protocol framing (JSON codec) as the e2b SDK's connect-web transport speaks it:
// unary = bare JSON bodies; server streaming = [flags:1][len:4 BE][payload] envelopes,
// where flag 0x02 marks the final EndStreamResponse.
import type { ServerResponse } from 'node:http'
import { isRecord, sendJson } from './http-util.ts'

export type ConnectCode =
  | 'canceled'
  | 'unknown'
  | 'invalid_argument'
  | 'deadline_exceeded'
  | 'not_found'
  | 'already_exists'
  | 'permission_denied'
  | 'resource_exhausted'
  | 'failed_precondition'
  | 'aborted'
  | 'out_of_range'
  | 'unimplemented'
  | 'internal'
  | 'unavailable'
  | 'data_loss'
  | 'unauthenticated'

/** Thrown by handlers; turned into a Connect error (unary body or end-of-stream frame). */
export class ConnectRpcError extends Error {
  constructor(
    readonly code: ConnectCode,
    message: string,
  ) {
    super(message)
  }
}

const UNARY_STATUS: Record<ConnectCode, number> = {
  canceled: 499,
  unknown: 500,
  invalid_argument: 400,
  deadline_exceeded: 504,
  not_found: 404,
  already_exists: 409,
  permission_denied: 403,
  resource_exhausted: 429,
  failed_precondition: 400,
  aborted: 409,
  out_of_range: 400,
  unimplemented: 501,
  internal: 500,
  unavailable: 503,
  data_loss: 500,
  unauthenticated: 401,
}

export function sendUnary(res: ServerResponse, message: unknown): void {
  sendJson(res, 200, message)
}

export function sendUnaryError(res: ServerResponse, err: ConnectRpcError): void {
  sendJson(res, UNARY_STATUS[err.code], { code: err.code, message: err.message })
}

/** Parses the single request envelope of a server-streaming call. */
export function parseRequestEnvelope(body: Buffer): Record<string, unknown> {
  if (body.length < 5) throw new ConnectRpcError('invalid_argument', 'missing request envelope')
  const flags = body.readUInt8(0)
  if (flags & 0x01) throw new ConnectRpcError('internal', 'compressed envelopes are not supported')
  const len = body.readUInt32BE(1)
  const payload = body.subarray(5, 5 + len).toString('utf8')
  const parsed: unknown = payload ? JSON.parse(payload) : {}
  if (!isRecord(parsed)) throw new ConnectRpcError('invalid_argument', 'request must be a JSON object')
  return parsed
}

function envelope(flags: number, message: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(message), 'utf8')
  const head = Buffer.alloc(5)
  head.writeUInt8(flags, 0)
  head.writeUInt32BE(payload.length, 1)
  return Buffer.concat([head, payload])
}

/** A server stream: headers are flushed immediately (the SDK waits for the first event). */
export class ServerStream {
  private ended = false
  constructor(private readonly res: ServerResponse) {
    res.writeHead(200, { 'content-type': 'application/connect+json' })
    res.flushHeaders()
  }

  get closed(): boolean {
    return this.ended || this.res.destroyed
  }

  send(message: unknown): void {
    if (this.closed) return
    this.res.write(envelope(0x00, message))
  }

  end(error?: ConnectRpcError): void {
    if (this.closed) return
    this.ended = true
    this.res.end(envelope(0x02, error ? { error: { code: error.code, message: error.message } } : {}))
  }
}
