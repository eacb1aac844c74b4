// CometCode Local Serve API (`/api/v1`): every response below — JSON bodies, errors and each SSE
// frame — is validated against the seed's OpenAPI file with an independent Ajv validator (and
// against the server's own /openapi.json).
import { Ajv2020 } from 'ajv/dist/2020.js'
import { scriptPrompt } from '@runyard/testkit'
import { saveChatMessages } from '@runyard/engine'
import type { UIMessage } from '@runyard/contract'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { userTextMessage } from '@runyard/services'
import { toCometFrame } from '../src/projections/cometcode.ts'
import { cometClient, loadSeed, parseSseBody, seedFrameSchema, type CometClient } from './support/cometcode.ts'
import { startTestServer, type TestServer } from './support/server.ts'
import { accountCaller } from '@runyard/services'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

let s: TestServer
let cc: CometClient
let counter = 0
/** A fresh absolute workspace path per test, so tests do not see each other's sessions. */
const freshPath = () => `/tmp/cometcode-test/ws-${++counter}-${Date.now()}`

async function newSession(json: Record<string, unknown> = { workspace_path: freshPath() }) {
  const r = await cc.call('/api/v1/sessions', { method: 'POST', json })
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  return r.body as {
    id: string
    workspace_id: string
    workspace_path: string
    title: string
    token_usage: Record<string, number>
  }
}

async function primaryChatId(sessionId: string) {
  return (await s.db.prisma.chat.findFirstOrThrow({ where: { sessionId }, orderBy: { createdAt: 'asc' } })).id
}

async function counts() {
  const p = s.db.prisma
  return {
    sessions: await p.session.count(),
    chats: await p.chat.count(),
    workspaces: await p.workspace.count(),
    runs: await p.run.count(),
    messages: await p.message.count(),
  }
}

/** Resolves with the chat's active run once it is running (the first frame may not exist yet). */
async function activeRun(chatId: string, accountId = 'acct_local') {
  for (let i = 0; i < 200; i++) {
    const run = await s.engine.activeRunForChat(accountId, chatId)
    if (run?.status === 'running') return run
    await sleep(25)
  }
  throw new Error('no running run')
}

beforeAll(async () => {
  s = await startTestServer()
  cc = await cometClient(s)
})
afterAll(async () => s.stop())

describe('seed-derived SSE frame schema', () => {
  it("accepts every frame of the seed's own examples and rejects extra or missing fields", () => {
    const seed = loadSeed()
    const validate = new Ajv2020({ strict: false }).compile(seedFrameSchema(seed))
    const examples =
      seed.paths['/api/v1/sessions/{id}/message']!.post!.responses['200']!.content!['text/event-stream']!.examples!
    const frames = Object.values(examples).flatMap((e) => parseSseBody(e.value))
    expect(frames.length).toBe(10)
    for (const f of frames) expect(validate(f), JSON.stringify(f)).toBe(true)
    expect(validate({ type: 'done', seq: 1 })).toBe(false)
    expect(validate({ type: 'tool_result', id: 'a', tool: 'b', output: 'c', isError: false })).toBe(false)
    expect(validate({ type: 'error', message: 'x' })).toBe(false)
    expect(validate({ type: 'run_status', status: 'running' })).toBe(false)
  })
})

describe('health', () => {
  it('answers {status:"ok"} as the seed says', async () => {
    expect(await cc.call('/api/v1/health')).toEqual({ status: 200, body: { status: 'ok' } })
  })
})

describe('sessions', () => {
  it('creates by workspace_path (auto-registering it), then by workspace_id, with the exact Session shape', async () => {
    const path = freshPath()
    const before = await counts()
    const t0 = Date.now()
    const a = await newSession({ workspace_path: path })
    expect(Object.keys(a).sort()).toEqual([
      'created_at',
      'id',
      'model_id',
      'provider_id',
      'status',
      'title',
      'token_usage',
      'updated_at',
      'workspace_id',
      'workspace_path',
    ])
    expect(a).toMatchObject({
      workspace_path: path,
      title: '',
      model_id: 'scripted',
      provider_id: 'test',
      status: 'active',
      token_usage: { input_tokens: 0, output_tokens: 0, cache_read: 0, cache_write: 0 },
    })
    expect(a.id).toMatch(/^sess_/)
    expect(a.workspace_id).toMatch(/^ws_/)
    const { created_at, updated_at } = a as unknown as { created_at: number; updated_at: number }
    expect(Number.isInteger(created_at) && created_at >= t0 - 1000 && created_at <= Date.now() + 1000).toBe(true)
    expect(updated_at).toBeGreaterThanOrEqual(created_at)
    expect((await counts()).workspaces).toBe(before.workspaces + 1)

    const b = await newSession({ workspace_id: a.workspace_id, model_id: 'scripted-large', provider_id: 'test' })
    expect(b).toMatchObject({
      workspace_id: a.workspace_id,
      workspace_path: path,
      model_id: 'scripted-large',
      provider_id: 'test',
    })
    // the same path again reuses the registered workspace
    const c = await newSession({ workspace_path: `${path}/` })
    expect(c.workspace_id).toBe(a.workspace_id)
    expect((await counts()).workspaces).toBe(before.workspaces + 1)
  })

  it('lists the sessions of exactly one workspace, by id or path, newest first; never registers', async () => {
    const path = freshPath()
    const a = await newSession({ workspace_path: path })
    const b = await newSession({ workspace_path: path })
    await newSession() // another workspace
    const byId = await cc.call(`/api/v1/sessions?workspace_id=${a.workspace_id}`)
    expect(byId.status).toBe(200)
    expect(byId.body.sessions.map((x: { id: string }) => x.id)).toEqual([b.id, a.id])
    const byPath = await cc.call(`/api/v1/sessions?workspace_path=${encodeURIComponent(path)}`)
    expect(byPath.body).toEqual(byId.body)

    const before = await counts()
    const unknown = await cc.call(`/api/v1/sessions?workspace_path=${encodeURIComponent(freshPath())}`)
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'workspace_not_found' } } })
    expect(await cc.call('/api/v1/sessions?workspace_id=ws_nope')).toMatchObject({
      status: 404,
      body: { error: { code: 'workspace_not_found' } },
    })
    for (const q of [
      '',
      `?workspace_id=${a.workspace_id}&workspace_path=${encodeURIComponent(path)}`,
      '?workspace_path=relative/dir',
      `?workspace_id=${a.workspace_id}&limit=5`,
      `?workspace_id=${a.workspace_id}&workspace_id=x`,
    ]) {
      const r = await cc.call(`/api/v1/sessions${q}`)
      expect(r.status, q).toBe(400)
      expect(r.body.error.code).toBe('bad_request')
    }
    expect(await counts()).toEqual(before)
  })

  it('gets one session; 404 session_not_found for unknown ids', async () => {
    const a = await newSession()
    expect(await cc.call(`/api/v1/sessions/${a.id}`)).toMatchObject({ status: 200, body: a })
    for (const id of ['sess_nope', 'not-an-id', '%20']) {
      const r = await cc.call(`/api/v1/sessions/${id}`)
      expect(r).toMatchObject({
        status: 404,
        body: { error: { code: 'session_not_found', message: expect.any(String) } },
      })
    }
  })

  it('rejects bad create input with the CometCode 400/404 envelope and writes nothing', async () => {
    const ws = (await newSession()).workspace_id
    const before = await counts()
    const bad: [unknown, number, string][] = [
      [{}, 400, 'bad_request'],
      [{ workspace_id: ws, workspace_path: '/tmp/x' }, 400, 'bad_request'],
      [{ workspace_path: 'relative/path' }, 400, 'bad_request'],
      [{ workspace_path: '' }, 400, 'bad_request'],
      [{ workspace_path: 42 }, 400, 'bad_request'],
      [{ workspace_id: ws, extra: true }, 400, 'bad_request'],
      [{ workspace_id: ws, model_id: 7 }, 400, 'bad_request'],
      [{ workspace_id: ws, model_id: 'no-such-model' }, 400, 'model_not_found'],
      [{ workspace_id: ws, model_id: 'scripted', provider_id: 'nobody' }, 400, 'model_not_found'],
      [{ workspace_path: '/tmp/new-and-bad', model_id: 'no-such-model' }, 400, 'model_not_found'],
      [[], 400, 'bad_request'],
      [{ workspace_id: 'ws_doesnotexist' }, 404, 'workspace_not_found'],
      [{ workspace_id: 'whatever' }, 404, 'workspace_not_found'],
    ]
    for (const [json, status, code] of bad) {
      const r = await cc.call('/api/v1/sessions', { method: 'POST', json })
      expect([r.status, r.body.error?.code], JSON.stringify(json)).toEqual([status, code])
      expect(typeof r.body.error.message).toBe('string')
    }
    expect(
      await cc.call('/api/v1/sessions', {
        method: 'POST',
        body: '{nope',
        headers: { 'content-type': 'application/json' },
      }),
    ).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request' } },
    })
    expect((await cc.call('/api/v1/sessions', { method: 'POST' })).status).toBe(400)
    expect(await counts()).toEqual(before)
  })
})

describe('POST /api/v1/sessions/{id}/message', () => {
  it('streams a scripted tool-using turn as CometCode frames, in order, then the transcript and session reflect it', async () => {
    const session = await newSession()
    const prompt = scriptPrompt([
      { reasoning: 'I should read the entrypoint.' },
      { tool: 'read_file', input: { path: 'main.go' }, output: 'package main' },
      { text: 'Found the entrypoint.', chunks: 3 },
      { step: { input: 120, output: 34, cacheRead: 5, cacheWrite: 1 } },
    ])
    const stream = await cc.send(session.id, prompt)
    expect(stream.status).toBe(200)
    expect(stream.contentType).toMatch(/^text\/event-stream/)
    const frames = await stream.all()
    expect(frames).toEqual([
      { type: 'reasoning_start' },
      { type: 'reasoning_delta', text: 'I should read the entrypoint.' },
      { type: 'tool_call', id: 'call_0_read_file', tool: 'read_file', input: { path: 'main.go' } },
      { type: 'tool_result', id: 'call_0_read_file', tool: 'read_file', output: 'package main' },
      { type: 'text_delta', delta: 'Found t' },
      { type: 'text_delta', delta: 'he entr' },
      { type: 'text_delta', delta: 'ypoint.' },
      { type: 'step_finish', usage: { input_tokens: 120, output_tokens: 34, cache_read: 5, cache_write: 1 } },
      { type: 'done' },
    ])
    // The scripted executor writes no assistant message (the agent runtime does: see
    // cometcode-agent.test.ts); the user's turn is in the transcript.
    const transcript = await cc.call(`/api/v1/sessions/${session.id}/messages`)
    expect(transcript).toMatchObject({
      status: 200,
      body: { session_id: session.id, items: [{ type: 'user', text: prompt }] },
    })
    const got = await cc.call(`/api/v1/sessions/${session.id}`)
    expect(got.body).toMatchObject({
      title: prompt.slice(0, 80),
      token_usage: { input_tokens: 120, output_tokens: 34, cache_read: 5, cache_write: 1 },
    })
    expect(got.body.updated_at).toBeGreaterThanOrEqual(got.body.created_at)
  })

  it("accumulates token_usage across turns and keeps the first message's title", async () => {
    const session = await newSession()
    const first =
      'Please   inspect\nthe server package and summarize what it does, in a few short bullet points, for the README.'
    // a plain message gets the scripted executor's default script (text "ok", 10 in / 2 out)
    expect(await (await cc.send(session.id, first)).all()).toEqual([
      { type: 'text_delta', delta: 'ok' },
      { type: 'step_finish', usage: { input_tokens: 10, output_tokens: 2, cache_read: 0, cache_write: 0 } },
      { type: 'done' },
    ])
    const title = first.replace(/\s+/g, ' ').slice(0, 80)
    expect((await cc.call(`/api/v1/sessions/${session.id}`)).body).toMatchObject({
      title,
      token_usage: { input_tokens: 10, output_tokens: 2, cache_read: 0, cache_write: 0 },
    })
    await (
      await cc.send(
        session.id,
        scriptPrompt([
          { text: 'a' },
          { step: { input: 100, output: 20, cacheRead: 50 } },
          { text: 'b' },
          { step: { input: 7, output: 1 } },
        ]),
      )
    ).all()
    expect((await cc.call(`/api/v1/sessions/${session.id}`)).body).toMatchObject({
      title,
      token_usage: { input_tokens: 117, output_tokens: 23, cache_read: 50, cache_write: 0 },
    })
    const listed = await cc.call(`/api/v1/sessions?workspace_id=${session.workspace_id}`)
    expect(listed.body.sessions[0]).toMatchObject({ id: session.id, title, token_usage: { input_tokens: 117 } })
    expect(
      (await cc.call(`/api/v1/sessions/${session.id}/messages`)).body.items.map((i: { type: string }) => i.type),
    ).toEqual(['user', 'user'])
  })

  it('ends a failed run with error{message,code} then done', async () => {
    const session = await newSession()
    const frames = await (
      await cc.send(
        session.id,
        scriptPrompt([{ text: 'Starting request...' }, { fail: 'llm', message: 'provider returned an error' }]),
      )
    ).all()
    expect(frames).toEqual([
      { type: 'text_delta', delta: 'Starting request...' },
      { type: 'error', message: 'provider returned an error', code: 'llm' },
      { type: 'done' },
    ])
  })

  it('409 session_running while an interactive run is in flight; abort → 202, the stream ends cancelled, the run is cancelled; abort when idle → 409', async () => {
    const session = await newSession()
    const chatId = await primaryChatId(session.id)
    const stream = await cc.send(session.id, scriptPrompt([{ text: 'working' }, { hang: true }]))
    const it = stream.frames()
    expect((await it.next()).value).toEqual({ type: 'text_delta', delta: 'working' })
    const run = await activeRun(chatId)
    expect(run.kind).toBe('interactive')

    const before = await counts()
    const busy = await cc.send(session.id, 'second message')
    expect(busy).toMatchObject({
      status: 409,
      body: { error: { code: 'session_running', message: `session ${session.id} already running` } },
    })
    expect(await counts()).toEqual(before)

    expect(await cc.call(`/api/v1/sessions/${session.id}/abort`, { method: 'POST' })).toEqual({
      status: 202,
      body: { status: 'aborting' },
    })
    const rest: unknown[] = []
    for await (const f of it) rest.push(f)
    expect(rest).toEqual([{ type: 'error', message: expect.any(String), code: 'cancelled' }, { type: 'done' }])
    expect((await s.engine.getRun('acct_local', run.id)).status).toBe('cancelled')

    expect(await cc.call(`/api/v1/sessions/${session.id}/abort`, { method: 'POST' })).toMatchObject({
      status: 409,
      body: { error: { code: 'session_not_running', message: 'session is not currently running' } },
    })
    // the session takes turns again
    expect((await (await cc.send(session.id, 'again')).all()).at(-1)).toEqual({ type: 'done' })
  })

  it('409 session_running while an async run (another surface) holds the session; abort cancels it', async () => {
    const session = await newSession()
    const chatId = await primaryChatId(session.id)
    const asyncRun = await s.services.runs.startOnChat(accountCaller('acct_local'), {
      kind: 'async',
      chatId,
      messages: [userTextMessage(scriptPrompt([{ hang: true }]))],
    })
    // once it runs, its own user message is stored; from then on nothing may change
    await activeRun(chatId)
    while ((await s.db.prisma.message.count({ where: { chatId } })) === 0) await sleep(20)
    const before = await counts()
    expect(await cc.send(session.id, 'hello?')).toMatchObject({
      status: 409,
      body: { error: { code: 'session_running', message: `session ${session.id} already running` } },
    })
    expect(await counts()).toEqual(before)
    expect((await cc.call(`/api/v1/sessions/${session.id}/abort`, { method: 'POST' })).status).toBe(202)
    expect(
      (await s.engine.waitForStatus('acct_local', asyncRun.id, ['cancelled', 'completed', 'failed'], 10_000)).status,
    ).toBe('cancelled')
  })

  it('aborts a run right after admission (queued or just started)', async () => {
    const session = await newSession()
    const chatId = await primaryChatId(session.id)
    const run = await s.services.runs.startOnChat(accountCaller('acct_local'), {
      kind: 'async',
      chatId,
      messages: [userTextMessage(scriptPrompt([{ hang: true }]))],
    })
    expect(await cc.call(`/api/v1/sessions/${session.id}/abort`, { method: 'POST' })).toEqual({
      status: 202,
      body: { status: 'aborting' },
    })
    expect(
      (await s.engine.waitForStatus('acct_local', run.id, ['cancelled', 'completed', 'failed'], 10_000)).status,
    ).toBe('cancelled')
  })

  it('keeps running when the client disconnects', async () => {
    const session = await newSession()
    const chatId = await primaryChatId(session.id)
    const ac = new AbortController()
    const stream = await cc.send(
      session.id,
      scriptPrompt([{ text: 'part one' }, { sleep: 400 }, { text: 'part two' }, { step: { input: 3, output: 4 } }]),
      { signal: ac.signal },
    )
    const it = stream.frames()
    expect((await it.next()).value).toEqual({ type: 'text_delta', delta: 'part one' })
    const run = await activeRun(chatId)
    ac.abort()
    await it.return(undefined).catch(() => {})
    const finished = await s.engine.waitForStatus('acct_local', run.id, ['completed', 'failed', 'cancelled'], 10_000)
    expect(finished.status).toBe('completed')
    expect((await cc.call(`/api/v1/sessions/${session.id}`)).body.token_usage).toMatchObject({
      input_tokens: 3,
      output_tokens: 4,
    })
  })

  it('rejects bad input with the CometCode envelope, never 500, and writes nothing', async () => {
    const session = await newSession()
    const path = `/api/v1/sessions/${session.id}/message`
    const before = await counts()
    for (const json of [
      {},
      { text: '' },
      { text: '   \n\t' },
      { text: 42 },
      { text: null },
      { text: 'hi', extra: 1 },
      { text: ['a'] },
      'just a string',
    ]) {
      const r = await cc.call(path, { method: 'POST', json })
      expect(r.status, JSON.stringify(json)).toBe(400)
      expect(r.body.error.code).toBe('bad_request')
    }
    expect(
      (await cc.call(path, { method: 'POST', body: '{"text":', headers: { 'content-type': 'application/json' } }))
        .status,
    ).toBe(400)
    expect(
      (
        await cc.call(path, {
          method: 'POST',
          body: 'text=hi',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status,
    ).toBe(400)
    for (const id of ['sess_nope', 'garbage']) {
      expect(await cc.call(`/api/v1/sessions/${id}/message`, { method: 'POST', json: { text: 'hi' } })).toMatchObject({
        status: 404,
        body: { error: { code: 'session_not_found' } },
      })
      expect(await cc.call(`/api/v1/sessions/${id}/messages`)).toMatchObject({
        status: 404,
        body: { error: { code: 'session_not_found' } },
      })
      expect(await cc.call(`/api/v1/sessions/${id}/abort`, { method: 'POST' })).toMatchObject({
        status: 404,
        body: { error: { code: 'session_not_found' } },
      })
    }
    expect(await counts()).toEqual(before)
    expect((await s.db.prisma.session.findUniqueOrThrow({ where: { id: session.id } })).title).toBe('')
  })
})

describe('transcript mapping', () => {
  it('maps stored UIMessages (text, reasoning, tool results and errors) to transcript items', async () => {
    const session = await newSession()
    const chatId = await primaryChatId(session.id)
    const messages: UIMessage[] = [
      { id: 'msg_u1', role: 'user', parts: [{ type: 'text', text: 'Inspect the entrypoint.' }] },
      {
        id: 'msg_a1',
        role: 'assistant',
        parts: [
          { type: 'step-start' },
          { type: 'reasoning', text: 'I should inspect the entrypoint.', state: 'done' },
          {
            type: 'tool-read_file',
            toolCallId: 'c1',
            state: 'output-available',
            input: { path: 'main.go' },
            output: 'package main',
          },
          {
            type: 'tool-bash',
            toolCallId: 'c2',
            state: 'output-error',
            input: { command: 'go build' },
            errorText: 'exit 1',
          },
          {
            type: 'dynamic-tool',
            toolName: 'mcp_search',
            toolCallId: 'c3',
            state: 'output-available',
            input: { q: 'x' },
            output: { hits: 2 },
          },
          { type: 'tool-glob', toolCallId: 'c4', state: 'input-available', input: { pattern: '*.go' } },
          { type: 'step-start' },
          { type: 'text', text: 'I found the serve command entrypoint.', state: 'done' },
          { type: 'data-note', data: { ignored: true } },
        ],
      },
      { id: 'msg_s1', role: 'system', parts: [{ type: 'text', text: 'system text is not part of the transcript' }] },
    ]
    await saveChatMessages(s.db.prisma, chatId, messages)
    const r = await cc.call(`/api/v1/sessions/${session.id}/messages`)
    expect(r.body).toEqual({
      session_id: session.id,
      items: [
        { type: 'user', text: 'Inspect the entrypoint.' },
        { type: 'reasoning', text: 'I should inspect the entrypoint.' },
        {
          type: 'tool',
          tool_name: 'read_file',
          tool_input: { path: 'main.go' },
          tool_output: 'package main',
          tool_error: false,
        },
        {
          type: 'tool',
          tool_name: 'bash',
          tool_input: { command: 'go build' },
          tool_output: 'exit 1',
          tool_error: true,
        },
        { type: 'tool', tool_name: 'mcp_search', tool_input: { q: 'x' }, tool_output: '{"hits":2}', tool_error: false },
        { type: 'tool', tool_name: 'glob', tool_input: { pattern: '*.go' }, tool_output: '', tool_error: false },
        { type: 'assistant', text: 'I found the serve command entrypoint.' },
      ],
    })
  })
})

describe('projection of engine events', () => {
  it('skips run_status and step_retry, keeps only the usage of nested sub-agent events, drops isError', () => {
    expect(toCometFrame({ type: 'run_status', status: 'running' })).toBeUndefined()
    expect(toCometFrame({ type: 'step_retry', attempt: 2 })).toBeUndefined()
    expect(toCometFrame({ type: 'text_delta', delta: 'sub', parentToolCallId: 'task_1' })).toBeUndefined()
    expect(
      toCometFrame({ type: 'tool_call', id: 'x', tool: 'read', input: {}, parentToolCallId: 'task_1' }),
    ).toBeUndefined()
    const usage = { input_tokens: 1, output_tokens: 2, cache_read: 3, cache_write: 4 }
    expect(toCometFrame({ type: 'step_finish', usage, parentToolCallId: 'task_1' })).toEqual({
      type: 'step_finish',
      usage,
    })
    expect(toCometFrame({ type: 'tool_result', id: 'x', tool: 'bash', output: 'boom', isError: true })).toEqual({
      type: 'tool_result',
      id: 'x',
      tool: 'bash',
      output: 'boom',
    })
    expect(toCometFrame({ type: 'tool_call', id: 'x', tool: 'todo', input: undefined })).toEqual({
      type: 'tool_call',
      id: 'x',
      tool: 'todo',
      input: {},
    })
    expect(toCometFrame({ type: 'error', code: 'cancelled', message: 'The run was cancelled.' })).toEqual({
      type: 'error',
      message: 'The run was cancelled.',
      code: 'cancelled',
    })
    for (const e of [{ type: 'reasoning_start' }, { type: 'reasoning_delta', text: 't' }, { type: 'done' }] as const)
      cc.checkFrame(toCometFrame(e))
  })
})

describe('OpenAPI document', () => {
  it("documents every CometCode route with the seed's paths, statuses and a described SSE frame schema", async () => {
    const ours = (await (await fetch(`${s.url}/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            description?: string
            responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>
          }
        >
      >
    }
    const seed = loadSeed()
    for (const [path, ops] of Object.entries(seed.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const mine = ours.paths[path]?.[method]
        expect(mine, `${method} ${path}`).toBeDefined()
        for (const status of Object.keys(op.responses))
          expect(mine!.responses[status], `${method} ${path} ${status}`).toBeDefined()
      }
    }
    const message = ours.paths['/api/v1/sessions/{id}/message']!.post!
    expect(message.responses['200']!.content!['text/event-stream']!.schema).toMatchObject({
      $ref: '#/components/schemas/CometCodeStreamEvent',
    })
    expect(message.responses['200']!.description).toContain('step_finish')
    expect(message.responses['409']!.description).toMatch(/in-flight/)
    expect(ours.paths['/api/v1/sessions/{id}/abort']!.post!.responses['409']!.description).toMatch(
      /not currently running/,
    )
  })
})

describe('tRPC chats (console)', () => {
  const trpc = async (proc: string, input: unknown, mutation = false) => {
    const res = mutation
      ? await fetch(`${s.url}/trpc/${proc}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input),
        })
      : await fetch(`${s.url}/trpc/${proc}?input=${encodeURIComponent(JSON.stringify(input))}`)
    return { status: res.status, body: await res.json() }
  }

  it('sends a turn, reads the chat, its transcript and active run; a busy chat is CONFLICT', async () => {
    const session = await newSession()
    const chatId = await primaryChatId(session.id)
    expect((await trpc('chats.get', { chatId })).body.result.data).toMatchObject({ id: chatId, sessionId: session.id })
    expect((await trpc('chats.activeRun', { chatId })).body.result.data).toBeNull()

    const sent = await trpc('chats.send', { chatId, text: scriptPrompt([{ text: 'hi' }, { hang: true }]) }, true)
    const runId = sent.body.result.data.runId as string
    expect(runId).toMatch(/^run_/)
    expect((await trpc('chats.activeRun', { chatId })).body.result.data).toMatchObject({
      id: runId,
      kind: 'interactive',
    })

    const busy = await trpc('chats.send', { chatId, text: 'another' }, true)
    expect(busy.status).toBe(409)
    expect(busy.body.error.data).toMatchObject({
      code: 'CONFLICT',
      appCode: 'chat_busy',
      details: { activeRunId: runId },
    })
    // the CometCode surface sees the same lock
    expect((await cc.send(session.id, 'hello')).status).toBe(409)

    await s.engine.cancelRun('acct_local', runId, { waitMs: 5_000 })
    const messages = (await trpc('chats.messages', { chatId })).body.result.data as UIMessage[]
    expect(messages.map((m) => m.role)).toEqual(['user'])
    expect((await cc.call(`/api/v1/sessions/${session.id}`)).body.title).not.toBe('')
  })

  it('validates input and hides foreign or unknown chats', async () => {
    const session = await newSession()
    const chatId = await primaryChatId(session.id)
    expect((await trpc('chats.send', { chatId, text: '  ' }, true)).status).toBe(400)
    expect((await trpc('chats.send', { chatId }, true)).status).toBe(400)
    expect((await trpc('chats.messages', { chatId: 'chat_nope' })).status).toBe(404)
    expect((await trpc('chats.send', { chatId: 'chat_nope', text: 'hi' }, true)).body.error.data).toMatchObject({
      code: 'NOT_FOUND',
      appCode: 'chat_not_found',
    })
  })
})
