// `npm start` end to end: `node <server flags> scripts/bootstrap.mjs start` (what the root `start`
// script runs; it builds the compiled server, apps/server/dist/cli.mjs, and runs it in its own
// process) from the repo root on a fresh data directory serves {status:"ok"} at /api/v1/health
// and the built console at /; stopped with SIGTERM it exits 0, and a second start on the same data
// directory (embedded PostgreSQL) still has the session created by the first.
//
// The bootstrap runs `pnpm install` when node_modules/.runyard-install does not record the current
// pnpm-lock.yaml, and installs pnpm itself when the pinned version is not found: this test never
// lets it do either in a shared tree (it is skipped, saying why). Under `npm test` neither happens,
// since the bootstrap installed the tree before running the tests. It may build the console (when
// apps/console/dist is missing or older than its sources, as on a fresh clone where vitest runs
// before Playwright builds it): that is part of what `npm start` does, so the test lets it happen.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '@runyard/db'
import { repoRoot } from '@runyard/testkit/runyard-process'
import { SERVER_NODE_FLAGS } from '../bin/node-flags.mjs'
import { afterAll, describe, expect, it } from 'vitest'
import { createOpenApiValidator, type OpenApiValidator } from './support/openapi-validator.ts'

/** Why `bootstrap.mjs` would install something before starting (undefined: it goes straight on). */
function bootstrapWouldInstall(): string | undefined {
  const rootPkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    packageManager?: string
  }
  const pinned = /^pnpm@([^+]+)/.exec(rootPkg.packageManager ?? '')?.[1]
  const localPnpm = path.join(repoRoot, '.runyard/tools/node_modules/.bin/pnpm')
  const version = (bin: string) =>
    spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout?.trim().split('\n').pop()?.trim()
  if (version(localPnpm) !== pinned && (process.env.RUNYARD_LOCAL_PNPM || version('pnpm') !== pinned))
    return `pnpm ${pinned} is not available: the bootstrap would install it`
  const lockHash = crypto
    .createHash('sha256')
    .update(fs.readFileSync(path.join(repoRoot, 'pnpm-lock.yaml')))
    .digest('hex')
  let marker: { lockfileSha256?: string } | undefined
  try {
    marker = JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/.runyard-install'), 'utf8'))
  } catch {}
  if (marker?.lockfileSha256 !== lockHash)
    return 'node_modules was not installed by the bootstrap for this pnpm-lock.yaml: `npm start` would run `pnpm install` first (run `npm start` or `npm test` once)'
  return undefined
}

interface Started {
  proc: ChildProcess
  output(): string
  exited: Promise<number | null>
}

const running = new Set<Started>()
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runyard-start-'))
afterAll(async () => {
  for (const s of running) {
    s.proc.kill('SIGTERM')
    await s.exited
  }
  fs.rmSync(dataDir, { recursive: true, force: true })
})

/** This process's environment without any Runyard setting. */
const cleanEnv = (): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RUNYARD_') && k !== 'DATABASE_URL'))

/**
 * The command line of package.json's `start` script (`exec node <flags> scripts/bootstrap.mjs
 * start`), with this Node: what `npm start` runs, without npm.
 */
function startScript(): { flags: string[]; args: string[] } {
  const { scripts } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>
  }
  const [exec, node, ...rest] = scripts.start!.split(/\s+/)
  expect([exec, node]).toEqual(['exec', 'node'])
  const script = rest.indexOf('scripts/bootstrap.mjs')
  return { flags: rest.slice(0, script), args: [path.join(repoRoot, rest[script]!), ...rest.slice(script + 1)] }
}

/** package.json's `start` script from the repo root, on `dataDir` and `port`, ready once its health answers. */
async function npmStart(port: number): Promise<Started & { url: string }> {
  const env = cleanEnv()
  const { flags, args } = startScript()
  const proc = spawn(process.execPath, [...flags, ...args], {
    cwd: repoRoot,
    env: { ...env, RUNYARD_DATA_DIR: dataDir, RUNYARD_PORT: String(port), RUNYARD_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()))
  const started: Started = {
    proc,
    output: () => out,
    exited: new Promise((resolve) => proc.once('exit', (code) => resolve(code))),
  }
  running.add(started)
  void started.exited.then(() => running.delete(started))
  const url = `http://127.0.0.1:${port}`
  let gone = false
  void started.exited.then(() => (gone = true))
  for (;;) {
    if (gone) throw new Error(`npm start exited before serving:\n${out}`)
    const res = await fetch(`${url}/api/v1/health`).catch(() => undefined)
    if (res?.ok) break
    await new Promise((r) => setTimeout(r, 250))
  }
  return { ...started, url }
}

/** The Node processes among a process's children (the embedded PostgreSQL's are not). */
function nodeChildren(pid: number): number[] {
  const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
  return children.map(Number).filter((child) => {
    try {
      return fs.readFileSync(`/proc/${child}/comm`, 'utf8').trim() === 'node'
    } catch {
      return false // exited meanwhile
    }
  })
}

async function getJson(openapi: OpenApiValidator, url: string, p: string, init: RequestInit = {}) {
  const res = await fetch(`${url}${p}`, init)
  const body = await res.json()
  openapi.check(init.method ?? 'GET', p, res.status, res.headers.get('content-type'), body)
  return { status: res.status, body }
}

describe('npm start', () => {
  it(
    'serves health and the console; SIGTERM exits 0; a second start on the same data dir keeps the data',
    { timeout: 300_000 },
    async (ctx) => {
      const wouldInstall = bootstrapWouldInstall()
      if (wouldInstall) ctx.skip(wouldInstall)
      const port = await freePort()

      // The script gives the bootstrap the server's Node flags, so the server runs in the
      // bootstrap's own process (no second Node): the one that listens is the one started.
      expect(startScript().flags).toEqual(SERVER_NODE_FLAGS)
      const first = await npmStart(port)
      expect(nodeChildren(first.proc.pid!)).toEqual([])
      const openapi = await createOpenApiValidator(await (await fetch(`${first.url}/openapi.json`)).json())
      expect(await getJson(openapi, first.url, '/api/v1/health')).toEqual({ status: 200, body: { status: 'ok' } })
      // the console: its built index.html (not the "console is not built" page), and the script it loads
      const home = await fetch(`${first.url}/`)
      expect(home.status).toBe(200)
      expect(home.headers.get('content-type')).toContain('text/html')
      const html = await home.text()
      expect(html).toBe(fs.readFileSync(path.join(repoRoot, 'apps/console/dist/index.html'), 'utf8'))
      const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1]
      expect(script, html).toBeDefined()
      const asset = await fetch(`${first.url}${script}`)
      expect({ status: asset.status, type: asset.headers.get('content-type') }).toEqual({
        status: 200,
        type: expect.stringContaining('javascript'),
      })
      // npm start runs the compiled server (apps/server/dist): files it finds at run time from its
      // sources' locations are still found, e.g. Swagger UI's assets in the swagger-ui-dist package.
      const swaggerCss = await fetch(`${first.url}/docs/assets/swagger-ui.css`)
      expect({ status: swaggerCss.status, type: swaggerCss.headers.get('content-type') }).toEqual({
        status: 200,
        type: expect.stringContaining('text/css'),
      })

      const created = await getJson(openapi, first.url, '/api/sessions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'kept across restarts' }),
      })
      expect(created.status).toBe(200)
      const sessionId = created.body.session.id as string

      first.proc.kill('SIGTERM')
      expect(await first.exited, first.output()).toBe(0)

      const second = await npmStart(port)
      const again = await getJson(openapi, second.url, `/api/sessions/${sessionId}`)
      expect(again).toMatchObject({ status: 200, body: { session: { id: sessionId, title: 'kept across restarts' } } })
      second.proc.kill('SIGTERM')
      expect(await second.exited, second.output()).toBe(0)
    },
  )
})

// Refused starts (a bad setting, an unreachable database): start-errors.test.ts.
