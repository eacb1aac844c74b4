// The container image's start command, outside a container: the Dockerfile's ENTRYPOINT + CMD
// (tini → docker/entrypoint.sh → the compiled server) and its ENV, read from the Dockerfile
// itself, with /app mapped to this checkout and /data to a scratch folder. Base images cannot be
// pulled here, so this is how the image's behaviour is tested: the single-container default on
// the embedded PostgreSQL (refused until a key exists, then healthy, then a clean SIGTERM stop),
// `migrate` against an external database, and an unreachable DATABASE_URL.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { freePort, migrationStatus } from '@runyard/db'
import { adminUrl, createTestDb } from '@runyard/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../../../packages/testkit/src/runyard-process.ts'
import { buildServerIfStale } from './support/build-server.ts'
import { eventually } from './support/eventually.ts'
import { mapPaths, readImage } from './support/image.ts'

const image = readImage()
const scratch: string[] = []

beforeAll(() => {
  // The image runs the compiled server (`pnpm build` in its build stage): build it as
  // `npm start` does when the sources are newer than apps/server/dist (apps/server/scripts/build.mjs).
  buildServerIfStale()
  const tini = image.entrypoint[0]!
  if (!fs.existsSync(tini))
    throw new Error(
      `${tini} (the image's init, Debian package tini) is missing on this machine: apt-get install tini (.ci/run installs it)`,
    )
}, 120_000)

afterAll(() => {
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true })
})

function scratchDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runyard-image-data-'))
  scratch.push(dir)
  return dir
}

/** The environment the image gives its processes, on this machine, plus `extra`. */
function imageEnv(dataDir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  // Nothing of the test runner's own Runyard, database or tracing settings leaks in.
  for (const [k, v] of Object.entries(process.env)) if (!/^(RUNYARD_|DATABASE_URL$|OTEL_)/.test(k)) env[k] = v
  for (const [k, v] of Object.entries(image.env)) env[k] = mapPaths(v, dataDir)
  return { ...env, RUNYARD_APP_DIR: repoRoot, ...extra }
}

/** ENTRYPOINT + (`args` or CMD), as `docker run <image> [args]` runs them. */
function runImage(dataDir: string, args: string[] | undefined, extra: Record<string, string> = {}) {
  const [cmd, ...rest] = [...image.entrypoint, ...(args ?? image.cmd)].map((a) => mapPaths(a, dataDir))
  const proc = spawn(cmd!, rest, { cwd: os.tmpdir(), env: imageEnv(dataDir, extra), stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  proc.stdout.on('data', (d: Buffer) => (output += d.toString()))
  proc.stderr.on('data', (d: Buffer) => (output += d.toString()))
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
  return { proc, exited, output: () => output }
}

async function runToEnd(dataDir: string, args: string[] | undefined, extra: Record<string, string> = {}) {
  const run = runImage(dataDir, args, extra)
  const code = await run.exited
  return { code, output: run.output() }
}

describe('the image on the embedded PostgreSQL (no DATABASE_URL)', () => {
  it('refuses to listen on 0.0.0.0 before a key exists; after `keys create` it serves /healthz and /readyz, passes its HEALTHCHECK, and stops cleanly on SIGTERM', async () => {
    const dataDir = scratchDir()
    const port = String(await freePort())

    // The product's rule, untouched by the image: a non-loopback address needs a key.
    const refused = await runToEnd(dataDir, undefined, { RUNYARD_PORT: port })
    expect(refused.code, refused.output).toBe(2)
    expect(refused.output).toContain('Refusing to listen on 0.0.0.0')

    const created = await runToEnd(dataDir, ['keys', 'create', '--name', 'admin'])
    expect(created.code, created.output).toBe(0)
    expect(created.output).toMatch(/created personal key key_\w+ for account/)

    const server = runImage(dataDir, undefined, { RUNYARD_PORT: port })
    try {
      const base = `http://127.0.0.1:${port}`
      const healthz = await eventually(
        async () => {
          const res = await fetch(`${base}/healthz`)
          return res.status === 200 ? ((await res.json()) as unknown) : undefined
        },
        server.output,
        90_000,
      )
      expect(healthz).toEqual({ status: 'ok' })
      const ready = await eventually(
        async () => {
          const res = await fetch(`${base}/readyz`)
          return res.status === 200
            ? ((await res.json()) as { status: string; checks: Record<string, { status: string }> })
            : undefined
        },
        server.output,
        90_000,
      )
      expect(ready.status).toBe('ready')
      expect(Object.values(ready.checks).map((c) => c.status)).toEqual(['ok', 'ok', 'ok'])
      // Keys mode, as on any non-loopback address: the API wants a key.
      expect((await fetch(`${base}/api/chat/runs`)).status).toBe(401)

      // The data is where the image keeps it: the embedded cluster in the /data volume.
      expect(fs.existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true)

      // tini's one child is the server itself (the entrypoint exec'd it), so SIGTERM reaches it.
      const children = fs
        .readFileSync(`/proc/${server.proc.pid}/task/${server.proc.pid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
      expect(children).toHaveLength(1)
      expect(fs.readFileSync(`/proc/${children[0]}/cmdline`, 'utf8').split('\0')).toContain(
        path.join(repoRoot, 'apps/server/dist/cli.mjs'),
      )

      // The image's HEALTHCHECK command, with the container's environment.
      const [hcCmd, ...hcArgs] = image.healthcheck.map((a) => mapPaths(a, dataDir))
      const healthcheck = await new Promise<number | null>((resolve) => {
        const hc = spawn(hcCmd!, hcArgs, { env: imageEnv(dataDir, { RUNYARD_PORT: port }), stdio: 'inherit' })
        hc.once('exit', (code) => resolve(code))
      })
      expect(healthcheck).toBe(0)
    } finally {
      server.proc.kill('SIGTERM')
    }
    const code = await server.exited
    expect(code, server.output()).toBe(0)
    expect(server.output()).toContain('shutting down')
    // The embedded PostgreSQL was stopped, not left running.
    expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false)
    expect(fs.existsSync(path.join(dataDir, 'owner.pid'))).toBe(false)
  }, 240_000)

  it('the compiled server it runs carries the licences of the packages bundled into it', () => {
    const entry = fs.readFileSync(path.join(repoRoot, 'apps/server/dist/cli.mjs'), 'utf8')
    const bundle = /\.\/(builds\/[^/]+)\//.exec(entry)?.[1]
    expect(bundle).toBeDefined()
    const notices = fs.readFileSync(path.join(repoRoot, 'apps/server/dist', bundle!, 'THIRD-PARTY-NOTICES.txt'), 'utf8')
    // bundled dependencies, each with its licence text; external ones (pg, Prisma) are not listed
    for (const pkg of ['express@', 'zod@', 'pg-boss@', 'ai@'])
      expect(notices).toMatch(new RegExp(`^${pkg.replace('.', '\\.')}\\S+ \\((MIT|Apache-2\\.0)\\)$`, 'm'))
    expect(notices).toContain('Permission is hereby granted, free of charge')
    expect(notices).toContain('Apache License')
    expect(notices).not.toMatch(/^pg@/m)
  })

  it('the `api` role (no workers) wants DATABASE_URL, in one line', async () => {
    const { code, output } = await runToEnd(scratchDir(), ['api'])
    expect(code).toBe(2)
    expect(output.trim().split('\n')).toEqual([
      expect.stringMatching(/^\[runyard\] the api role runs no workers.*DATABASE_URL/),
    ])
  })
})

describe('the image with DATABASE_URL', () => {
  it('`migrate` against an external database applies every migration and exits 0', async () => {
    const db = await createTestDb({ empty: true })
    try {
      const url = new URL(adminUrl())
      url.pathname = `/${db.name}`
      const { code, output } = await runToEnd(scratchDir(), ['migrate'], { DATABASE_URL: url.toString() })
      expect(code, output).toBe(0)
      expect(output).toContain('migrations applied')
      const client = new pg.Client({ connectionString: url.toString() })
      await client.connect()
      try {
        const status = await migrationStatus(client)
        expect(status).toEqual({ pending: [], unknown: [] })
      } finally {
        await client.end()
      }
    } finally {
      await db.drop()
    }
  }, 120_000)

  it('an unreachable DATABASE_URL fails after the wait with one clear line, without the password', async () => {
    const closedPort = await freePort()
    const { code, output } = await runToEnd(scratchDir(), undefined, {
      DATABASE_URL: `postgresql://runyard:s3cret-pw@127.0.0.1:${closedPort}/runyard`,
      RUNYARD_DB_WAIT_SECONDS: '2',
    })
    expect(code).toBe(1)
    const lines = output.trim().split('\n')
    expect(lines).toEqual([
      `[runyard] the database at 127.0.0.1:${closedPort}/runyard did not answer within 2 s (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${closedPort}); check DATABASE_URL and that PostgreSQL is running`,
    ])
    expect(output).not.toContain('s3cret-pw')
  }, 60_000)
})
