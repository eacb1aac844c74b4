// REST routes are mounted one router per path prefix (http/route.ts, mountRoutes), so a request
// is matched against its own prefix's routes only. These check that nothing moved for a client:
// every declared route is still reached by its method and path, a path no route has still gets
// its surface's own 404 (never another surface's, never the console), and a route at the root of
// its prefix (`POST /api/chat`, `GET /v1/models`) keeps its metrics label without a trailing slash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { restRoutes } from '../src/app.ts'
import { mountPrefix } from '../src/http/route.ts'
import { errorShapeForPath } from '../src/http/error-shapes.ts'
import { scrape } from './support/prometheus.ts'
import { startTestServer, type TestServer } from './support/server.ts'
import type { Services } from '@runyard/services'

/** The app's own answer for a path no route has (app.ts): what a route that was not reached gets. */
const UNROUTED = /No route for/

describe('mountPrefix', () => {
  it('is the static start of the path, up to two segments', () => {
    expect(mountPrefix('/api/chat/runs/{runId}/events')).toBe('/api/chat')
    expect(mountPrefix('/api/chat')).toBe('/api/chat')
    expect(mountPrefix('/v1/models/{model}')).toBe('/v1/models')
    expect(mountPrefix('/api/{accountId}/keys')).toBe('/api')
    expect(mountPrefix('/{anything}')).toBe('/')
  })
})

describe('REST routes mounted by prefix', () => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer()
  })
  afterAll(async () => s.stop())

  // Declarations only (handlers are not called): the routes the running server mounted.
  const routes = restRoutes({} as Services)

  it('labels a route at the root of its prefix by its declared path', async () => {
    expect((await s.api('/v1/models')).status).toBe(200)
    const labels = (await scrape(s.url))
      .samples('runyard_http_request_duration_seconds_count')
      .map((x) => x.labels!.route!)
    expect(labels).toContain('/v1/models')
    expect(labels).not.toContain('/v1/models/')
  })

  // Last: a body of `{}` may create things (a key turns a local-mode server into keys mode).
  it('reach every declared route by its method and path', { timeout: 120_000 }, async () => {
    expect(routes.length).toBeGreaterThan(30)
    const unreached: string[] = []
    for (const route of routes) {
      const path = route.path.replace(/\{\w+\}/g, 'zz_unknown')
      const res = await fetch(`${s.url}${path}`, {
        method: route.method.toUpperCase(),
        headers: route.body ? { 'content-type': 'application/json' } : {},
        body: route.body ? '{}' : undefined,
        signal: AbortSignal.timeout(20_000),
      })
      // A stream was answered by its route; anything else is read whole.
      const text = (res.headers.get('content-type') ?? '').startsWith('text/event-stream')
        ? (await res.body?.cancel(), '')
        : await res.text()
      if (UNROUTED.test(text) || res.status >= 500)
        unreached.push(`${route.method} ${route.path}: ${res.status} ${text}`)
    }
    expect(unreached).toEqual([])
  })

  it("answers a path no route has with its surface's own 404", async () => {
    const prefixes = [...new Set(routes.map((r) => mountPrefix(r.path)))]
    expect(prefixes).toContain('/api/chat')
    for (const prefix of prefixes) {
      for (const path of [`${prefix}/zz/no/such/route`, `${prefix}zz`]) {
        const res = await fetch(`${s.url}${path}`, { method: 'POST' })
        expect(res.status, path).toBe(404)
        expect(res.headers.get('content-type'), path).toMatch(/^application\/json/)
        const body: unknown = await res.json()
        expect(errorShapeForPath(path).errorSchema.safeParse(body).success, `${path}: ${JSON.stringify(body)}`).toBe(
          true,
        )
        expect(JSON.stringify(body)).toMatch(UNROUTED)
      }
    }
  })
})
