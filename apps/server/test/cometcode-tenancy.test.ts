// CometCode routes with API keys: another account's sessions and workspaces do not exist for you
// (404, never 403, never a leak), and nothing of theirs is touched.
import { createTestDb, scriptPrompt } from '@runyard/testkit'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cometClient, loadSeed, type CometClient } from './support/cometcode.ts'
import { seedTwoAccounts, startTestServer, type TestServer } from './support/server.ts'

let s: TestServer
let cc: CometClient
let keyA: string
let keyB: string

beforeAll(async () => {
  const testDb = await createTestDb()
  ;({ a: keyA, b: keyB } = await seedTwoAccounts(testDb))
  s = await startTestServer({ testDb, env: { RUNYARD_WORKSPACE_ROOTS: '/tmp/cometcode-tenancy' } })
  cc = await cometClient(s)
})
afterAll(async () => {
  await s.stop()
  await s.testDb.drop()
})

describe('CometCode tenancy (keys mode)', () => {
  it("hides account A's session and workspace from account B", async () => {
    const path = '/tmp/cometcode-tenancy/project'
    const a = (await cc.call('/api/v1/sessions', { method: 'POST', json: { workspace_path: path }, key: keyA })).body
    const stream = await cc.send(a.id, scriptPrompt([{ text: 'busy' }, { hang: true }]), { key: keyA })
    const it = stream.frames()
    expect((await it.next()).value).toEqual({ type: 'text_delta', delta: 'busy' })

    const notFound = { status: 404, body: { error: { code: 'session_not_found' } } }
    expect(await cc.call(`/api/v1/sessions/${a.id}`, { key: keyB })).toMatchObject(notFound)
    expect(await cc.call(`/api/v1/sessions/${a.id}/messages`, { key: keyB })).toMatchObject(notFound)
    expect(await cc.send(a.id, 'hijack', { key: keyB })).toMatchObject(notFound)
    expect(await cc.call(`/api/v1/sessions/${a.id}/abort`, { method: 'POST', key: keyB })).toMatchObject(notFound)
    const wsNotFound = { status: 404, body: { error: { code: 'workspace_not_found' } } }
    expect(await cc.call(`/api/v1/sessions?workspace_id=${a.workspace_id}`, { key: keyB })).toMatchObject(wsNotFound)
    expect(await cc.call(`/api/v1/sessions?workspace_path=${encodeURIComponent(path)}`, { key: keyB })).toMatchObject(
      wsNotFound,
    )
    expect(
      await cc.call('/api/v1/sessions', { method: 'POST', json: { workspace_id: a.workspace_id }, key: keyB }),
    ).toMatchObject(wsNotFound)

    // A folder belongs to the account that registered it: B may not register it, nor a folder
    // inside it or around it (403 in the seed's error envelope; the seed documents no 403).
    for (const claimed of [path, `${path}/src`, '/tmp/cometcode-tenancy']) {
      const r = await fetch(`${s.url}/api/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': keyB },
        body: JSON.stringify({ workspace_path: claimed }),
      })
      const body = await r.json()
      expect(r.status, claimed).toBe(403)
      expect(body).toMatchObject({
        error: { code: 'workspace_not_allowed', message: expect.stringContaining('another account') },
      })
      s.openapi.check('POST', '/api/v1/sessions', r.status, r.headers.get('content-type'), body)
    }
    expect(await cc.call(`/api/v1/sessions?workspace_path=${encodeURIComponent(path)}`, { key: keyB })).toMatchObject(
      wsNotFound,
    )

    // A's run was not affected by B's abort; A stops it
    expect(await cc.call(`/api/v1/sessions/${a.id}/abort`, { method: 'POST', key: keyA })).toEqual({
      status: 202,
      body: { status: 'aborting' },
    })
    const rest: { type: string; code?: string }[] = []
    for await (const f of it) rest.push(f)
    expect(rest.map((f) => f.code ?? f.type)).toEqual(['cancelled', 'done'])
  })

  it('requires a key', async () => {
    // The seed documents no 401 (its local server has no keys): the body is checked against the
    // seed's ErrorResponse schema, and the whole response against our /openapi.json.
    const r = await fetch(`${s.url}/api/v1/sessions?workspace_id=ws_x`)
    const body = await r.json()
    expect(r.status).toBe(401)
    expect(body).toMatchObject({ error: { code: 'unauthorized', message: expect.any(String) } })
    s.openapi.check('GET', '/api/v1/sessions', r.status, r.headers.get('content-type'), body)
    const ajv = new Ajv2020({ strict: false, allErrors: true })
    const seedError = ajv.compile(loadSeed().components.schemas.ErrorResponse!)
    expect(seedError(body), ajv.errorsText(seedError.errors)).toBe(true)
  })
})
