// Archiving a session: its active run is cancelled, its E2B sandbox (the real `e2b` SDK against
// the testkit fake) is killed through the RuntimeInfo seam, and no surface can start a run on it
// any more — each answers 409 `session_archived` in its own error shape, validated against
// /openapi.json (and, for CometCode, against the seed's OpenAPI file).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { RunContext, RunExecutor, Session } from '@runyard/contract'
import { E2BSandboxProvider, releaseSessionSandbox, type E2BSandboxState } from '@runyard/agent-runtime'
import { createTestDb, scriptPrompt, ScriptedExecutor } from '@runyard/testkit'
import { startFakeE2B, type FakeE2B } from '@runyard/testkit/fake-e2b/index'
import { createTRPCClient, httpLink, TRPCClientError, type TRPCClient } from '@trpc/client'
import OpenAI from 'openai'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '@runyard/services'
import type { RuntimeInfo } from '@runyard/services'
import { SessionService } from '@runyard/services'
import type { AppRouter } from '@runyard/api'
import { cometClient, type CometClient } from './support/cometcode.ts'
import { settledOpenapiProblems, sdk, until } from './support/responses.ts'
import { startTestServer, testRuntime, type TestServer } from './support/server.ts'
import { WorkspacePolicy } from '@runyard/services'
import { accountCaller } from '@runyard/services'

/** These sessions name no folders: the default rules. */
const anyPolicy = new WorkspacePolicy({
  roots: undefined,
  dataDir: '/nonexistent/data',
  managedDir: '/nonexistent/workspaces',
})

let fake: FakeE2B
let provider: E2BSandboxProvider
let s: TestServer
let key: string
let trpc: TRPCClient<AppRouter>
let cc: CometClient
let tmp: string
/** Set to make the next releases fail (E2B unreachable). */
let releaseFails = false
const released: unknown[] = []

const runtime = (): RuntimeInfo => ({
  ...testRuntime,
  defaultSandbox: 'e2b',
  availableSandboxes: ['e2b'],
  sandboxes: {
    release: async (type, state) => {
      released.push(state)
      if (releaseFails) throw new Error('E2B is unreachable')
      await releaseSessionSandbox({ e2b: provider }, type, state)
    },
  },
})

/** Opens the session's E2B sandbox as the agent runtime does (reconnect, store state, active), then follows the script. */
function sandboxExecutor(): RunExecutor {
  const scripted = new ScriptedExecutor()
  return {
    async execute(ctx: RunContext) {
      if (ctx.session.sandboxType === 'e2b' && ctx.session.lifecycleState !== 'archived') {
        const { sandbox, sandboxState } = await provider.open({
          sessionId: ctx.session.id,
          sandboxState: ctx.session.sandboxState ?? undefined,
        })
        await sandbox.close()
        await ctx.updateSession({ sandboxState, lifecycleState: 'active' })
      }
      return scripted.execute(ctx)
    },
  }
}

const sandboxOf = async (sessionId: string) =>
  (await s.db.prisma.session.findUniqueOrThrow({ where: { id: sessionId } })).sandboxState as E2BSandboxState | null

async function runStatus(runId: string) {
  return (await s.api(`/api/chat/runs/${runId}`, { key })).body as { status: string; error: { code: string } | null }
}

/** A session whose run has opened its E2B sandbox and finished. */
async function sessionWithSandbox(): Promise<{ sessionId: string; chatId: string; sandboxId: string }> {
  const r = await s.api('/api/chat/runs', { method: 'POST', key, json: { prompt: scriptPrompt([{ text: 'ok' }]) } })
  expect(r.status).toBe(202)
  await until('run completed', async () => (await runStatus(r.body.runId)).status === 'completed')
  const state = await sandboxOf(r.body.sessionId)
  expect(state?.sandboxId).toBeTruthy()
  return { sessionId: r.body.sessionId, chatId: r.body.chatId, sandboxId: state!.sandboxId }
}

beforeAll(async () => {
  fake = await startFakeE2B()
  provider = new E2BSandboxProvider({ ...fake.connectionOpts, timeoutMs: 120_000 })
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'archive-test-'))
  const testDb = await createTestDb()
  await testDb.prisma.account.create({ data: { id: 'acct_arch', name: 'arch' } })
  key = (await createApiKey(testDb.prisma, { accountId: 'acct_arch', name: 'arch', kind: 'personal' })).secret
  s = await startTestServer({
    testDb,
    runtime: runtime(),
    executor: sandboxExecutor(),
    env: { RUNYARD_WORKSPACE_ROOTS: tmp },
  })
  trpc = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${s.url}/trpc`, headers: { 'x-api-key': key } })] })
  cc = await cometClient(s)
})
afterAll(async () => {
  await s?.stop()
  await s?.testDb.drop()
  await fake?.close()
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})
afterEach(async () => {
  releaseFails = false
  expect(await settledOpenapiProblems()).toEqual([])
})

describe('archiving a session', () => {
  it('while a run is running: the run ends cancelled (key revoked), the E2B sandbox is killed, the session is archived; again is a no-op', async () => {
    const r = await s.api('/api/chat/runs', {
      method: 'POST',
      key,
      json: { prompt: scriptPrompt([{ text: 'working' }, { hang: true }]) },
    })
    expect(r.status).toBe(202)
    const { runId, sessionId } = r.body as { runId: string; sessionId: string }
    const state = await until(
      'sandbox opened',
      async () => (await runStatus(runId)).status === 'running' && ((await sandboxOf(sessionId)) ?? undefined),
    )
    expect(fake.sandboxes.get(state.sandboxId)?.state).toBe('running')
    expect((await trpc.sessions.get.query({ sessionId })).lifecycleState).toBe('active')

    const archived = await trpc.sessions.archive.mutate({ sessionId })
    expect(archived.lifecycleState).toBe('archived')
    expect(await runStatus(runId)).toMatchObject({ status: 'cancelled', error: { code: 'cancelled' } })
    expect(await s.db.prisma.apiKey.count({ where: { runId } })).toBe(0)
    expect(fake.sandboxes.get(state.sandboxId)?.state).toBe('killed')
    expect(await sandboxOf(sessionId)).toBeNull()
    expect((await s.api(`/api/sessions/${sessionId}`, { key })).body.session.lifecycleState).toBe('archived')

    const releasesBefore = released.length
    expect(await trpc.sessions.archive.mutate({ sessionId })).toEqual(archived)
    expect(released.length).toBe(releasesBefore)
  })

  it('when the sandbox cannot be released: still archived, the failure is logged with the session id, the state kept; archiving again releases it', async () => {
    const { sessionId, sandboxId } = await sessionWithSandbox()
    const logged: { obj: Record<string, unknown>; msg?: string }[] = []
    const log = { warn() {}, error: (obj: Record<string, unknown>, msg?: string) => void logged.push({ obj, msg }) }
    const sessions = new SessionService(s.db.prisma, runtime(), s.engine, log, anyPolicy)

    releaseFails = true
    const first: Session = await sessions.archive(accountCaller('acct_arch'), sessionId)
    expect(first.lifecycleState).toBe('archived')
    expect(logged).toHaveLength(1)
    expect(logged[0]!.obj).toMatchObject({
      sessionId,
      sandboxType: 'e2b',
      err: expect.objectContaining({ message: 'E2B is unreachable' }),
    })
    expect(await sandboxOf(sessionId)).toEqual({ kind: 'e2b', sandboxId })
    expect(fake.sandboxes.get(sandboxId)?.state).toBe('running')

    releaseFails = false
    expect(await sessions.archive(accountCaller('acct_arch'), sessionId)).toEqual(first)
    expect(fake.sandboxes.get(sandboxId)?.state).toBe('killed')
    expect(await sandboxOf(sessionId)).toBeNull()
    expect(logged).toHaveLength(1)
  })

  it('a sandbox archiving could not release is released by the background sweep once the grace period is over, and only then', async () => {
    const { sessionId, sandboxId } = await sessionWithSandbox()
    const logged: unknown[] = []
    const sessions = new SessionService(
      s.db.prisma,
      runtime(),
      s.engine,
      { warn() {}, error: (obj: unknown) => void logged.push(obj) },
      anyPolicy,
    )
    releaseFails = true
    await sessions.archive(accountCaller('acct_arch'), sessionId)
    expect(fake.sandboxes.get(sandboxId)?.state).toBe('running')

    // Still failing: counted as not released, logged, state kept.
    expect(await sessions.releaseLeftoverSandboxes({ graceMs: 0 })).toBe(0)
    expect(logged).toHaveLength(2)
    expect(await sandboxOf(sessionId)).toEqual({ kind: 'e2b', sandboxId })

    releaseFails = false
    // Archived just now: within the grace period the archive's own release has priority.
    expect(await sessions.releaseLeftoverSandboxes()).toBe(0)
    expect(fake.sandboxes.get(sandboxId)?.state).toBe('running')

    expect(await sessions.releaseLeftoverSandboxes({ graceMs: 0 })).toBe(1)
    expect(fake.sandboxes.get(sandboxId)?.state).toBe('killed')
    expect(await sandboxOf(sessionId)).toBeNull()
    expect(await sessions.releaseLeftoverSandboxes({ graceMs: 0 })).toBe(0)
  })

  it('the sweep leaves alone sessions that are not archived, that have an active run, or whose sandbox type this server cannot release', async () => {
    const active = await sessionWithSandbox()
    const busy = await sessionWithSandbox()
    const elsewhere = await sessionWithSandbox()
    releaseFails = true
    const sessions = new SessionService(s.db.prisma, runtime(), s.engine, { warn() {}, error() {} }, anyPolicy)
    await sessions.archive(accountCaller('acct_arch'), busy.sessionId)
    await sessions.archive(accountCaller('acct_arch'), elsewhere.sessionId)
    releaseFails = false
    // An archived session's run still queued (as when its cancel has not been processed yet).
    const busyChat = await s.db.prisma.chat.findFirstOrThrow({ where: { sessionId: busy.sessionId } })
    await s.db.prisma.run.create({
      data: {
        id: 'run_sweep_busy',
        accountId: 'acct_arch',
        chatId: busyChat.id,
        sessionId: busy.sessionId,
        kind: 'async',
        status: 'queued',
        model: 'm',
        input: {},
      },
    })
    const noE2B = new SessionService(
      s.db.prisma,
      { ...runtime(), availableSandboxes: ['local'] },
      s.engine,
      { warn() {}, error() {} },
      anyPolicy,
    )
    expect(await noE2B.releaseLeftoverSandboxes({ graceMs: 0 })).toBe(0)
    expect(fake.sandboxes.get(elsewhere.sandboxId)?.state).toBe('running')

    expect(await sessions.releaseLeftoverSandboxes({ graceMs: 0 })).toBe(1)
    expect(fake.sandboxes.get(elsewhere.sandboxId)?.state).toBe('killed')
    expect(fake.sandboxes.get(active.sandboxId)?.state).toBe('running')
    expect(fake.sandboxes.get(busy.sandboxId)?.state).toBe('running')
    await s.db.prisma.run.update({
      where: { id: 'run_sweep_busy' },
      data: { status: 'cancelled', finishedAt: new Date() },
    })
    expect(await sessions.releaseLeftoverSandboxes({ graceMs: 0 })).toBe(1)
    expect(fake.sandboxes.get(busy.sandboxId)?.state).toBe('killed')
  })
})

describe('starting a run on an archived session', () => {
  let sessionId: string
  let chatId: string
  beforeAll(async () => {
    ;({ sessionId, chatId } = await sessionWithSandbox())
    await trpc.sessions.archive.mutate({ sessionId })
  })

  const counts = async () => ({
    runs: await s.db.prisma.run.count(),
    chats: await s.db.prisma.chat.count(),
    messages: await s.db.prisma.message.count(),
  })

  it('Recoup: POST /api/chat/runs and POST /api/chat answer 409 in the Recoup shape, writing nothing', async () => {
    const before = await counts()
    for (const json of [
      { prompt: 'again', chatId },
      { prompt: 'again', sessionId },
      { prompt: 'again', chatId, ifBusy: 'enqueue' },
    ]) {
      const r = await s.api('/api/chat/runs', { method: 'POST', key, json })
      expect(r.status, JSON.stringify(json)).toBe(409)
      expect(r.body).toEqual({
        status: 'error',
        error: `Session ${sessionId} is archived: no new runs can start on it. Start a new session to keep working.`,
      })
    }
    const turn = await s.api('/api/chat', {
      method: 'POST',
      key,
      json: { id: chatId, messages: [{ id: 'u_arch', role: 'user', parts: [{ type: 'text', text: 'again' }] }] },
    })
    expect(turn.status).toBe(409)
    expect(turn.body).toMatchObject({ status: 'error', error: expect.stringContaining('archived') })
    expect(await counts()).toEqual(before)
    expect((await trpc.sessions.get.query({ sessionId })).lifecycleState).toBe('archived')
  })

  it('tRPC: chats.send and runs.start answer CONFLICT with appCode session_archived', async () => {
    for (const call of [
      trpc.chats.send.mutate({ chatId, text: 'again' }),
      trpc.runs.start.mutate({ prompt: 'again', sessionId }),
    ]) {
      const err = await call.then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(TRPCClientError)
      expect((err as TRPCClientError<AppRouter>).data).toMatchObject({ code: 'CONFLICT', appCode: 'session_archived' })
    }
  })

  it('CometCode: POST /api/v1/sessions/{id}/message answers 409 session_archived (valid against the seed)', async () => {
    const created = await cc.call('/api/v1/sessions', { method: 'POST', key, json: { workspace_path: tmp } })
    expect(created.status).toBe(201)
    const id = created.body.id as string
    await trpc.sessions.archive.mutate({ sessionId: id })
    expect((await cc.call(`/api/v1/sessions/${id}`, { key })).body.status).toBe('archived')
    const before = await counts()
    const r = await cc.send(id, 'hello', { key })
    expect(r.status).toBe(409)
    expect(r.body).toEqual({
      error: {
        code: 'session_archived',
        message: `Session ${id} is archived: no new runs can start on it. Start a new session to keep working.`,
      },
    })
    expect(await counts()).toEqual(before)
  })

  it('/v1/responses: continuing a response of an archived session is a 409 ConflictError (official SDK), code session_archived', async () => {
    const client = sdk(s, key)
    const first = await client.responses.create({ model: 'default', input: scriptPrompt([{ text: 'first' }]) })
    expect(first.status).toBe('completed')
    const run = await s.db.prisma.run.findFirstOrThrow({ where: { responseId: first.id } })
    await trpc.sessions.archive.mutate({ sessionId: run.sessionId })
    const before = await counts()
    const err = await client.responses
      .create({ model: 'default', input: 'again', previous_response_id: first.id })
      .then(
        () => undefined,
        (e: unknown) => e as InstanceType<typeof OpenAI.APIError>,
      )
    expect(err).toBeInstanceOf(OpenAI.ConflictError)
    expect(err!.status).toBe(409)
    expect(err!.error).toMatchObject({
      type: 'conflict_error',
      code: 'session_archived',
      param: 'previous_response_id',
      message: expect.stringContaining('archived'),
    })
    expect(await counts()).toEqual(before)
  })
})
