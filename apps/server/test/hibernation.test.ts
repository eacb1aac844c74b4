// Idle hibernation, end to end: a real server whose workers hibernate idle E2B sessions (the real
// `e2b` SDK against the testkit fake, through the agent runtime's sandboxHibernator and
// openRunSandbox), the next run resuming them, and the races — a running run, a run admitted
// while the pause is in flight, several worker processes — never breaking the state machine.
// Sessions are made idle by moving their `updatedAt` back, so nothing here depends on timing.
import os from 'node:os'
import type { RunContext, RunExecutor, SandboxHibernator, SandboxType } from '@runyard/contract'
import { E2BSandboxProvider, openRunSandbox, sandboxHibernator, type E2BSandboxState } from '@runyard/agent-runtime'
import { createEngine, type Engine } from '@runyard/engine'
import { createTestDb, scriptPrompt, ScriptedExecutor } from '@runyard/testkit'
import { startFakeE2B, type FakeE2B } from '@runyard/testkit/fake-e2b/index'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { engineConfig, loadConfig } from '../src/config.ts'
import { createApiKey } from '@runyard/services'
import { until } from './support/responses.ts'
import { startTestServer, testRuntime, type TestServer } from './support/server.ts'

const ACCOUNT = 'acct_hib'
let fake: FakeE2B
let provider: E2BSandboxProvider
let s: TestServer
let key: string

/** Every hibernate call, by sandbox id and engine; `gate` (when set) holds calls before they pause. */
const calls: { sandboxId: string; engine: string }[] = []
let gate: Promise<void> | undefined

function recordingHibernator(engine: string): SandboxHibernator {
  const real = sandboxHibernator({ e2b: provider })
  return {
    sandboxTypes: real.sandboxTypes,
    async hibernate(type: SandboxType, state: unknown) {
      calls.push({ sandboxId: (state as E2BSandboxState).sandboxId, engine })
      await gate
      await real.hibernate(type, state)
    },
  }
}

/** The lifecycle state each run's executor was handed, by run id. */
const seen = new Map<string, string>()

/** Opens the session's sandbox as the agent executor does (restoring a hibernated one), then follows the script. */
function sandboxExecutor(): RunExecutor {
  const scripted = new ScriptedExecutor()
  return {
    async execute(ctx: RunContext) {
      seen.set(ctx.run.id, ctx.session.lifecycleState)
      const rs = await openRunSandbox(ctx, {
        providers: { e2b: provider },
        workspacesRoot: os.tmpdir(),
        warn: () => {},
      })
      await rs.close()
      return scripted.execute(ctx)
    },
  }
}

const session = (id: string) => s.db.prisma.session.findUniqueOrThrow({ where: { id } })
const stateOf = async (id: string) => (await session(id)).lifecycleState
const sandboxIdOf = async (id: string) => ((await session(id)).sandboxState as unknown as E2BSandboxState).sandboxId
const pauses = (sandboxId: string) =>
  fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/sandboxes/${sandboxId}/pause`)).length
/** Makes sessions idle for longer than RUNYARD_SESSION_IDLE_MS. */
const makeIdle = (...ids: string[]) =>
  s.db.prisma.$executeRaw`UPDATE "Session" SET "updatedAt" = now() - interval '1 hour' WHERE id = ANY(${ids})`

async function runStatus(runId: string): Promise<string> {
  return ((await s.api(`/api/chat/runs/${runId}`, { key })).body as { status: string }).status
}

async function startRun(json: Record<string, unknown>): Promise<{ runId: string; sessionId: string; chatId: string }> {
  const r = await s.api('/api/chat/runs', { method: 'POST', key, json })
  expect(r.status).toBe(202)
  return r.body
}

/** A session whose first run opened its E2B sandbox and completed. */
async function idleCandidate(): Promise<{ sessionId: string; chatId: string; sandboxId: string }> {
  const { runId, sessionId, chatId } = await startRun({ prompt: scriptPrompt([{ text: 'ok' }]) })
  await until('run completed', async () => (await runStatus(runId)) === 'completed')
  expect(await stateOf(sessionId)).toBe('active')
  return { sessionId, chatId, sandboxId: await sandboxIdOf(sessionId) }
}

beforeAll(async () => {
  fake = await startFakeE2B()
  provider = new E2BSandboxProvider({ ...fake.connectionOpts, timeoutMs: 120_000 })
  const testDb = await createTestDb()
  await testDb.prisma.account.create({ data: { id: ACCOUNT, name: 'hib' } })
  key = (await createApiKey(testDb.prisma, { accountId: ACCOUNT, name: 'hib', kind: 'personal' })).secret
  s = await startTestServer({
    testDb,
    runtime: { ...testRuntime, defaultSandbox: 'e2b', availableSandboxes: ['e2b'] },
    executor: sandboxExecutor(),
    hibernator: recordingHibernator('server'),
    env: { RUNYARD_SESSION_IDLE_MS: '10000' },
  })
})
afterAll(async () => {
  await s?.stop()
  await s?.testDb.drop()
  await fake?.close()
})

describe('RUNYARD_SESSION_IDLE_MS', () => {
  it('defaults to 10 minutes, reaches the engine, and refuses less than 10 s', () => {
    expect(engineConfig(loadConfig({}), undefined).sessionIdleMs).toBe(600_000)
    expect(engineConfig(loadConfig({ RUNYARD_SESSION_IDLE_MS: '10000' }), undefined).sessionIdleMs).toBe(10_000)
    expect(() => loadConfig({ RUNYARD_SESSION_IDLE_MS: '9999' })).toThrow(/RUNYARD_SESSION_IDLE_MS/)
  })
})

describe('idle hibernation', () => {
  it('pauses an idle E2B session (hibernated); the next run resumes the same sandbox and the session is active again', async () => {
    const { sessionId, chatId, sandboxId } = await idleCandidate()
    expect(fake.sandboxes.get(sandboxId)?.state).toBe('running')

    await makeIdle(sessionId)
    await until('session hibernated', async () => (await stateOf(sessionId)) === 'hibernated')
    expect(fake.sandboxes.get(sandboxId)?.state).toBe('paused')
    expect(pauses(sandboxId)).toBe(1)
    expect((await s.api(`/api/sessions/${sessionId}`, { key })).body.session.lifecycleState).toBe('hibernated')

    const { runId } = await startRun({ prompt: scriptPrompt([{ text: 'back' }]), chatId })
    await until('run completed', async () => (await runStatus(runId)) === 'completed')
    expect(seen.get(runId)).toBe('hibernated')
    expect(await stateOf(sessionId)).toBe('active')
    expect(await sandboxIdOf(sessionId)).toBe(sandboxId)
    expect(fake.sandboxes.get(sandboxId)?.state).toBe('running')
  })

  it('never hibernates a session with a running run (an idle one is hibernated by the same pass)', async () => {
    const idle = await idleCandidate()
    const { runId, sessionId } = await startRun({ prompt: scriptPrompt([{ text: 'working' }, { hang: true }]) })
    await until(
      'sandbox opened',
      async () => (await runStatus(runId)) === 'running' && (await session(sessionId)).sandboxState !== null,
    )
    const busySandbox = await sandboxIdOf(sessionId)

    await makeIdle(sessionId, idle.sessionId)
    await until('idle session hibernated', async () => (await stateOf(idle.sessionId)) === 'hibernated')
    expect(await stateOf(sessionId)).toBe('active')
    expect(fake.sandboxes.get(busySandbox)?.state).toBe('running')
    expect(calls.filter((c) => c.sandboxId === busySandbox)).toEqual([])
    expect(await runStatus(runId)).toBe('running')

    const cancelled = await s.engine.cancelRun(ACCOUNT, runId, { waitMs: 10_000 })
    expect(cancelled.status).toBe('cancelled')
  })

  it('a run started while the pause is in flight waits for it, then resumes the sandbox', async () => {
    const { sessionId, chatId, sandboxId } = await idleCandidate()
    let release!: () => void
    gate = new Promise((r) => (release = r))
    try {
      await makeIdle(sessionId)
      await until('session hibernating', async () => (await stateOf(sessionId)) === 'hibernating')
      const { runId } = await startRun({ prompt: scriptPrompt([{ text: 'during the pause' }]), chatId })
      await until('run claimed', async () => (await runStatus(runId)) !== 'queued')
      expect(await runStatus(runId)).toBe('running')
      // The worker holds the run until the pause is over: its executor has not been called.
      expect(seen.has(runId)).toBe(false)
      expect(await stateOf(sessionId)).toBe('hibernating')
      release()
      await until('run completed', async () => (await runStatus(runId)) === 'completed')
      expect(seen.get(runId)).toBe('hibernated')
      expect(await stateOf(sessionId)).toBe('active')
      expect(fake.sandboxes.get(sandboxId)?.state).toBe('running')
      expect(pauses(sandboxId)).toBe(1)
    } finally {
      gate = undefined
      release()
    }
  })

  it('several worker processes never pause the same session twice', async () => {
    const sessions: Awaited<ReturnType<typeof idleCandidate>>[] = []
    for (let i = 0; i < 6; i++) sessions.push(await idleCandidate())
    const others: Engine[] = []
    try {
      for (const name of ['worker-b', 'worker-c']) {
        const e = createEngine({
          db: s.db,
          executor: sandboxExecutor(),
          hibernator: recordingHibernator(name),
          config: { ...s.engine.config, reapIntervalMs: 50 },
        })
        await e.start()
        others.push(e)
      }
      await makeIdle(...sessions.map((x) => x.sessionId))
      await until('all hibernated', async () =>
        (await Promise.all(sessions.map((x) => stateOf(x.sessionId)))).every((st) => st === 'hibernated'),
      )
      for (const { sandboxId } of sessions) {
        expect(calls.filter((c) => c.sandboxId === sandboxId)).toHaveLength(1)
        expect(pauses(sandboxId)).toBe(1)
        expect(fake.sandboxes.get(sandboxId)?.state).toBe('paused')
      }
    } finally {
      for (const e of others) await e.stop()
    }
  })
})
