// The HTTP server span names the route Express matched by its declared path, as the HTTP metrics
// label does (route-prefixes.test.ts): REST routes are mounted one router per path prefix
// (http/route.ts, mountRoutes), so a route at the root of its prefix (`GET /v1/models`,
// `POST /api/chat`) is `/` under that prefix, and must not be reported as `/v1/models/`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver.ts'
import { startTestServer, type TestServer } from './support/server.ts'

const SERVER = 2 // OTLP SpanKind

describe('the request span of a route mounted by prefix', () => {
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

  it('is named by the declared path, at the root of a prefix and below it', async () => {
    expect((await s.api('/v1/models')).status).toBe(200)
    expect((await s.api('/api/sessions')).status).toBe(200)
    expect((await s.api('/api/chat/runs/run_zz_unknown', { validate: false })).status).toBe(404)
    const route = (name: string) =>
      receiver.waitFor(`the span of ${name}`, (spans) =>
        spans.find((x) => x.kind === SERVER && x.attributes['url.path'] === name),
      )
    for (const [path, template] of [
      ['/v1/models', '/v1/models'],
      ['/api/sessions', '/api/sessions'],
      ['/api/chat/runs/run_zz_unknown', '/api/chat/runs/:runId'],
    ] as const) {
      const span = await route(path)
      expect({ name: span.name, route: span.attributes['http.route'] }, path).toEqual({
        name: `GET ${template}`,
        route: template,
      })
    }
  })
})
