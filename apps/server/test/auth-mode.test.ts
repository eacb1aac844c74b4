// An `auto` server switches from local to keys mode as soon as a key exists — created by the CLI
// while two server processes share the database — and stays in keys mode when the key is revoked.
// `keys create` says which account a key is for, and requires --account once several exist.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { createTestDb, type TestDb } from '@runyard/testkit'
import { repoRoot, spawnRunyard, type RunyardProcess } from '@runyard/testkit/runyard-process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AUTH_MODE_RECHECK_MS } from '@runyard/services'

let testDb: TestDb
const servers: RunyardProcess[] = []

/** Runs `runyard keys …` against the test database; its exit code, stdout and stderr. */
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'apps/server/src/cli.ts'), 'keys', ...args],
      {
        cwd: repoRoot,
        env: { ...process.env, DATABASE_URL: testDb.url, RUNYARD_LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stdout = ''
    let stderr = ''
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    proc.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

const anonymous = (s: RunyardProcess) => fetch(`${s.url}/api/sessions`).then((r) => r.status)

beforeAll(async () => {
  testDb = await createTestDb()
  for (let i = 0; i < 2; i++)
    servers.push(
      await spawnRunyard('start', {
        DATABASE_URL: testDb.url,
        RUNYARD_PORT: '0',
        RUNYARD_WORKERS: 'false',
        RUNYARD_AUTH: 'auto',
      }),
    )
}, 90_000)

afterAll(async () => {
  for (const s of servers) await s.stop()
  await testDb?.drop()
})

describe('auto auth mode', () => {
  it(
    'a key created by the CLI turns anonymous requests into 401 on every process; revoking it does not reopen the server',
    { timeout: 60_000 },
    async () => {
      for (const s of servers) expect(await anonymous(s)).toBe(200)

      const created = await cli('create', '--name', 'admin')
      expect(created.code).toBe(0)
      const secret = created.stdout.trim()
      expect(secret).toMatch(/^ryk_live_/)
      expect(created.stderr).toContain('for account acct_local ("local")')

      // Each process looks again at most every AUTH_MODE_RECHECK_MS.
      await new Promise((r) => setTimeout(r, 2 * AUTH_MODE_RECHECK_MS))
      for (const s of servers) {
        expect(await anonymous(s)).toBe(401)
        expect((await fetch(`${s.url}/api/sessions`, { headers: { 'x-api-key': secret } })).status).toBe(200)
      }

      const keyId = (await cli('list')).stdout.split('\t')[0]!
      expect((await cli('revoke', keyId)).code).toBe(0)
      await new Promise((r) => setTimeout(r, 2 * AUTH_MODE_RECHECK_MS))
      for (const s of servers) expect(await anonymous(s)).toBe(401)
    },
  )

  it('keys create names the account, and requires one once several exist', { timeout: 60_000 }, async () => {
    const bob = await cli('create', '--name', 'bob', '--new-account', 'bob')
    expect(bob.code).toBe(0)
    expect(bob.stderr).toMatch(/for account acct_\w+ \("bob"\)/)

    const ambiguous = await cli('create', '--name', 'alice')
    expect(ambiguous.code).toBe(2)
    expect(ambiguous.stdout).toBe('')
    expect(ambiguous.stderr).toContain('--account')
    expect(ambiguous.stderr).toContain('acct_local ("local")')

    const unknownFlag = await cli('create', '--nmae', 'x')
    expect(unknownFlag.code).toBe(2)
    expect(unknownFlag.stderr).toContain("Unknown option '--nmae'")
    expect(unknownFlag.stderr).not.toMatch(/\n\s+at /)
  })
})
