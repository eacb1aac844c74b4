// Creating sessions that name a host folder, several at once, on a small shared pool: the policy
// check of a named folder asks, on a local `auto` server without RUNYARD_WORKSPACE_ROOTS, whether
// a key exists yet (AuthService.currentMode: a statement on the shared pool). Inside the create's
// transaction that needed a second connection while holding one, so with as many creates in
// flight as the pool has connections each waited for the others until Prisma expired them all.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Engine } from '@runyard/engine'
import { appErrorOf, AUTH_MODE_RECHECK_MS, AuthService, SessionService, WorkspacePolicy } from '@runyard/services'
import { createTestDb, type TestDb } from '@runyard/testkit'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { testRuntime } from './support/server.ts'

const POOL = 2
const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'session-create-pool-')))
let testDb: TestDb

beforeAll(async () => {
  testDb = await createTestDb({ poolSize: POOL })
  await testDb.prisma.account.create({ data: { id: 'acct_local', name: 'local' } })
})

afterAll(async () => {
  await testDb?.drop()
  fs.rmSync(tmp, { recursive: true, force: true })
})

it('creates sessions naming folders, more at once than the pool has connections', async () => {
  const auth = new AuthService(testDb, 'local', 'acct_local', true)
  const policy = new WorkspacePolicy({
    roots: undefined,
    dataDir: path.join(tmp, 'data'),
    managedDir: path.join(tmp, 'managed'),
    mode: () => auth.currentMode(),
  })
  const silent = { info() {}, warn() {}, error() {} }
  const sessions = new SessionService(testDb.prisma, testRuntime, {} as Engine, silent, policy)
  // The auth mode is due for its recheck, as it is whenever a create comes more than
  // AUTH_MODE_RECHECK_MS after the last one (or waited that long for its transaction).
  await new Promise((r) => setTimeout(r, AUTH_MODE_RECHECK_MS + 100))
  const caller = { accountId: 'acct_local', sessionId: null }
  const results = await Promise.allSettled(
    Array.from({ length: POOL + 1 }, (_, i) =>
      sessions.create(caller, {
        workspacePath: path.join(tmp, `project-${i}`),
        globalSkillRefs: [path.join(tmp, 'skills')],
      }),
    ),
  )
  const failed = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []))
  // Deadlocked, every create waited until Prisma expired its transaction (5 s) and failed.
  expect(failed).toEqual([])
  expect(await testDb.prisma.session.count()).toBe(POOL + 1)
}, 30_000)

it('answers 503 with a Retry-After, not 500, when no connection of the pool comes free in time', async () => {
  const silent = { info() {}, warn() {}, error() {} }
  const policy = new WorkspacePolicy({
    roots: undefined,
    dataDir: path.join(tmp, 'data'),
    managedDir: path.join(tmp, 'managed'),
  })
  const sessions = new SessionService(testDb.prisma, testRuntime, {} as Engine, silent, policy)
  const caller = { accountId: 'acct_local', sessionId: null }
  // Every connection busy for longer than Prisma waits to start a transaction (2 s).
  const held = await Promise.all(Array.from({ length: POOL }, () => testDb.pool.connect()))
  let failure: unknown
  try {
    await sessions.create(caller, { title: 'busy' }).catch((err: unknown) => (failure = err))
  } finally {
    for (const c of held) c.release()
  }
  const e = appErrorOf(failure)
  expect([e.status, e.code, e.details.retryAfterSeconds]).toEqual([503, 'unavailable', 1])
  expect(e.message).toMatch(/busy/)
  // Free again: the next create goes through.
  await expect(sessions.create(caller, { title: 'after' })).resolves.toBeDefined()
}, 30_000)
