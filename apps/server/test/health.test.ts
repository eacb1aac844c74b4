// /healthz (the process answers) and /readyz (database, migrations, queue) as JSON, 503 when not
// ready; unknown paths under the API and operator prefixes never fall through to the console.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createEngine } from '@runyard/engine'
import { SystemService } from '@runyard/services'
import { createTestDb } from '@runyard/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServerBehindProxy, type ServerBehindProxy } from './support/db-outage.ts'
import { startTestServer, type TestServer } from './support/server.ts'

const READY = {
  status: 'ready',
  checks: { database: { status: 'ok' }, migrations: { status: 'ok' }, queue: { status: 'ok' } },
}

describe('/healthz, /readyz and the paths around them', () => {
  let s: TestServer
  let consoleDir: string
  beforeAll(async () => {
    // A built console, so that a path falling through would get its index.html with 200.
    consoleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runyard-console-'))
    fs.writeFileSync(path.join(consoleDir, 'index.html'), '<!doctype html><title>console</title>')
    s = await startTestServer({ env: { RUNYARD_CONSOLE_DIR: consoleDir } })
  })
  afterAll(async () => {
    await s?.stop()
    fs.rmSync(consoleDir, { recursive: true, force: true })
  })

  it('/healthz answers that the process is alive; /readyz that every check passes', async () => {
    const health = await fetch(`${s.url}/healthz`)
    expect(health.status).toBe(200)
    expect(health.headers.get('content-type')).toContain('application/json')
    expect(health.headers.get('cache-control')).toBe('no-store')
    expect(await health.json()).toEqual({ status: 'ok' })
    const ready = await fetch(`${s.url}/readyz`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual(READY)
  })

  it('keeps /api/v1/health as it was', async () => {
    expect(await s.api('/api/v1/health')).toMatchObject({ status: 200, body: { status: 'ok' } })
  })

  it('answers JSON 404s, never the console, under /api, /v1, /trpc, /healthz, /readyz and /metrics', async () => {
    // the console is there for paths that are its own
    const page = await fetch(`${s.url}/sessions/whatever`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    for (const [method, p] of [
      ['GET', '/healthz/extra'],
      ['POST', '/healthz'],
      ['GET', '/readyz/'.concat('x')],
      ['DELETE', '/readyz'],
      ['GET', '/metrics/x'],
      ['POST', '/metrics'],
      ['GET', '/api/nothing-here'],
      ['GET', '/v1/nothing-here'],
      ['GET', '/trpc'],
    ] as const) {
      const res = await fetch(`${s.url}${p}`, { method })
      expect(res.status, `${method} ${p}`).toBe(404)
      expect(res.headers.get('content-type'), `${method} ${p}`).toContain('application/json')
      expect(await res.text(), `${method} ${p}`).not.toContain('<!doctype html>')
    }
  })

  it('/readyz is 503 and names the migration when one shipped with this build is not applied', async () => {
    const [last] = await s.testDb.prisma.$queryRawUnsafe<{ name: string }[]>(
      'SELECT migration_name AS name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1',
    )
    const name = last!.name
    await s.testDb.prisma.$executeRawUnsafe(
      'UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = $1',
      name,
    )
    try {
      const res = await fetch(`${s.url}/readyz`)
      expect(res.status).toBe(503)
      expect(await res.json()).toEqual({
        status: 'not_ready',
        checks: {
          database: { status: 'ok' },
          migrations: { status: 'fail', reason: '1 migration(s) not applied', pending: [name] },
          queue: { status: 'ok' },
        },
      })
    } finally {
      await s.testDb.prisma.$executeRawUnsafe(
        'UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE migration_name = $1',
        name,
      )
    }
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200)
  })
})

describe('/readyz when the database is down', () => {
  let s: TestServer
  let proxy: ServerBehindProxy['proxy']
  let outage: ServerBehindProxy
  beforeAll(async () => {
    outage = await startServerBehindProxy()
    ;({ server: s, proxy } = outage)
  })
  afterAll(() => outage?.stop())

  it('answers 503 with the failing checks while /healthz stays 200, and recovers', async () => {
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200)
    await proxy.cut()
    try {
      const res = await fetch(`${s.url}/readyz`)
      expect(res.status).toBe(503)
      const body = (await res.json()) as { status: string; checks: Record<string, { status: string; reason?: string }> }
      expect(body.status).toBe('not_ready')
      expect(body.checks.database).toEqual({
        status: 'fail',
        reason: expect.stringContaining('the database is unreachable'),
      })
      expect(body.checks.migrations!.status).toBe('fail')
      // no driver error text (host names, ports) in an unauthenticated answer
      expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|connect/)
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200)
    } finally {
      await proxy.restore()
    }
    for (let i = 0; i < 100 && (await fetch(`${s.url}/readyz`)).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 100))
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200)
  })
})

describe('readiness of the queue', () => {
  it('fails until the engine is started and again once it stops', async () => {
    const testDb = await createTestDb()
    const engine = createEngine({ db: testDb })
    const system = new SystemService(engine)
    let started = false
    try {
      expect((await system.readiness()).checks.queue).toEqual({
        status: 'fail',
        reason: 'the run queue is not running',
      })
      await engine.start()
      started = true
      expect(await system.readiness()).toEqual(READY)
      started = false
      await engine.stop()
      expect((await system.readiness()).checks.queue.status).toBe('fail')
    } finally {
      if (started) await engine.stop()
      await testDb.drop()
    }
  })
})
