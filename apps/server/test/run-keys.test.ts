// A run's ephemeral key over HTTP: usable while the run executes, 401 as soon as the run is
// completed, failed or cancelled, 401 once its expiry has passed, and a SIGKILLed worker's key
// is dead once another worker has taken the run over.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RunContext, RunExecutor, RunOutcome } from '@runyard/contract'
import { createTestDb, ScriptedExecutor, scriptPrompt, type ScriptStep, type TestDb } from '@runyard/testkit'
import { spawnRunyard, type RunyardProcess } from '@runyard/testkit/runyard-process'
import { createTRPCClient, httpLink } from '@trpc/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '@runyard/services'
import type { AppRouter } from '@runyard/api'
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
  const r = await s.api('/api/chat/runs', {
    method: 'POST',
    json: { prompt: scriptPrompt(script), sessionId },
    key: owner,
  })
  expect(r.status).toBe(202)
  const key = await executor.keyOf(r.body.runId)
  expect(key).not.toBe(owner)
  expect((await s.api(sessionPath, { key })).status).toBe(200)
  expect((await s.api(`/api/chat/runs/${r.body.runId}`, { key })).body.status).toBe('running')
  return { runId: r.body.runId as string, key }
}

/** A keys-mode server (`s`) on `testDb` with an owner account, its key and a session. */
async function startKeysServer(testDb: TestDb, opts: { executor?: RunExecutor; env?: Record<string, string> }) {
  await testDb.prisma.account.create({ data: { id: 'acct_keys', name: 'keys' } })
  owner = (await createApiKey(testDb.prisma, { accountId: 'acct_keys', name: 'owner', kind: 'personal' })).secret
  s = await startTestServer({ testDb, ...opts })
  expect(s.authMode).toBe('keys')
  sessionPath = `/api/sessions/${(await s.api('/api/sessions', { method: 'POST', json: {}, key: owner })).body.session.id}`
}

const expectDead = async (key: string) =>
  expect(await s.api(sessionPath, { key })).toMatchObject({
    status: 401,
    body: { status: 'error', error: 'Invalid API key.' },
  })

describe('run keys over HTTP', () => {
  beforeAll(async () => {
    await startKeysServer(await createTestDb(), { executor })
  })
  afterAll(async () => {
    await s.stop()
    await s.testDb.drop()
  })

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
    expect((await s.api(`/api/chat/runs/${runId}/cancel`, { method: 'POST', key: owner })).body.status).toBe(
      'cancelled',
    )
    await expectDead(key)
  })

  it('acts only within its own session: its session, chat and run yes; other sessions, runs, new sessions and keys no', async () => {
    const other = (await s.api('/api/sessions', { method: 'POST', json: {}, key: owner })).body
    const otherRun = await s.api('/api/chat/runs', {
      method: 'POST',
      json: { prompt: scriptPrompt([{ text: 'x' }]), sessionId: other.session.id },
      key: owner,
    })
    const { runId, key } = await runningWithKey([{ hang: true }])
    const ownSessionId = sessionPath.split('/').at(-1)!
    const own = await s.api(`/api/chat/runs/${runId}`, { key })
    const trpc = createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${s.url}/trpc`, headers: { 'x-api-key': key } })],
    })

    // its own session, chat and run
    expect(own.status).toBe(200)
    expect((await s.api('/api/sessions', { key })).body.sessions.map((x: { id: string }) => x.id)).toEqual([
      ownSessionId,
    ])
    expect((await trpc.sessions.list.query()).map((x) => x.id)).toEqual([ownSessionId])
    expect((await trpc.runs.list.query()).every((r) => r.sessionId === ownSessionId)).toBe(true)
    expect((await trpc.chats.messages.query({ chatId: own.body.chatId })).length).toBeGreaterThan(0)

    // nothing of the account's other sessions
    expect((await s.api(`/api/sessions/${other.session.id}`, { key })).status).toBe(404)
    expect((await s.api(`/api/chat/runs/${otherRun.body.runId}`, { key })).status).toBe(404)
    expect((await s.api(`/api/chat/runs/${otherRun.body.runId}/events`, { key })).status).toBe(404)
    expect((await s.api(`/api/chat/runs/${otherRun.body.runId}/cancel`, { method: 'POST', key })).status).toBe(404)
    await expect(trpc.chats.get.query({ chatId: other.chat.id })).rejects.toMatchObject({ data: { httpStatus: 404 } })
    await expect(trpc.runs.list.query({ sessionId: other.session.id })).resolves.toEqual([])

    // no run in another session, no new session, no key management
    const elsewhere = [
      { prompt: 'hi', sessionId: other.session.id },
      { prompt: 'hi', chatId: other.chat.id },
    ]
    for (const json of elsewhere)
      expect((await s.api('/api/chat/runs', { method: 'POST', json, key })).status).toBe(404)
    expect(await s.api('/api/chat/runs', { method: 'POST', json: { prompt: 'hi' }, key })).toMatchObject({
      status: 403,
      body: { error: expect.stringContaining('own session') },
    })
    expect((await s.api('/api/sessions', { method: 'POST', json: {}, key })).status).toBe(403)
    await expect(trpc.sessions.archive.mutate({ sessionId: ownSessionId })).rejects.toMatchObject({
      data: { httpStatus: 403 },
    })
    await expect(trpc.keys.list.query()).rejects.toMatchObject({ data: { httpStatus: 403 } })
    // no webhooks either: an endpoint would hear about every run of the account
    const hook = { url: 'https://hooks.example.com/agent' }
    expect((await s.api('/api/webhooks', { key })).status).toBe(403)
    expect((await s.api('/api/webhooks', { method: 'POST', json: hook, key })).status).toBe(403)
    await expect(trpc.webhooks.list.query()).rejects.toMatchObject({ data: { httpStatus: 403 } })
    await expect(trpc.webhooks.create.mutate(hook)).rejects.toMatchObject({ data: { httpStatus: 403 } })
    expect(await s.db.prisma.webhookEndpoint.count()).toBe(0)
    const runsAfter = await s.db.prisma.run.count({ where: { sessionId: other.session.id } })
    expect(runsAfter).toBe(1)
    expect(await s.db.prisma.session.count({ where: { accountId: 'acct_keys' } })).toBe(2)

    expect((await s.api(`/api/chat/runs/${runId}/cancel`, { method: 'POST', key: owner })).body.status).toBe(
      'cancelled',
    )
  })

  it('401 once the key has expired, even while its run still executes', async () => {
    const { runId, key } = await runningWithKey([{ hang: true }])
    await s.db.prisma.apiKey.updateMany({
      where: { runId, kind: 'ephemeral' },
      data: { expiresAt: new Date(Date.now() - 1000) },
    })
    expect(await s.api(sessionPath, { key })).toMatchObject({
      status: 401,
      body: { status: 'error', error: 'This API key has expired.' },
    })
    expect((await s.api(`/api/chat/runs/${runId}/cancel`, { method: 'POST', key: owner })).body.status).toBe(
      'cancelled',
    )
  })
})

describe('run keys after a worker is SIGKILLed', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runyard-run-keys-'))
  const keyFile = path.join(dir, 'keys')
  let testDb: TestDb
  let worker: RunyardProcess | undefined
  let takeover: TestServer | undefined
  beforeAll(async () => {
    testDb = await createTestDb()
    // API only in this process; the run executes in a worker process that reports its key.
    await startKeysServer(testDb, { env: { RUNYARD_WORKERS: 'false' } })
    worker = await spawnRunyard('worker', {
      DATABASE_URL: testDb.url,
      RUNYARD_RUN_LEASE_MS: '3000',
      RUNYARD_EXECUTOR_MODULE: fileURLToPath(new URL('./support/key-file-executor.ts', import.meta.url)),
      RUNYARD_TEST_KEY_FILE: keyFile,
    })
  }, 60_000)
  afterAll(async () => {
    await worker?.stop().catch(() => {})
    await takeover?.stop()
    await s.stop()
    await testDb.drop()
    rmSync(dir, { recursive: true, force: true })
  })

  const reportedKey = async (runId: string) => {
    for (let i = 0; i < 400; i++) {
      const line = (() => {
        try {
          return readFileSync(keyFile, 'utf8')
            .split('\n')
            .find((l) => l.startsWith(`${runId} `))
        } catch {
          return undefined
        }
      })()
      if (line) return line.slice(runId.length + 1)
      await new Promise((res) => setTimeout(res, 50))
    }
    throw new Error(`the worker never reported a key for ${runId}`)
  }

  it(
    "the killed attempt's key is 401 once another worker holds the run; the new key dies with the run",
    { timeout: 60_000 },
    async () => {
      const sessionId = sessionPath.split('/').at(-1)
      // the worker process hangs on any script; the takeover runs this one to completion
      const r = await s.api('/api/chat/runs', {
        method: 'POST',
        json: { prompt: scriptPrompt([{ text: 'resumed' }, { step: { input: 1 } }]), sessionId },
        key: owner,
      })
      expect(r.status).toBe(202)
      const runId: string = r.body.runId
      const killedKey = await reportedKey(runId)
      expect((await s.api(sessionPath, { key: killedKey })).status).toBe(200)
      await worker!.kill()
      worker = undefined

      // a worker in this process reaps the lost run once its lease expires and executes attempt 2
      takeover = await startTestServer({ testDb, executor })
      const newKey = await executor.keyOf(runId)
      expect(newKey).not.toBe(killedKey)
      expect(
        await s.db.prisma.run.findUniqueOrThrow({ where: { id: runId }, select: { status: true, attempt: true } }),
      ).toEqual({ status: 'running', attempt: 2 })
      await expectDead(killedKey)
      expect((await s.api(sessionPath, { key: newKey })).status).toBe(200)

      executor.release(runId)
      await waitForStatus(runId, 'completed')
      await expectDead(newKey)
      await expectDead(killedKey)
    },
  )
})
