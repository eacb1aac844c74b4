// A run's ephemeral key over HTTP: usable while the run executes, 401 as soon as the run is
// completed, failed or cancelled, and 401 once its expiry has passed.
import type { RunContext, RunExecutor, RunOutcome } from '@runyard/contract'
import { createTestDb, ScriptedExecutor, scriptPrompt, type ScriptStep } from '@runyard/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '../src/services/api-keys.ts'
import { startTestServer, type TestServer } from './support/server.ts'

/**
 * Records each execution's key, then holds the run in `running` until the test releases it; the
 * prompt's script decides the outcome. A cancel releases the hold (and the script's own wait).
 */
class HeldExecutor implements RunExecutor {
  private readonly started = new Map<string, { key: string; release: () => void }>()
  private readonly waiters = new Map<string, () => void>()
  private readonly inner = new ScriptedExecutor()

  async execute(ctx: RunContext): Promise<RunOutcome> {
    await new Promise<void>((release) => {
      this.started.set(ctx.run.id, { key: ctx.apiKey, release })
      this.waiters.get(ctx.run.id)?.()
      ctx.signal.addEventListener('abort', () => release(), { once: true })
    })
    return this.inner.execute(ctx)
  }

  /** The key of the run's execution, once the run executes. */
  async keyOf(runId: string): Promise<string> {
    if (!this.started.has(runId)) await new Promise<void>((resolve) => this.waiters.set(runId, resolve))
    return this.started.get(runId)!.key
  }

  release(runId: string) {
    this.started.get(runId)!.release()
  }
}

const executor = new HeldExecutor()
let s: TestServer
let owner = ''
let sessionPath = ''

async function waitForStatus(runId: string, status: string) {
  for (let i = 0; i < 200; i++) {
    const r = await s.api(`/api/chat/runs/${runId}`, { key: owner })
    if (r.body.status === status) return r.body
    await new Promise((res) => setTimeout(res, 50))
  }
  throw new Error(`run ${runId} never reached ${status}`)
}

/** Starts a run in the owner's session and returns it with its key, checked usable while it runs. */
async function runningWithKey(script: ScriptStep[]) {
  const sessionId = sessionPath.split('/').at(-1)
  const r = await s.api('/api/chat/runs', { method: 'POST', json: { prompt: scriptPrompt(script), sessionId }, key: owner })
  expect(r.status).toBe(202)
  const key = await executor.keyOf(r.body.runId)
  expect(key).not.toBe(owner)
  expect((await s.api(sessionPath, { key })).status).toBe(200)
  expect((await s.api(`/api/chat/runs/${r.body.runId}`, { key })).body.status).toBe('running')
  return { runId: r.body.runId as string, key }
}

beforeAll(async () => {
  const testDb = await createTestDb()
  await testDb.prisma.account.create({ data: { id: 'acct_keys', name: 'keys' } })
  owner = (await createApiKey(testDb.prisma, { accountId: 'acct_keys', name: 'owner', kind: 'personal' })).secret
  s = await startTestServer({ testDb, executor })
  expect(s.authMode).toBe('keys')
  sessionPath = `/api/sessions/${(await s.api('/api/sessions', { method: 'POST', json: {}, key: owner })).body.session.id}`
})
afterAll(async () => {
  await s.stop()
  await s.testDb.drop()
})

const expectDead = async (key: string) =>
  expect(await s.api(sessionPath, { key })).toMatchObject({ status: 401, body: { status: 'error', error: 'Invalid API key.' } })

describe('run keys over HTTP', () => {
  it('200 while the run executes, 401 after it completes', async () => {
    const { runId, key } = await runningWithKey([{ text: 'done' }, { step: { input: 1 } }])
    executor.release(runId)
    await waitForStatus(runId, 'completed')
    await expectDead(key)
  })

  it('200 while the run executes, 401 after it fails', async () => {
    const { runId, key } = await runningWithKey([{ fail: 'tool', message: 'scripted' }])
    executor.release(runId)
    await waitForStatus(runId, 'failed')
    await expectDead(key)
  })

  it('200 while the run executes, 401 after it is cancelled', async () => {
    const { runId, key } = await runningWithKey([{ hang: true }])
    expect((await s.api(`/api/chat/runs/${runId}/cancel`, { method: 'POST', key: owner })).body.status).toBe('cancelled')
    await expectDead(key)
  })

  it('401 once the key has expired, even while its run still executes', async () => {
    const { runId, key } = await runningWithKey([{ hang: true }])
    await s.db.prisma.apiKey.updateMany({ where: { runId, kind: 'ephemeral' }, data: { expiresAt: new Date(Date.now() - 1000) } })
    expect(await s.api(sessionPath, { key })).toMatchObject({ status: 401, body: { status: 'error', error: 'This API key has expired.' } })
    expect((await s.api(`/api/chat/runs/${runId}/cancel`, { method: 'POST', key: owner })).body.status).toBe('cancelled')
  })
})
