// Hibernating a session's sandbox (the seam worker engines suspend idle sessions through) and
// restoring it on the next run, through the real `e2b` SDK against the testkit fake.
import os from 'node:os'
import { describe, expect, it } from 'vitest'
import { openRunSandbox } from '../src/agent/run-sandbox.ts'
import { sandboxHibernator } from '../src/index.ts'
import { E2BSandboxProvider, SandboxError, type E2BSandboxState, type SandboxProvider } from '../src/sandbox/index.ts'
import { useFakeE2B } from './support/fake-e2b.ts'
import { memoryRun } from './support/memory-context.ts'

const e2bServer = useFakeE2B()
const e2b = e2bServer.provider
const local: SandboxProvider = {
  kind: 'local',
  available: async () => ({ ok: true }),
  open: async () => Promise.reject(new Error('not used')),
}

/** A run context on an E2B session in `lifecycleState` with `sandboxState`. */
function e2bRun(lifecycleState: 'hibernated' | 'active', sandboxState: unknown) {
  const run = memoryRun({ runId: 'run_hib', workspacePath: os.tmpdir(), userText: 'hi' })
  const base = run.context({})
  return {
    run,
    ctx: { ...base, session: { ...base.session, sandboxType: 'e2b' as const, lifecycleState, sandboxState } },
  }
}

describe('sandboxHibernator', () => {
  it('offers only kinds whose provider can suspend (e2b), pauses the sandbox, and fails loudly for others', async () => {
    const provider = e2b()
    const hibernator = sandboxHibernator({ e2b: provider, local })
    expect(hibernator.sandboxTypes).toEqual(['e2b'])
    expect(sandboxHibernator({ local }).sandboxTypes).toEqual([])

    const { sandbox, sandboxState } = await provider.open({ sessionId: 'sess_hib' })
    await sandbox.close()
    const id = (sandboxState as E2BSandboxState).sandboxId
    await hibernator.hibernate('e2b', sandboxState)
    expect(e2bServer.fake().sandboxes.get(id)?.state).toBe('paused')
    // again (a claim retried after its worker died), and a sandbox that is gone: both resolve
    await expect(hibernator.hibernate('e2b', sandboxState)).resolves.toBeUndefined()
    await expect(hibernator.hibernate('e2b', { kind: 'e2b', sandboxId: 'sbx_never_existed' })).resolves.toBeUndefined()
    await expect(hibernator.hibernate('local', { kind: 'local' })).rejects.toBeInstanceOf(SandboxError)
    await expect(sandboxHibernator({}).hibernate('e2b', sandboxState)).rejects.toBeInstanceOf(SandboxError)
  })
})

describe('a run on a hibernated session', () => {
  it('goes restoring → active while its open resumes the paused sandbox (same sandbox, files kept)', async () => {
    const provider = e2b()
    const first = await provider.open({ sessionId: 'sess_restore' })
    await first.sandbox.writeFile('kept.txt', 'still here')
    await first.sandbox.close()
    const id = (first.sandboxState as E2BSandboxState).sandboxId
    await provider.hibernate(first.sandboxState)
    expect(e2bServer.fake().sandboxes.get(id)?.state).toBe('paused')

    const { run, ctx } = e2bRun('hibernated', first.sandboxState)
    const rs = await openRunSandbox(ctx, { providers: { e2b: provider }, workspacesRoot: os.tmpdir(), warn: () => {} })
    expect(e2bServer.fake().sandboxes.get(id)?.state).toBe('running')
    expect(await rs.require().readFile('kept.txt')).toBe('still here')
    await rs.close()
    expect(run.sessionPatches).toEqual([
      { lifecycleState: 'restoring' },
      { sandboxState: { kind: 'e2b', sandboxId: id }, lifecycleState: 'active' },
    ])
  })

  it('stays hibernated when the sandbox cannot be opened (the run goes on without it)', async () => {
    const unreachable = new E2BSandboxProvider({
      apiKey: 'e2b_x',
      apiUrl: 'http://127.0.0.1:9',
      requestTimeoutMs: 2_000,
    })
    const state = { kind: 'e2b', sandboxId: 'sbx_paused' }
    const { run, ctx } = e2bRun('hibernated', state)
    const rs = await openRunSandbox(ctx, {
      providers: { e2b: unreachable },
      workspacesRoot: os.tmpdir(),
      warn: () => {},
    })
    expect(rs.sandbox).toBeNull()
    expect(rs.problem).toMatch(/could not be opened/)
    expect(run.sessionPatches).toEqual([{ lifecycleState: 'restoring' }, { lifecycleState: 'hibernated' }])
  })

  it('an active session opens without passing through restoring', async () => {
    const provider = e2b()
    const { run, ctx } = e2bRun('active', undefined)
    const rs = await openRunSandbox(ctx, { providers: { e2b: provider }, workspacesRoot: os.tmpdir(), warn: () => {} })
    await rs.close()
    expect(run.sessionPatches).toEqual([
      { sandboxState: expect.objectContaining({ kind: 'e2b' }), lifecycleState: 'active' },
    ])
  })
})

describe('a run cancelled while its sandbox is opening', () => {
  it('stops waiting at once; the open completes on its own, is recorded for the session and closed', async () => {
    const provider = e2b()
    const { run, ctx: base } = e2bRun('active', undefined)
    const controller = new AbortController()
    const ctx = { ...base, signal: controller.signal }
    const releaseCreates = e2bServer.fake().holdCreates()
    const before = e2bServer.fake().sandboxes.size
    const warnings: string[] = []
    const opening = openRunSandbox(ctx, {
      providers: { e2b: provider },
      workspacesRoot: os.tmpdir(),
      warn: (m) => warnings.push(m),
    })
    // the create request has reached the (held) control plane
    await expect
      .poll(() => e2bServer.fake().requests.filter((r) => r.method === 'POST' && r.path === '/v2/sandboxes').length)
      .toBeGreaterThan(0)
    controller.abort()
    // resolves while the create is still held: nothing waits for the sandbox
    const rs = await opening
    expect(rs.sandbox).toBeNull()
    expect(rs.problem).toMatch(/cancelled before its sandbox was open/)
    expect(run.sessionPatches).toEqual([])
    expect(e2bServer.fake().sandboxes.size).toBe(before)

    releaseCreates()
    // the sandbox that was created anyway belongs to the session (not leaked), and the run's handle is closed
    await expect.poll(() => run.sessionPatches.length).toBe(1)
    expect(run.sessionPatches).toEqual([
      { sandboxState: expect.objectContaining({ kind: 'e2b' }), lifecycleState: 'active' },
    ])
    const id = (run.sessionPatches[0] as { sandboxState: E2BSandboxState }).sandboxState.sandboxId
    expect(e2bServer.fake().sandboxes.get(id)?.state).toBe('running')
    expect(warnings).toEqual([])
  })

  it('releases the sandbox instead when the session was archived meanwhile (the archive no longer waits for this open)', async () => {
    const provider = e2b()
    const { run, ctx: base } = e2bRun('active', undefined)
    const controller = new AbortController()
    const releaseCreates = e2bServer.fake().holdCreates()
    const opening = openRunSandbox(
      { ...base, signal: controller.signal },
      { providers: { e2b: provider }, workspacesRoot: os.tmpdir(), warn: () => {} },
    )
    await expect
      .poll(() => e2bServer.fake().requests.filter((r) => r.method === 'POST' && r.path === '/v2/sandboxes').length)
      .toBeGreaterThan(0)
    controller.abort()
    expect((await opening).sandbox).toBeNull()
    run.archived = true // the archive that cancelled the run has marked the session
    releaseCreates()
    await expect.poll(() => run.sessionPatches.length).toBe(1)
    const id = (run.sessionPatches[0] as { sandboxState: E2BSandboxState }).sandboxState.sandboxId
    await expect.poll(() => e2bServer.fake().sandboxes.get(id)?.state).toBe('killed')
  })

  it('a run already cancelled does not open a sandbox at all', async () => {
    const { run, ctx: base } = e2bRun('hibernated', { kind: 'e2b', sandboxId: 'sbx_paused' })
    const ctx = { ...base, signal: AbortSignal.abort() }
    const requestsBefore = e2bServer.fake().requests.length
    const rs = await openRunSandbox(ctx, { providers: { e2b: e2b() }, workspacesRoot: os.tmpdir(), warn: () => {} })
    expect(rs.sandbox).toBeNull()
    expect(run.sessionPatches).toEqual([])
    expect(e2bServer.fake().requests.length).toBe(requestsBefore)
  })
})
