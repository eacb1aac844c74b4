// The workspace-escape matrix: every folder a client may not use — the filesystem root, system
// directories, the data directory, the managed workspaces folder (another account's managed
// folder), another account's registered folder (also through a symlink or `..`), and the same as
// global skill folders — is refused with a clear 4xx on Recoup, CometCode and tRPC, in local and
// keys mode, and nothing is created, neither in the database nor on disk.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createTestDb } from '@runyard/testkit'
import { createTRPCClient, httpLink } from '@trpc/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppRouter } from '@runyard/api'
import { seedTwoAccounts, startTestServer, type TestServer } from './support/server.ts'

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'workspace-boundary-')))
const dataDir = path.join(tmp, 'data')
const managedDir = path.join(tmp, 'managed')
const roots = path.join(tmp, 'roots')
for (const d of [dataDir, managedDir, path.join(roots, 'a'), path.join(roots, 'b', 'skills')])
  fs.mkdirSync(d, { recursive: true })
// A link in A's reach into the folder B will register.
fs.symlinkSync(path.join(roots, 'b'), path.join(roots, 'a', 'link-to-b'))

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

type Attempt = { status: number; message: string }

/** Creates a session naming `folder` on each surface; what each answered. */
async function attempts(
  s: TestServer,
  key: string | undefined,
  folder: { workspacePath?: string; globalSkillRefs?: string[] },
) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(key ? { 'x-api-key': key } : {}) }
  const post = async (url: string, body: unknown): Promise<Attempt> => {
    const r = await fetch(`${s.url}${url}`, { method: 'POST', headers, body: JSON.stringify(body) })
    const b = (await r.json()) as { error: string | { message: string } }
    return { status: r.status, message: typeof b.error === 'string' ? b.error : (b.error?.message ?? '') }
  }
  const out: Record<string, Attempt> = { rest: await post('/api/sessions', folder) }
  if (folder.workspacePath) out.cometcode = await post('/api/v1/sessions', { workspace_path: folder.workspacePath })
  const trpc = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${s.url}/trpc`, headers: key ? { 'x-api-key': key } : {} })],
  })
  out.trpc = await trpc.sessions.create.mutate(folder).then(
    () => ({ status: 200, message: '' }),
    (e: { data?: { httpStatus?: number }; message: string }) => ({
      status: e.data?.httpStatus ?? 0,
      message: e.message,
    }),
  )
  return out
}

const counts = async (s: TestServer) => ({
  sessions: await s.db.prisma.session.count(),
  workspaces: await s.db.prisma.workspace.count(),
})

function expectRefused(results: Record<string, Attempt>, status: number, says: string | RegExp) {
  for (const [surface, r] of Object.entries(results)) {
    expect(r.status, `${surface}: ${r.message}`).toBe(status)
    expect(r.message, surface).toMatch(says)
  }
}

const NEVER: [string, string, RegExp][] = [
  ['the filesystem root', '/', /whole filesystem/],
  ['/etc', '/etc', /system directory/],
  ['inside /etc', '/etc/ssh', /system directory/],
  ['/usr/lib', '/usr/lib', /system directory/],
  ['/proc', '/proc/self/root', /system directory|whole filesystem/],
  ['`..` into /etc', '/tmp/../etc', /system directory/],
  ['/tmp itself', '/tmp', /other people's/],
  ['a home directory', os.homedir(), /other people's/],
  ['a hidden folder of a home directory', path.join(os.homedir(), '.ssh'), /hidden folders/],
  ['the data directory', dataDir, /data directory/],
  ['inside the data directory', path.join(dataDir, 'pg'), /data directory/],
  ['a folder containing the data directory', tmp, /data directory/],
  [
    "another account's managed folder",
    path.join(managedDir, 'acct_b', 'sess_01JABCDEFGHJKMNPQRSTVWXYZ0'),
    /managed workspaces/,
  ],
]

describe('local mode', () => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer({ env: { RUNYARD_DATA_DIR: dataDir, RUNYARD_WORKSPACES_DIR: managedDir } })
    expect(s.authMode).toBe('local')
  })
  afterAll(() => s.stop())

  it.each(NEVER)('refuses %s as a workspace and as a skill folder; nothing created', async (_what, folder, says) => {
    const before = await counts(s)
    expectRefused(await attempts(s, undefined, { workspacePath: folder }), 403, says)
    expectRefused(await attempts(s, undefined, { globalSkillRefs: [folder] }), 403, says)
    expect(await counts(s)).toEqual(before)
    expect(fs.existsSync(path.join(managedDir, 'acct_b'))).toBe(false)
  })

  it('refuses a relative skill folder that climbs out of the workspace (400)', async () => {
    const before = await counts(s)
    expectRefused(await attempts(s, undefined, { globalSkillRefs: ['skills/../../x'] }), 400, /\.\./)
    expect(await counts(s)).toEqual(before)
  })

  it('accepts a project folder and stores its real path', async () => {
    const project = path.join(roots, 'a')
    const r = await fetch(`${s.url}/api/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workspace_path: `${roots}/b/../a` }),
    })
    expect(r.status).toBe(201)
    expect(((await r.json()) as { workspace_path: string }).workspace_path).toBe(project)
  })
})

describe('keys mode', () => {
  let s: TestServer
  let keys: { a: string; b: string }
  beforeAll(async () => {
    const testDb = await createTestDb()
    keys = await seedTwoAccounts(testDb)
    s = await startTestServer({
      testDb,
      env: {
        RUNYARD_AUTH: 'keys',
        RUNYARD_DATA_DIR: dataDir,
        RUNYARD_WORKSPACES_DIR: managedDir,
        RUNYARD_WORKSPACE_ROOTS: roots,
      },
    })
    // B registers its folder first: from now on it is B's.
    const b = await fetch(`${s.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': keys.b },
      body: JSON.stringify({ workspacePath: path.join(roots, 'b') }),
    })
    expect(b.status).toBe(200)
  })
  afterAll(async () => {
    await s.stop()
    await s.testDb.drop()
  })

  it.each(NEVER)('refuses %s', async (_what, folder, says) => {
    const before = await counts(s)
    expectRefused(await attempts(s, keys.a, { workspacePath: folder }), 403, says)
    expect(await counts(s)).toEqual(before)
  })

  it.each([
    ["another account's folder", () => path.join(roots, 'b')],
    ["a folder inside another account's folder", () => path.join(roots, 'b', 'skills')],
    ["a folder containing another account's folder", () => roots],
    ["a symlink into another account's folder", () => path.join(roots, 'a', 'link-to-b')],
    ["`..` into another account's folder", () => path.join(roots, 'a', '..', 'b')],
  ])('refuses %s, as a workspace and as a skill folder; nothing created', async (_what, folder) => {
    const before = await counts(s)
    expectRefused(await attempts(s, keys.a, { workspacePath: folder() }), 403, /another account/)
    expectRefused(await attempts(s, keys.a, { globalSkillRefs: [folder()] }), 403, /another account/)
    expect(await counts(s)).toEqual(before)
  })

  it('refuses folders outside RUNYARD_WORKSPACE_ROOTS, saying which roots are allowed', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-roots-'))
    try {
      expectRefused(
        await attempts(s, keys.a, { workspacePath: outside }),
        403,
        new RegExp(`outside the allowed roots.*${roots}.*RUNYARD_WORKSPACE_ROOTS`),
      )
    } finally {
      fs.rmSync(outside, { recursive: true, force: true })
    }
  })

  it('accepts a folder of its own inside the roots', async () => {
    const r = await fetch(`${s.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': keys.a },
      body: JSON.stringify({ workspacePath: path.join(roots, 'a') }),
    })
    expect(r.status).toBe(200)
  })
})

describe('keys mode without RUNYARD_WORKSPACE_ROOTS', () => {
  let s: TestServer
  let keys: { a: string; b: string }
  beforeAll(async () => {
    const testDb = await createTestDb()
    keys = await seedTwoAccounts(testDb)
    s = await startTestServer({
      testDb,
      env: { RUNYARD_AUTH: 'keys', RUNYARD_DATA_DIR: dataDir, RUNYARD_WORKSPACES_DIR: managedDir },
    })
  })
  afterAll(async () => {
    await s.stop()
    await s.testDb.drop()
  })

  it('clients name no host folders at all; sessions without one are created', async () => {
    const before = await counts(s)
    expectRefused(
      await attempts(s, keys.a, { workspacePath: path.join(roots, 'a') }),
      403,
      /RUNYARD_WORKSPACE_ROOTS is not set/,
    )
    expect(await counts(s)).toEqual(before)
    const r = await fetch(`${s.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': keys.a },
      body: '{}',
    })
    expect(r.status).toBe(200)
  })
})
