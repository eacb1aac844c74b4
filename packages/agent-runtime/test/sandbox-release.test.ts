// Releasing a session's sandbox when it is archived (the seam the server's archive uses), through
// the real `e2b` SDK against the testkit fake; and a run on an archived session opens no sandbox.
import os from 'node:os'
import { describe, expect, it } from 'vitest'
import { openRunSandbox } from '../src/agent/run-sandbox.ts'
import { releaseSessionSandbox } from '../src/index.ts'
import {
  E2BSandboxProvider,
  SandboxError,
  type E2BSandboxState,
  type OpenSandboxOptions,
  type SandboxProvider,
} from '../src/sandbox/index.ts'
import { useFakeE2B } from './support/fake-e2b.ts'
import { memoryRun } from './support/memory-context.ts'

const e2bServer = useFakeE2B()
const e2b = e2bServer.provider

describe('releaseSessionSandbox', () => {
  it('kills the E2B sandbox behind the stored state; a sandbox already gone counts as released', async () => {
    const provider = e2b()
    const { sandbox, sandboxState } = await provider.open({ sessionId: 'sess_release' })
    await sandbox.close()
    const id = (sandboxState as E2BSandboxState).sandboxId
    expect(e2bServer.fake().sandboxes.get(id)?.state).toBe('running')

    await releaseSessionSandbox({ e2b: provider }, 'e2b', sandboxState)
    expect(e2bServer.fake().sandboxes.get(id)?.state).toBe('killed')
    await expect(releaseSessionSandbox({ e2b: provider }, 'e2b', sandboxState)).resolves.toBeUndefined()
    await expect(
      releaseSessionSandbox({ e2b: provider }, 'e2b', { kind: 'e2b', sandboxId: 'sbx_never_existed' }),
    ).resolves.toBeUndefined()
  })

  it('has nothing to release without a state, without a sandbox, or for kinds that keep nothing alive', async () => {
    let destroyed = 0
    const recording: SandboxProvider = {
      kind: 'local',
      available: async () => ({ ok: true }),
      open: async () => {
        throw new Error('not used')
      },
      destroy: async () => {
        destroyed++
      },
    }
    await releaseSessionSandbox({ local: recording }, 'local', null)
    await releaseSessionSandbox({ local: recording }, 'none', { kind: 'local' })
    await releaseSessionSandbox({}, 'local', { kind: 'local', workspaceDir: os.tmpdir() })
    await releaseSessionSandbox({}, 'host', { kind: 'host', workspaceDir: os.tmpdir() })
    expect(destroyed).toBe(0)
    await releaseSessionSandbox({ local: recording }, 'local', { kind: 'local' })
    expect(destroyed).toBe(1)
  })

  it('fails loudly when an E2B sandbox may still exist but E2B is not configured here, or the kill fails', async () => {
    await expect(releaseSessionSandbox({}, 'e2b', { kind: 'e2b', sandboxId: 'sbx_x' })).rejects.toBeInstanceOf(
      SandboxError,
    )
    const unreachable = new E2BSandboxProvider({
      apiKey: 'e2b_x',
      apiUrl: 'http://127.0.0.1:9',
      requestTimeoutMs: 2_000,
    })
    await expect(
      releaseSessionSandbox({ e2b: unreachable }, 'e2b', { kind: 'e2b', sandboxId: 'sbx_x' }),
    ).rejects.toBeInstanceOf(SandboxError)
  })
})

describe('a run on an archived session', () => {
  it('opens no sandbox and leaves the session alone', async () => {
    const opened: OpenSandboxOptions[] = []
    const provider: SandboxProvider = {
      kind: 'e2b',
      available: async () => ({ ok: true }),
      open: async (o) => {
        opened.push(o)
        throw new Error('must not open')
      },
    }
    const run = memoryRun({ runId: 'run_archived', workspacePath: os.tmpdir(), userText: 'hi' })
    const base = run.context({})
    const ctx = {
      ...base,
      session: {
        ...base.session,
        sandboxType: 'e2b' as const,
        lifecycleState: 'archived' as const,
        sandboxState: { kind: 'e2b', sandboxId: 'sbx_old' },
      },
    }
    const rs = await openRunSandbox(ctx, { providers: { e2b: provider }, workspacesRoot: os.tmpdir(), warn: () => {} })
    expect(rs.sandbox).toBeNull()
    expect(rs.problem).toMatch(/archived/)
    expect(() => rs.require()).toThrow(/archived/)
    expect(opened).toEqual([])
    expect(run.sessionPatches).toEqual([])
  })
})
