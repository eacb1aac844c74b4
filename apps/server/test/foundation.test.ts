import os from 'node:os'
import SwaggerParser from '@apidevtools/swagger-parser'
import { createApiKey } from '@runyard/services'
import { dbOptions, engineConfig, loadConfig } from '../src/config.ts'
import { startRunyard } from '../src/runtime.ts'
import { createDb } from '@runyard/db'
import { createTestDb } from '@runyard/testkit'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedTwoAccounts, startTestServer, testRuntime, type TestServer } from './support/server.ts'
import { ScriptedExecutor } from '@runyard/testkit'

describe('local mode (loopback, no keys)', () => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer()
  })
  afterAll(async () => s.stop())

  it('answers health', async () => {
    const r = await s.api('/api/v1/health')
    expect(r).toMatchObject({ status: 200, body: { status: 'ok' } })
  })

  it('serves a valid OpenAPI 3.1 document', async () => {
    const doc = await (await fetch(`${s.url}/openapi.json`)).json()
    expect(doc.openapi).toBe('3.1.0')
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy()
    // nullable fields are type arrays, never the 3.0 `nullable` keyword
    expect(JSON.stringify(doc)).not.toContain('"nullable"')
  })

  it('serves the docs page', async () => {
    const res = await fetch(`${s.url}/docs`)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('swagger-ui')
  })

  it('creates a session with its first chat, then reads it back', async () => {
    const created = await s.api('/api/sessions', {
      method: 'POST',
      json: { title: 'hello', workspacePath: '/tmp/project' },
    })
    expect(created.status).toBe(200)
    expect(created.body.session).toMatchObject({
      title: 'hello',
      lifecycleState: 'provisioning',
      workspacePath: '/tmp/project',
      sandboxType: 'none',
      modelId: 'scripted',
    })
    expect(created.body.chat.sessionId).toBe(created.body.session.id)
    const got = await s.api(`/api/sessions/${created.body.session.id}`)
    expect(got).toMatchObject({ status: 200, body: { session: { id: created.body.session.id } } })
    const list = await s.api('/api/sessions')
    expect(list.body.sessions.map((x: { id: string }) => x.id)).toContain(created.body.session.id)
  })

  it('answers 404 for an unknown session and unknown routes in the Recoup shape', async () => {
    expect(await s.api('/api/sessions/sess_nope')).toMatchObject({
      status: 404,
      body: { status: 'error', error: expect.stringContaining('not found') },
    })
    const r = await fetch(`${s.url}/api/nothing-here`)
    expect(r.status).toBe(404)
    expect(await r.json()).toMatchObject({ status: 'error' })
  })

  it('rejects bad input with 400 and writes nothing', async () => {
    const before = await s.db.prisma.session.count()
    for (const json of [
      { title: 'x', workspacePth: '/tmp/a', sandboxType: 'docker' }, // unknown fields are stripped (seed 001), known ones still checked
      { workspacePath: 'relative/path' },
      { title: 42 },
      { workspaceId: 'ws_x', workspacePath: '/tmp/a' },
      { modelId: 'no-such-model' },
      { sandboxType: 'docker' },
    ]) {
      const r = await s.api('/api/sessions', { method: 'POST', json })
      expect(r.status, JSON.stringify(json)).toBe(400)
      expect(r.body.status).toBe('error')
    }
    const malformed = await s.api('/api/sessions', {
      method: 'POST',
      body: '{not json',
      headers: { 'content-type': 'application/json' },
    })
    expect(malformed).toMatchObject({
      status: 400,
      body: { status: 'error', error: 'The request body is not valid JSON.' },
    })
    expect(await s.db.prisma.session.count()).toBe(before)
  })

  it('rolls back the session when creating its chat fails (one transaction)', async () => {
    const before = [await s.db.prisma.session.count(), await s.db.prisma.chat.count()]
    const c = new pg.Client({ connectionString: s.db.url })
    await c.connect()
    await c.query(
      `CREATE FUNCTION fail_insert() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql`,
    )
    await c.query(`CREATE TRIGGER fail_chat BEFORE INSERT ON "Chat" FOR EACH ROW EXECUTE FUNCTION fail_insert()`)
    try {
      const r = await s.api('/api/sessions', { method: 'POST', json: { title: 'doomed' } })
      expect(r).toMatchObject({ status: 500, body: { status: 'error', error: 'Internal server error' } })
      expect([await s.db.prisma.session.count(), await s.db.prisma.chat.count()]).toEqual(before)
    } finally {
      await c.query('DROP TRIGGER fail_chat ON "Chat"; DROP FUNCTION fail_insert()')
      await c.end()
    }
  })
})

describe('keys mode', () => {
  let s: TestServer
  let keyA: string
  let keyB: string
  let sessionOfA: string
  beforeAll(async () => {
    const testDb = await createTestDb()
    ;({ a: keyA, b: keyB } = await seedTwoAccounts(testDb))
    s = await startTestServer({ testDb })
    sessionOfA = (await s.api('/api/sessions', { method: 'POST', json: {}, key: keyA })).body.session.id
  })
  afterAll(async () => {
    await s.stop()
    await s.testDb.drop()
  })

  it('switches to keys mode when keys exist', () => {
    expect(s.authMode).toBe('keys')
  })

  it('401 without a key, 200 with x-api-key or Bearer', async () => {
    expect(await s.api(`/api/sessions/${sessionOfA}`)).toMatchObject({ status: 401, body: { status: 'error' } })
    expect((await s.api(`/api/sessions/${sessionOfA}`, { key: keyA })).status).toBe(200)
    expect((await s.api(`/api/sessions/${sessionOfA}`, { headers: { authorization: `Bearer ${keyA}` } })).status).toBe(
      200,
    )
    expect((await s.api(`/api/sessions/${sessionOfA}`, { key: 'ryk_live_wrong' })).status).toBe(401)
  })

  it('403 when another account reads the session, 404 when it does not exist', async () => {
    expect(await s.api(`/api/sessions/${sessionOfA}`, { key: keyB })).toMatchObject({
      status: 403,
      body: { status: 'error' },
    })
    expect((await s.api('/api/sessions/sess_missing', { key: keyB })).status).toBe(404)
    const listB = await s.api('/api/sessions', { key: keyB })
    expect(listB.body.sessions).toEqual([])
  })

  it('rejects expired and revoked keys with 401', async () => {
    const expired = await createApiKey(s.db.prisma, {
      accountId: 'acct_a',
      name: 'old',
      kind: 'personal',
      expiresAt: new Date(Date.now() - 1000),
    })
    expect(await s.api(`/api/sessions/${sessionOfA}`, { key: expired.secret })).toMatchObject({
      status: 401,
      body: { status: 'error', error: 'This API key has expired.' },
    })
    const revoked = await createApiKey(s.db.prisma, { accountId: 'acct_a', name: 'gone', kind: 'personal' })
    expect((await s.api(`/api/sessions/${sessionOfA}`, { key: revoked.secret })).status).toBe(200)
    await s.db.prisma.apiKey.update({ where: { id: revoked.key.id }, data: { revokedAt: new Date() } })
    expect(await s.api(`/api/sessions/${sessionOfA}`, { key: revoked.secret })).toMatchObject({
      status: 401,
      body: { error: 'This API key has been revoked.' },
    })
  })
})

describe('startup safety', () => {
  it('refuses a non-loopback bind without keys, saying why', async () => {
    const testDb = await createTestDb()
    try {
      const config = loadConfig({ RUNYARD_HOST: '0.0.0.0', RUNYARD_PORT: '0', RUNYARD_LOG_LEVEL: 'silent' })
      await expect(
        startRunyard(config, {
          db: testDb,
          agent: { runtime: testRuntime, executor: new ScriptedExecutor() },
          progress: () => {},
        }),
      ).rejects.toThrow(/Refusing to listen on 0\.0\.0\.0 \(not a loopback address\) without API keys/)
    } finally {
      await testDb.drop()
    }
  })

  it('RUNYARD_DB_POOL_SIZE bounds the connections of the shared pool the server opens', async () => {
    const testDb = await createTestDb()
    const db = await createDb({
      ...dbOptions(loadConfig({ DATABASE_URL: testDb.url, RUNYARD_DB_POOL_SIZE: '2' })),
      migrate: false,
    })
    try {
      // Six statements at once that each hold their connection a moment: two backends serve them.
      const pids = await Promise.all(
        Array.from({ length: 6 }, () =>
          db.pool
            .query<{ pid: number }>('SELECT pg_backend_pid() AS pid FROM pg_sleep(0.05)')
            .then((r) => r.rows[0]!.pid),
        ),
      )
      expect(new Set(pids).size).toBe(2)
    } finally {
      await db.close()
      await testDb.drop()
    }
  })

  it('reports invalid configuration readably', () => {
    expect(() => loadConfig({ RUNYARD_PORT: 'abc', RUNYARD_EPHEMERAL_KEY_TTL_MS: '5' })).toThrow(
      /RUNYARD_PORT[\s\S]*RUNYARD_EPHEMERAL_KEY_TTL_MS/,
    )
  })

  it('RUNYARD_MAX_RUN_MS defaults to an hour, reaches the engine, and refuses less than a minute', () => {
    expect(engineConfig(loadConfig({}), undefined).maxRunMs).toBe(3_600_000)
    expect(engineConfig(loadConfig({ RUNYARD_MAX_RUN_MS: '120000' }), undefined).maxRunMs).toBe(120_000)
    expect(() => loadConfig({ RUNYARD_MAX_RUN_MS: '59999' })).toThrow(/RUNYARD_MAX_RUN_MS/)
  })

  it('RUNYARD_WORKER_STATEMENT_CONCURRENCY defaults to the CPU cores + 1 (at most the pool less one), reaches the engine, and refuses 0', () => {
    const config = loadConfig({})
    expect(engineConfig(config, undefined).workerStatementConcurrency).toBe(
      Math.min(os.availableParallelism() + 1, config.database.poolSize - 1),
    )
    expect(
      engineConfig(loadConfig({ RUNYARD_WORKER_STATEMENT_CONCURRENCY: '5' }), undefined).workerStatementConcurrency,
    ).toBe(5)
    expect(() => loadConfig({ RUNYARD_WORKER_STATEMENT_CONCURRENCY: '0' })).toThrow(
      /RUNYARD_WORKER_STATEMENT_CONCURRENCY/,
    )
  })
})
