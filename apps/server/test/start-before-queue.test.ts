// The server listens while its queue (pg-boss) is still starting: liveness (/api/v1/health,
// /healthz) answers at once, /readyz says not_ready (queue) until the queue runs, and every other
// request waits for it instead of failing. The queue's start is held here by a lock on pg-boss's
// version table (its start reads the schema version first), taken from another connection.
import pg from 'pg'
import { freePort } from '@runyard/db'
import { createTestDb, ScriptedExecutor, type TestDb } from '@runyard/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.ts'
import { createLogger } from '../src/logger.ts'
import { startRunyard, type RunningServer } from '../src/runtime.ts'
import { eventually } from './support/eventually.ts'
import { startTestServer, testRuntime } from './support/server.ts'

describe('a server whose queue is still starting', () => {
  let testDb: TestDb
  let lock: pg.Client
  let starting: Promise<RunningServer> | undefined
  beforeAll(async () => {
    testDb = await createTestDb()
    // A first start creates pg-boss's schema, so that there is a version table to lock.
    await (await startTestServer({ testDb })).stop()
    lock = new pg.Client({ connectionString: testDb.url })
    await lock.connect()
  })
  afterAll(async () => {
    await lock?.end().catch(() => {})
    await (await starting?.catch(() => undefined))?.close()
    await testDb?.drop()
  })

  it('answers liveness at once, is not ready, and holds other requests until the queue runs', async () => {
    await lock.query('BEGIN')
    await lock.query('LOCK TABLE pgboss.version IN ACCESS EXCLUSIVE MODE')
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    const config = loadConfig({ RUNYARD_PORT: String(port), RUNYARD_LOG_LEVEL: 'silent' })
    let started = false
    starting = startRunyard(config, {
      db: testDb,
      agent: { runtime: testRuntime, executor: new ScriptedExecutor() },
      log: createLogger('silent'),
      progress: () => {},
    })
    void starting.then(() => (started = true))

    // Listening, with the queue's start held: liveness answers.
    const health = await eventually(async () => {
      const res = await fetch(`${url}/api/v1/health`)
      return res.status === 200 ? res : undefined
    }, '/api/v1/health')
    expect(await health.json()).toEqual({ status: 'ok' })
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' })
    const ready = await fetch(`${url}/readyz`)
    expect(ready.status).toBe(503)
    expect(await ready.json()).toMatchObject({
      status: 'not_ready',
      checks: { database: { status: 'ok' }, migrations: { status: 'ok' }, queue: { status: 'fail' } },
    })
    expect(started).toBe(false)

    // A request that needs the queue (a run's admission) waits for it instead of failing.
    let answered = false
    const admission = fetch(`${url}/api/chat/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'hello' }),
    }).then(async (res) => {
      answered = true
      return { status: res.status, body: (await res.json()) as { runId?: string } }
    })
    await new Promise((r) => setTimeout(r, 500))
    expect(answered).toBe(false)

    await lock.query('COMMIT')
    const admitted = await admission
    expect(admitted.status).toBe(202)
    expect(admitted.body.runId).toMatch(/^run_/)
    const server = await starting
    expect(started).toBe(true)
    expect(server.port).toBe(port)
    expect((await fetch(`${url}/readyz`)).status).toBe(200)
  })
})
