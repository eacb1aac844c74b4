// `runyard start` refused at start-up: every operator mistake is one readable line (no stack, no
// object dump) and a non-zero exit, before the embedded PostgreSQL is initialised.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '@runyard/db'
import { afterAll, describe, expect, it } from 'vitest'
import { spawnSourceCli } from './support/source-cli.ts'

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runyard-start-errors-'))
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

/** The CLI as `npm start` hands over to it, from source; its exit code and output lines. */
async function start(
  env: Record<string, string>,
  { command = 'start', on = path.join(dataDir, `never-${crypto.randomUUID()}`) } = {},
): Promise<{ code: number | null; lines: string[]; dataDir: string }> {
  const cli = spawnSourceCli(command, { RUNYARD_DATA_DIR: on, RUNYARD_PORT: '0', ...env })
  const code = await cli.exited
  return { code, lines: cli.output().trim().split('\n'), dataDir: on }
}

describe('runyard start with a bad setting', () => {
  it.each([
    [
      'a misspelt name',
      { RUNYARD_SANDBOXX: 'local' },
      'Invalid configuration: RUNYARD_SANDBOXX is not a Runyard setting — did you mean RUNYARD_SANDBOX?',
    ],
    [
      'a bad value',
      { RUNYARD_MAX_STEPS: 'many' },
      'Invalid configuration: RUNYARD_MAX_STEPS must be an integer from 1 to 1000 (got "many")',
    ],
    [
      'an unknown sandbox',
      { RUNYARD_SANDBOX: 'docker' },
      'Invalid configuration: RUNYARD_SANDBOX must be one of auto, local, e2b, host, none (got "docker")',
    ],
    [
      'an unknown model provider',
      { RUNYARD_MODEL: 'nope/x' },
      'Invalid configuration: RUNYARD_MODEL: "nope/x" is not a model id of the form provider/model with provider one of openai, openai-compatible, demo',
    ],
    [
      'an E2B sandbox without its key',
      { RUNYARD_SANDBOX: 'e2b' },
      'Invalid configuration: RUNYARD_SANDBOX is e2b but E2B_API_KEY is not set: set it, or choose auto, local, host or none',
    ],
  ])('%s: exits 2 with one line, before PostgreSQL starts', { timeout: 60_000 }, async (_what, bad, line) => {
    const result = await start(bad)
    expect({ code: result.code, lines: result.lines }).toEqual({ code: 2, lines: [`[runyard] ${line}`] })
    expect(fs.existsSync(result.dataDir)).toBe(false) // no embedded PostgreSQL was initialised
  })

  it(
    'on a data directory whose PostgreSQL a warm start spawns before reading the settings: exits 2 with one line, and that PostgreSQL has stopped',
    { timeout: 120_000 },
    async () => {
      const warm = path.join(dataDir, 'warm')
      expect((await start({}, { command: 'migrate', on: warm })).code).toBe(0) // initialised and stopped
      const pidFile = path.join(warm, 'pg/postmaster.pid')
      expect(fs.existsSync(pidFile)).toBe(false)

      const result = await start({ RUNYARD_MAX_STEPS: 'many' }, { on: warm })
      expect({ code: result.code, lines: result.lines }).toEqual({
        code: 2,
        lines: ['[runyard] Invalid configuration: RUNYARD_MAX_STEPS must be an integer from 1 to 1000 (got "many")'],
      })
      // PostgreSQL removes its pid file last when it shuts down: gone at the CLI's exit, not after it.
      expect(fs.existsSync(pidFile)).toBe(false)
    },
  )

  it.each([
    [
      'refuses connections',
      // a free port: bound, then closed, so nothing listens on it
      async () => `postgresql://runyard:secret@127.0.0.1:${await freePort()}/runyard`,
      'connect ECONNREFUSED 127.0.0.1:',
    ],
    [
      'names a host that does not resolve',
      () => Promise.resolve('postgresql://runyard:secret@db.runyard-test.invalid:5432/runyard'),
      'getaddrinfo ENOTFOUND db.runyard-test.invalid',
    ],
  ])(
    'a DATABASE_URL that %s: exits 1 with one line saying so, no stack',
    { timeout: 60_000 },
    async (_what, url, reason) => {
      const result = await start({ DATABASE_URL: await url() })
      expect(result.code).toBe(1)
      // The progress line, then the error as one line.
      expect(result.lines).toHaveLength(2)
      expect(result.lines[0]).toBe('[runyard] Applying database migrations')
      expect(result.lines[1]).toContain(`[runyard] cannot reach the database: ${reason}`)
      expect(result.lines[1]).toContain('Check DATABASE_URL')
      expect(result.lines.join('\n')).not.toContain('secret')
      expect(fs.existsSync(result.dataDir)).toBe(false)
    },
  )
})
