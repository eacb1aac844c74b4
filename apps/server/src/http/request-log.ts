// Request logs (pino-http): one `debug` line per request with its method, path (never the query
// string, which can carry secrets), status and duration — no headers, no bodies. Errors of
// requests are logged where they are handled (route.ts sendError), at `error`.
// Also gives every request `req.log` (the same fields' method and path only).
// Below `debug` (the default level is `info`) no request line can be written, so pino-http is not
// mounted at all: its per-request work (an id, a child logger, three listeners, the line's object)
// was ~0.1 ms of the ~1.7 ms of main-thread CPU of an admission (perf, 200 POST /api/chat/runs a
// second), for nothing. `req.log` is then made when first used.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RequestHandler } from 'express'
import { pinoHttp } from 'pino-http'
import type { Logger } from '../logger.ts'

/** Probes and scrapes, which would otherwise be most of the lines. */
const UNLOGGED = new Set(['/healthz', '/readyz', '/metrics', '/api/v1/health'])
/** A path is logged up to this length (ids are short; a megabyte of path is not). */
const MAX_PATH = 300

type Req = IncomingMessage & { originalUrl?: string }

const pathOf = (req: Req) => (req.originalUrl ?? req.url ?? '').split('?', 1)[0]!.slice(0, MAX_PATH)

export function requestLog(log: Logger): RequestHandler {
  if (!log.isLevelEnabled('debug')) return withLazyRequestLogger(log)
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

/** `req.log` as pino-http makes it (the request's method and path bound), created on first use. */
function withLazyRequestLogger(log: Logger): RequestHandler {
  return (req, _res, next) => {
    Object.defineProperty(req, 'log', {
      configurable: true,
      enumerable: true,
      get() {
        const child = log.child({ req: { method: req.method, path: pathOf(req) } })
        Object.defineProperty(req, 'log', { configurable: true, enumerable: true, writable: true, value: child })
        return child
      },
    })
    next()
  }
}
