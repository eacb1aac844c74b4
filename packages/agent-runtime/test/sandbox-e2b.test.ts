// The e2b provider through the real `e2b` SDK, against the protocol-level fake from testkit.
import { startFakeE2B, type FakeE2B } from '@runyard/testkit/fake-e2b/index'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { E2BSandboxProvider, type E2BSandboxState } from '../src/sandbox/index.ts'
import { describeSandboxContract, SESSION_ENV } from './sandbox-contract.ts'
import { processAlive, uniqueSleep } from './support/processes.ts'

let fake: FakeE2B
beforeAll(async () => {
  fake = await startFakeE2B()
})
afterAll(async () => {
  await fake?.close()
})

function provider(): E2BSandboxProvider {
  return new E2BSandboxProvider({ ...fake.connectionOpts, timeoutMs: 120_000 })
}

describeSandboxContract('e2b (fake)', async () => {
  const p = provider()
  const { sandbox, sandboxState } = await p.open({ sessionId: 's-e2b', env: SESSION_ENV })
  const id = (sandboxState as E2BSandboxState).sandboxId
  return {
    sandbox,
    pathSeenByCommands: (p) => fake.sandboxes.get(id)?.hostPath(p) ?? p,
    cleanup: async () => {
      await sandbox.close()
      await p.destroy(sandboxState)
    },
  }
})

describe('e2b sandbox lifecycle', () => {
  it('needs an API key in its options (never from the environment)', async () => {
    const saved = process.env.E2B_API_KEY
    process.env.E2B_API_KEY = 'e2b_from_env'
    try {
      expect(await new E2BSandboxProvider({}).available()).toEqual({ ok: false, reason: 'E2B_API_KEY is not set' })
      expect(await provider().available()).toEqual({ ok: true })
    } finally {
      if (saved === undefined) delete process.env.E2B_API_KEY
      else process.env.E2B_API_KEY = saved
    }
  })

  it('creates a sandbox with the workspace, reconnects, hibernates (pause), resumes and destroys', async () => {
    const p = provider()
    const first = await p.open({ sessionId: 's-life', env: SESSION_ENV })
    const state = first.sandboxState as E2BSandboxState
    expect(state).toEqual({ kind: 'e2b', sandboxId: expect.any(String) })
    expect(first.sandbox.workspaceDir).toBe('/home/user/workspace')
    const fakeSbx = fake.sandboxes.get(state.sandboxId)
    expect(fakeSbx?.metadata).toEqual({ runyardSessionId: 's-life' })
    await first.sandbox.writeFile('keep.txt', 'kept')
    await first.sandbox.close()

    const again = await p.open({ sessionId: 's-life', sandboxState: state, env: SESSION_ENV })
    expect(again.sandboxState).toEqual(state)
    expect(await again.sandbox.readFile('keep.txt')).toBe('kept')
    await again.sandbox.close()

    await p.hibernate(state)
    expect(fakeSbx?.state).toBe('paused')
    const resumed = await p.open({ sessionId: 's-life', sandboxState: state })
    expect(fakeSbx?.state).toBe('running')
    expect((await resumed.sandbox.exec('cat keep.txt')).stdout).toBe('kept')
    await resumed.sandbox.close()

    await p.destroy(state)
    expect(fakeSbx?.state).toBe('killed')
    // the old sandbox is gone: open starts a fresh one rather than failing the session
    const fresh = await p.open({ sessionId: 's-life', sandboxState: state })
    expect((fresh.sandboxState as E2BSandboxState).sandboxId).not.toBe(state.sandboxId)
    expect(await fresh.sandbox.exists('keep.txt')).toBe(false)
    await fresh.sandbox.close()
    await p.destroy(fresh.sandboxState)
  })

  it('kills the process in the sandbox on abort (SendSignal reached the fake)', async () => {
    const p = provider()
    const { sandbox, sandboxState } = await p.open({ sessionId: 's-abort' })
    const id = (sandboxState as E2BSandboxState).sandboxId
    try {
      const marker = uniqueSleep()
      const controller = new AbortController()
      let started!: () => void
      const startedP = new Promise<void>((r) => (started = r))
      const run = sandbox.exec(`echo started; sleep ${marker}`, {
        signal: controller.signal,
        onStdout: () => started(),
      })
      const settled = run.catch((e: unknown) => e)
      await startedP
      controller.abort()
      expect(((await settled) as Error).name).toBe('AbortError')
      expect(processAlive(marker)).toBe(false)
      const procs = [...(fake.sandboxes.get(id)?.processes.values() ?? [])]
      const sleeper = procs.find((pr) => pr.config.args.some((a) => a.includes(marker)))
      expect(sleeper?.running).toBe(false)
    } finally {
      await sandbox.close()
      await p.destroy(sandboxState)
    }
  })
})
