// What a request is named by in the HTTP metrics and in its server span: the template of the route
// it reached, as declared, never anything the client wrote. REST routes are mounted one router per
// path prefix (http/route.ts, mountRoutes), so a route at the root of its prefix (`GET /v1/models`,
// `POST /api/chat`) is `/` under that prefix and must not be named `/v1/models/`; and Express
// matches paths whatever their case, so the prefix a request matched (`/V1/Models`) is the
// client's spelling, which would make every spelling a series and a span name of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver.ts'
import { scrape } from './support/prometheus.ts'
import { startTestServer, type TestServer } from './support/server.ts'

const SERVER = 2 // OTLP SpanKind

describe('the route a request is named by', () => {
  let receiver: OtlpReceiver
  let s: TestServer
  beforeAll(async () => {
    receiver = await startOtlpReceiver()
    s = await startTestServer({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
    })
  }, 60_000)
  afterAll(async () => {
    await s?.stop()
    await receiver?.close()
  })

  // path requested → the declared route's template
  const cases = [
    ['/v1/models', '/v1/models'],
    ['/api/sessions', '/api/sessions'],
    ['/api/chat/runs/run_zz_unknown', '/api/chat/runs/:runId'],
    ['/V1/Models', '/v1/models'],
    ['/API/Chat/runs/run_zz_unknown', '/api/chat/runs/:runId'],
  ] as const

  it('is the declared template, at the root of a prefix and below it, however the path is spelt', async () => {
    for (const [path] of cases) {
      const res = await fetch(`${s.url}${path}`)
      await res.arrayBuffer()
      expect(res.status, path).not.toBe(500)
    }
    // A response is counted when it closes: read until all are there (or give up and show what is).
    let labels: string[] = []
    for (let i = 0; i < 100; i++) {
      const metrics = await scrape(s.url)
      labels = metrics.samples('runyard_http_request_duration_seconds_count').map((x) => x.labels!.route!)
      if (cases.every(([, template]) => labels.includes(template))) break
      await new Promise((r) => setTimeout(r, 50))
    }
    for (const [path, template] of cases) {
      const span = await receiver.waitFor(`the span of ${path}`, (spans) =>
        spans.find((x) => x.kind === SERVER && x.attributes['url.path'] === path),
      )
      expect({ name: span.name, route: span.attributes['http.route'] }, path).toEqual({
        name: `GET ${template}`,
        route: template,
      })
      expect(labels, path).toContain(template)
    }
    expect(labels.filter((l) => /\/(V1|API)\//.test(l))).toEqual([])
    expect(labels.filter((l) => l.endsWith('/'))).toEqual([])
  })
})
