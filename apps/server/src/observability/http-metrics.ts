// HTTP metrics: each response's duration by method, route template (never the raw path: ids
// would make every request its own series) and status; and the event streams open now, counted
// by the one SSE writer (http/sse.ts) through sseStreamOpened.
import type { Express, NextFunction, Request, Response } from 'express'
import { routeTemplate } from '../http/route-template.ts'
import type { RunyardMetrics } from './metrics.ts'

const metricsOfApp = new WeakMap<object, RunyardMetrics>()

/** Times every response of `app` (register first, before any route). */
export function httpMetrics(app: Express, metrics: RunyardMetrics) {
  metricsOfApp.set(app, metrics)
  return (req: Request, res: Response, next: NextFunction) => {
    const start = performance.now()
    res.once('close', () => {
      // A stream's duration is how long the client listened, not a latency.
      if (String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) return
      metrics.httpDuration.observe(
        { method: req.method, route: routeOf(req, res), status: String(res.statusCode) },
        (performance.now() - start) / 1000,
      )
    })
    next()
  }
}

/** The matched route's template (`/api/sessions/:sessionId`), or a fixed name for the rest. */
function routeOf(req: Request, res: Response): string {
  const template = routeTemplate(req)
  if (template) return template
  // tRPC's procedures are whatever the client names: one label for all of them
  if (req.originalUrl.startsWith('/trpc')) return '/trpc'
  return res.statusCode === 404 ? '(unmatched)' : '(static)'
}

/** Counts an event stream of `req`'s app as open; returns what counts it closed (call once). */
export function sseStreamOpened(req: Request): () => void {
  const metrics = metricsOfApp.get(req.app)
  if (!metrics) return () => {}
  metrics.sseStreams.inc()
  let open = true
  return () => {
    if (open) metrics.sseStreams.dec()
    open = false
  }
}
