// Request logs (pino-http): one `debug` line per request with its method, path (never the query
// string, which can carry secrets), status and duration — no headers, no bodies. Errors of
// requests are logged where they are handled (route.ts sendError), at `error`.
// Also gives every request `req.log` (the same fields' method and path only).
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pinoHttp } from 'pino-http'
import type { Logger } from '../logger.ts'

/** Probes and scrapes, which would otherwise be most of the lines. */
const UNLOGGED = new Set(['/healthz', '/readyz', '/metrics', '/api/v1/health'])
/** A path is logged up to this length (ids are short; a megabyte of path is not). */
const MAX_PATH = 300

type Req = IncomingMessage & { originalUrl?: string }

const pathOf = (req: Req) => (req.originalUrl ?? req.url ?? '').split('?', 1)[0]!.slice(0, MAX_PATH)

export function requestLog(log: Logger) {
  const line = (req: Req, res: ServerResponse, ms: number) => ({
    method: req.method,
    path: pathOf(req),
    status: res.statusCode,
    ms,
  })
  return pinoHttp<Req, ServerResponse>({
    logger: log,
    // No request-id binding, no `req`/`res` objects: the four fields above are the whole line.
    quietResLogger: true,
    wrapSerializers: false,
    serializers: { req: (req: Req) => ({ method: req.method, path: pathOf(req) }) },
    autoLogging: { ignore: (req) => UNLOGGED.has(pathOf(req)) },
    customLogLevel: () => 'debug',
    customSuccessObject: (req, res, val: { responseTime: number }) => line(req, res, val.responseTime),
    customErrorObject: (req, res, _err, val: { responseTime: number }) => line(req, res, val.responseTime),
    customSuccessMessage: (req) => (req.readableAborted ? 'request aborted' : 'request'),
    customErrorMessage: () => 'request',
  })
}
