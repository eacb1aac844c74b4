// One SERVER span per HTTP request (OpenTelemetry's HTTP semantic conventions), active while the
// app handles it: what the request starts (a run's admission, above all) becomes its child, and a
// caller's own `traceparent` header makes the request part of the caller's trace. Wraps the
// server's request listener, so it sees every request before any middleware; used only when
// tracing is on (@opentelemetry/api alone, no SDK import).
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { routeTemplate } from '../http/route-template.ts'

const tracer = trace.getTracer('@runyard/server')

export function withRequestSpans(listener: RequestListener): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET'
    const parent = propagation.extract(ROOT_CONTEXT, req.headers)
    const span = tracer.startSpan(
      method,
      {
        kind: SpanKind.SERVER,
        // the path only: a query string may carry what does not belong in a trace
        attributes: { 'http.request.method': method, 'url.path': (req.url ?? '/').split('?')[0], 'url.scheme': 'http' },
      },
      parent,
    )
    let ended = false
    const end = () => {
      if (ended) return
      ended = true
      const route = routeTemplate(req) // once Express has matched one
      if (route) {
        span.setAttribute('http.route', route)
        span.updateName(`${method} ${route}`)
      }
      span.setAttribute('http.response.status_code', res.statusCode)
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR })
      // a stream the client left before it ended
      if (!res.writableFinished) span.setAttribute('runyard.response.aborted', true)
      span.end()
    }
    res.once('finish', end)
    res.once('close', end)
    context.with(trace.setSpan(parent, span), () => listener(req, res))
  }
}
