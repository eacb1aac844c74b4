// What every request goes through before a route: loopback safety in local mode (a foreign Host
// or a cross-site browser Origin is refused), and hostile input answered with a clear 4xx in the
// surface's own shape (malformed URLs, bodies over the limit, deep nesting, NUL and lone
// surrogates) — never a 500, an HTML page or a stack trace, and nothing written.
import http from 'node:http'
import { createTestDb } from '@runyard/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TRPC_MAX_BATCH } from '../src/app.ts'
import { seedTwoAccounts, startTestServer, type TestServer } from './support/server.ts'

/** A raw request (fetch cannot set `Host`); the status and parsed JSON body. */
function raw(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; type: string; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (text += d))
      res.on('end', () => {
        const type = res.headers['content-type'] ?? ''
        resolve({ status: res.statusCode!, type, body: type.includes('json') ? JSON.parse(text) : text })
      })
    })
    req.on('error', reject)
    req.end(opts.body)
  })
}

const json = (body: unknown, extra: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...extra },
  body: JSON.stringify(body),
})

describe('local mode: loopback safety', () => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer({ env: { RUNYARD_CORS_ORIGINS: 'http://localhost:3000' } })
    expect(s.authMode).toBe('local')
  })
  afterAll(() => s.stop())

  const runCount = () => s.db.prisma.run.count()

  it('refuses a Host that is not a loopback name (DNS rebinding), on every surface and the console', async () => {
    const before = await runCount()
    const host = { host: `attacker.example:${s.port}` }
    const chat = await raw(`${s.url}/api/chat/runs`, json({ prompt: 'hi' }, host))
    expect(chat).toMatchObject({
      status: 403,
      body: { status: 'error', error: expect.stringContaining('DNS-rebinding') },
    })
    expect(await raw(`${s.url}/v1/responses`, json({ model: 'default', input: 'hi' }, host))).toMatchObject({
      status: 403,
      body: { error: { type: 'permission_error', code: 'origin_not_allowed' } },
    })
    expect(await raw(`${s.url}/api/v1/sessions`, { headers: host })).toMatchObject({
      status: 403,
      body: { error: { code: 'origin_not_allowed' } },
    })
    expect((await raw(`${s.url}/trpc/sessions.list`, { headers: host })).status).toBe(403)
    expect((await raw(`${s.url}/`, { headers: host })).status).toBe(403)
    expect(await runCount()).toBe(before)
    for (const ok of [`127.0.0.1:${s.port}`, `localhost:${s.port}`, `[::1]:${s.port}`, `app.localhost:${s.port}`]) {
      expect((await raw(`${s.url}/api/sessions`, { headers: { host: ok } })).status, ok).toBe(200)
    }
  })

  it('refuses state-changing requests from a foreign browser Origin, however they are sent; allows its own and RUNYARD_CORS_ORIGINS', async () => {
    const before = await runCount()
    const evil = { origin: 'http://evil.example' }
    const textPlain = {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...evil },
      body: JSON.stringify({ prompt: 'hi' }),
    }
    expect(await raw(`${s.url}/api/chat/runs`, textPlain)).toMatchObject({
      status: 403,
      body: { error: expect.stringContaining('RUNYARD_CORS_ORIGINS') },
    })
    expect((await raw(`${s.url}/api/chat/runs`, json({ prompt: 'hi' }, evil))).status).toBe(403)
    expect((await raw(`${s.url}/api/chat/runs`, json({ prompt: 'hi' }, { origin: 'null' }))).status).toBe(403)
    expect((await raw(`${s.url}/api/v1/sessions`, json({ workspace_path: '/tmp/x' }, evil))).status).toBe(403)
    expect((await raw(`${s.url}/trpc/sessions.create`, json({}, evil))).status).toBe(403)
    expect(await runCount()).toBe(before)

    // reading is harmless (the browser keeps the answer from the page without CORS headers)
    expect((await raw(`${s.url}/api/sessions`, { headers: evil })).status).toBe(200)
    expect((await raw(`${s.url}/api/chat/runs`, json({ prompt: 'own origin' }, { origin: s.url }))).status).toBe(202)
    expect(
      (await raw(`${s.url}/api/chat/runs`, json({ prompt: 'listed origin' }, { origin: 'http://localhost:3000' })))
        .status,
    ).toBe(202)
    expect(await runCount()).toBe(before + 2)
  })
})

describe('hostile input', () => {
  let s: TestServer
  let key = ''
  beforeAll(async () => {
    const testDb = await createTestDb()
    key = (await seedTwoAccounts(testDb)).a
    s = await startTestServer({ testDb, env: { RUNYARD_AUTH: 'keys' } })
  })
  afterAll(async () => {
    await s.stop()
    await s.testDb.drop()
  })

  const authed = { 'x-api-key': '' }
  beforeAll(() => {
    authed['x-api-key'] = key
  })
  const counts = async () => ({ runs: await s.db.prisma.run.count(), sessions: await s.db.prisma.session.count() })

  it('malformed percent-encoding in a URL: 400 in the surface shape, before auth, never HTML', async () => {
    expect(await raw(`${s.url}/api/sessions/%E0%A4%A`)).toMatchObject({
      status: 400,
      body: { status: 'error', error: expect.stringContaining('percent-encoded') },
    })
    expect(await raw(`${s.url}/api/v1/sessions/%E0%A4%A`)).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request' } },
    })
    expect(await raw(`${s.url}/v1/responses/%E0%A4%A`)).toMatchObject({
      status: 400,
      body: { error: { type: 'invalid_request_error' } },
    })
    expect(await raw(`${s.url}/api/sessions/%E0%A4%A`, { method: 'DELETE' })).toMatchObject({
      status: 400,
      type: expect.stringContaining('json'),
    })
    expect(await raw(`${s.url}/openapi.json`, { method: 'POST' })).toMatchObject({
      status: 404,
      type: expect.stringContaining('json'),
    })
  })

  it('bodies over the limit get 413, and an anonymous one 401 without being read', async () => {
    const big = JSON.stringify({ prompt: 'x'.repeat(11 * 1024 * 1024) })
    const before = await counts()
    const tooLarge = await s.api('/api/chat/runs', {
      method: 'POST',
      body: big,
      headers: { 'content-type': 'application/json' },
      key,
    })
    expect(tooLarge).toMatchObject({ status: 413, body: { status: 'error', error: expect.stringContaining('10 MiB') } })
    expect((await raw(`${s.url}/v1/responses`, { ...json({}, authed), body: big })).body).toMatchObject({
      error: { type: 'invalid_request_error', code: 'payload_too_large' },
    })
    expect((await raw(`${s.url}/trpc/sessions.create`, { ...json({}, authed), body: big })).body).toMatchObject({
      error: { data: { httpStatus: 413 } },
    })
    expect((await raw(`${s.url}/api/chat/runs`, { ...json({}), body: big })).status).toBe(401)
    expect((await raw(`${s.url}/trpc/sessions.create`, { ...json({}), body: big })).body).toMatchObject({
      error: { data: { httpStatus: 401 } },
    })
    expect(await counts()).toEqual(before)
  })

  it('JSON nested deeper than 64 levels: 400, on REST and tRPC', async () => {
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`
    const before = await counts()
    for (const n of [65, 5_000, 100_000]) {
      const body = `{"prompt":"x","messages":${deep(n)}}`
      expect(
        await s.api('/api/chat/runs', { method: 'POST', body, headers: { 'content-type': 'application/json' }, key }),
        String(n),
      ).toMatchObject({ status: 400, body: { error: expect.stringContaining('64 levels') } })
      expect(
        (await raw(`${s.url}/trpc/sessions.create`, { ...json({}, authed), body: `{"title":${deep(n)}}` })).body,
      ).toMatchObject({ error: { data: { httpStatus: 400 } } })
    }
    const queryInput = encodeURIComponent(`{"sessionId":${deep(200)}}`)
    expect((await raw(`${s.url}/trpc/sessions.get?input=${queryInput}`, { headers: authed })).body).toMatchObject({
      error: { data: { httpStatus: 400 } },
    })
    expect(await counts()).toEqual(before)
  })

  it('NUL and lone surrogates: 400 naming the field, in ids, queries, bodies and tRPC inputs; nothing written', async () => {
    const before = await counts()
    expect(await s.api('/api/chat/runs', { method: 'POST', json: { prompt: 'a\u0000b' }, key })).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/prompt: must not contain NUL/) },
    })
    expect(
      await s.api('/api/chat/runs', {
        method: 'POST',
        body: '{"prompt":"a\\ud800b"}',
        headers: { 'content-type': 'application/json' },
        key,
      }),
    ).toMatchObject({ status: 400, body: { error: expect.stringMatching(/prompt: .*surrogates/) } })
    expect(
      await s.api('/api/chat/runs', {
        method: 'POST',
        json: { messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'x\u0000' }] }] },
        key,
      }),
    ).toMatchObject({ status: 400, body: { error: expect.stringContaining('messages.0.parts.0.text') } })
    expect(await raw(`${s.url}/v1/responses`, json({ model: 'default', input: 'a\u0000' }, authed))).toMatchObject({
      status: 400,
      body: { error: { param: 'input' } },
    })
    expect((await s.api('/api/sessions/sess_1%00', { key })).status).toBe(400)
    expect((await s.api('/api/sessions?limit=1%00', { key })).status).toBe(400)
    expect((await s.api('/api/chat/runs/run_x%ED%A0%80', { key })).status).toBe(400)
    const huge = { messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'x'.repeat(300_000) }] }] }
    expect(await s.api('/api/chat/runs', { method: 'POST', json: huge, key })).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining('messages.0.parts.0.text') },
    })
    const trpcNul = await raw(`${s.url}/trpc/sessions.create`, json({ title: 'a\u0000' }, authed))
    expect(trpcNul.body).toMatchObject({ error: { data: { httpStatus: 400 } } })
    expect(trpcNul.body.error.message).toContain('title: must not contain NUL')
    expect(await counts()).toEqual(before)
  })

  it('tRPC: errors carry no stack, batches are capped', async () => {
    const unauth = await raw(`${s.url}/trpc/sessions.list`)
    expect(unauth.status).toBe(401)
    expect(JSON.stringify(unauth.body)).not.toContain('stack')
    const notFound = await raw(
      `${s.url}/trpc/sessions.get?input=${encodeURIComponent(JSON.stringify({ sessionId: 'sess_nope' }))}`,
      { headers: authed },
    )
    expect(notFound.status).toBe(404)
    expect(notFound.body.error.data.stack).toBeUndefined()

    const before = await counts()
    const n = TRPC_MAX_BATCH + 1
    const paths = Array(n).fill('sessions.create').join(',')
    const input = Object.fromEntries(Array.from({ length: n }, (_, i) => [i, {}]))
    const batch = await raw(`${s.url}/trpc/${paths}?batch=1`, json(input, authed))
    expect(batch.status).toBe(400)
    expect(await counts()).toEqual(before)
  })
})
