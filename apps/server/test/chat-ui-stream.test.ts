// POST /api/chat speaks the AI SDK UI-message stream protocol: read with the AI SDK's own parser,
// interrupted and resumed via GET /api/chat/{chatId}/stream, it rebuilds the same message. Every
// response (status, content type, JSON body, each SSE frame) is validated against /openapi.json.
import type { StoredRunEvent } from '@runyard/contract'
import {
  DefaultChatTransport,
  parseJsonEventStream,
  readUIMessageStream,
  UI_MESSAGE_STREAM_HEADERS as SDK_UI_MESSAGE_STREAM_HEADERS,
  uiMessageChunkSchema,
  type UIMessage,
  type UIMessageChunk,
} from 'ai'
import { scriptPrompt, type ScriptStep } from '@runyard/testkit'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { settledOpenapiProblems, validatingFetch } from './support/responses.ts'
import { startTestServer, type TestServer } from './support/server.ts'
import { UI_MESSAGE_STREAM_HEADERS, UiMessageProjection } from '../src/projections/ui-message.ts'

let s: TestServer
/** fetch whose every response is validated against /openapi.json (problems asserted after each test). */
let checkedFetch: typeof fetch
beforeAll(async () => {
  s = await startTestServer()
  checkedFetch = validatingFetch(s)
})
afterAll(async () => s.stop())
afterEach(async () => {
  expect(await settledOpenapiProblems()).toEqual([])
})

const SCRIPT: ScriptStep[] = [
  { reasoning: 'Let me look.' },
  { tool: 'read', input: { path: 'README.md' }, output: '# Project' },
  { step: { input: 4, output: 2 } },
  { text: 'The project is called Project.', chunks: 12, delayMs: 20 },
  { step: { input: 6, output: 7 } },
]

const newSession = async () => (await s.api('/api/sessions', { method: 'POST', json: {} })).body.chat.id as string
const userMessage = (text: string): UIMessage => ({
  id: `u_${Math.random().toString(36).slice(2)}`,
  role: 'user',
  parts: [{ type: 'text', text }],
})

/** Chunks of a UI-message stream response body, with the SSE id of each. */
async function* chunks(res: Response): AsyncGenerator<UIMessageChunk> {
  const parsed = parseJsonEventStream({ stream: res.body!, schema: uiMessageChunkSchema })
  for await (const c of parsed as unknown as AsyncIterable<{
    success: boolean
    value?: UIMessageChunk
    error?: unknown
  }>) {
    if (!c.success) throw c.error
    yield c.value!
  }
}

async function lastSnapshot(stream: ReadableStream<UIMessageChunk>): Promise<UIMessage | undefined> {
  let last: UIMessage | undefined
  for await (const m of readUIMessageStream({ stream, terminateOnError: true })) last = m
  return last
}

const toStream = (it: AsyncIterable<UIMessageChunk>): ReadableStream<UIMessageChunk> => {
  const iterator = it[Symbol.asyncIterator]()
  return new ReadableStream({
    async pull(controller) {
      const { value, done } = await iterator.next()
      if (done) controller.close()
      else controller.enqueue(value)
    },
  })
}

const stripIds = (m: UIMessage | undefined) => JSON.parse(JSON.stringify(m?.parts ?? []))

describe('POST /api/chat (useChat protocol)', () => {
  it("sends the AI SDK's own UI-message stream headers (written out so the server need not load the SDK)", () => {
    expect(UI_MESSAGE_STREAM_HEADERS).toEqual(SDK_UI_MESSAGE_STREAM_HEADERS)
  })

  it('streams a turn the AI SDK client can rebuild, with ids on every frame and the v1 header', async () => {
    const chatId = await newSession()
    const res = await checkedFetch(`${s.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: chatId, messages: [userMessage(scriptPrompt(SCRIPT))], trigger: 'submit-message' }),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1')
    const raw = await res.text()
    const frames = raw.split('\n\n').filter(Boolean)
    expect(frames.at(-1)).toBe('data: [DONE]')
    for (const f of frames.slice(0, -1)) expect(f).toMatch(/^id: \d+\ndata: /)
    const rebuilt = await lastSnapshot(toStream(chunks(new Response(raw))))
    expect(rebuilt?.role).toBe('assistant')
    expect(rebuilt?.parts.map((p) => p.type)).toEqual(['step-start', 'reasoning', 'tool-read', 'step-start', 'text'])
    expect(rebuilt?.parts.find((p) => p.type === 'text')).toMatchObject({ text: 'The project is called Project.' })
    expect(rebuilt?.parts.find((p) => p.type === 'tool-read')).toMatchObject({
      state: 'output-available',
      input: { path: 'README.md' },
      output: '# Project',
    })
  })

  it('disconnect mid-stream + resume with Last-Event-ID rebuilds exactly the uninterrupted message', async () => {
    // uninterrupted reference
    const refChat = await newSession()
    const ref = await checkedFetch(`${s.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: refChat, messages: [userMessage(scriptPrompt(SCRIPT))] }),
    })
    const reference = await lastSnapshot(toStream(chunks(ref)))

    const chatId = await newSession()
    const controller = new AbortController()
    const res = await checkedFetch(`${s.url}/api/chat`, {
      method: 'POST',
      signal: controller.signal,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: chatId, messages: [userMessage(scriptPrompt(SCRIPT))] }),
    })
    // read frames by hand until a few text deltas arrived, remembering the last SSE id
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
    let buffered = ''
    const received: string[] = []
    let lastId = ''
    while (received.filter((f) => f.includes('"text-delta"')).length < 4) {
      const { value } = await reader.read()
      buffered += value
      const parts = buffered.split('\n\n')
      buffered = parts.pop()!
      for (const p of parts) {
        received.push(p)
        lastId = /^id: (\d+)/.exec(p)?.[1] ?? lastId
      }
    }
    controller.abort()
    const before = received.join('\n\n') + '\n\n'
    const partial = await lastSnapshot(toStream(chunks(new Response(before))))
    expect(partial?.parts.length).toBeGreaterThan(0)

    const resumed = await checkedFetch(`${s.url}/api/chat/${chatId}/stream`, { headers: { 'last-event-id': lastId } })
    expect(resumed.status).toBe(200)
    const after = await resumed.text()
    expect(after.startsWith(`id: ${Number(lastId) + 1}\n`)).toBe(true)
    // the chunks before the cut followed by the resumed ones form one continuous stream
    const final = await lastSnapshot(toStream(chunks(new Response(before + after))))
    expect(stripIds(final)).toEqual(stripIds(reference))

    // once the run is over there is nothing to resume: useChat's transport gets null (204)
    const transport = new DefaultChatTransport({ api: `${s.url}/api/chat`, fetch: checkedFetch })
    for (let i = 0; i < 100; i++) {
      if ((await s.api(`/api/chat/${chatId}/stream`)).status === 204) break
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(await transport.reconnectToStream({ chatId })).toBeNull()
  })

  it('resume without Last-Event-ID replays the active run from its start', async () => {
    const chatId = await newSession()
    await s.api('/api/chat/runs', {
      method: 'POST',
      json: { chatId, prompt: scriptPrompt([{ text: 'one two three', chunks: 3, delayMs: 30 }]) },
    })
    const transport = new DefaultChatTransport({ api: `${s.url}/api/chat`, fetch: checkedFetch })
    const stream = await transport.reconnectToStream({ chatId })
    expect(stream).not.toBeNull()
    const message = await lastSnapshot(stream!)
    expect(message?.parts.find((p) => p.type === 'text')).toMatchObject({ text: 'one two three' })
  })

  it('answers 409 naming the active run when the chat is busy, and 400 for bad bodies', async () => {
    const chatId = await newSession()
    const first = await s.api('/api/chat/runs', {
      method: 'POST',
      json: { chatId, prompt: scriptPrompt([{ hang: true }]) },
    })
    const busy = await s.api('/api/chat', { method: 'POST', json: { id: chatId, messages: [userMessage('hi')] } })
    expect(busy.status).toBe(409)
    expect(busy.body.error).toContain(first.body.runId)
    await s.api(`/api/chat/runs/${first.body.runId}/cancel`, { method: 'POST' })
    for (const json of [
      { id: chatId },
      { id: chatId, messages: [] },
      { id: chatId, messages: [{ role: 'user' }] },
      { id: chatId, messagse: [userMessage('x')] },
    ]) {
      expect((await s.api('/api/chat', { method: 'POST', json })).status, JSON.stringify(json)).toBe(400)
    }
    expect(
      (await s.api('/api/chat', { method: 'POST', json: { id: 'chat_unknown', messages: [userMessage('x')] } })).status,
    ).toBe(404)
  })

  it('bad input gets the Recoup error envelope (4xx, never 500) and writes nothing', async () => {
    const chatId = await newSession()
    const p = s.db.prisma
    const counts = async () => ({
      sessions: await p.session.count(),
      chats: await p.chat.count(),
      runs: await p.run.count(),
      messages: await p.message.count(),
      keys: await p.apiKey.count(),
    })
    const before = await counts()
    const envelope = { status: 'error', error: expect.any(String) }
    const { id: _id, ...noId } = userMessage('x')
    const cases: [unknown, number][] = [
      [{ id: chatId, messages: 'x' }, 400],
      [{ id: chatId, messages: [{ ...userMessage('x'), parts: [{ type: 'bogus', text: 'x' }] }] }, 400],
      [{ id: chatId, messages: [{ ...userMessage('x'), parts: [{ type: 'text', text: 5 }] }] }, 400],
      [{ id: chatId, messages: [{ ...userMessage('x'), parts: 'text' }] }, 400],
      [{ id: chatId, messages: [{ ...noId, role: 'user' }] }, 400],
      [{ sessionId: 'sess_unknown', messages: [userMessage('x')] }, 404],
      [{ chatId: 'chat_unknown', messages: [userMessage('x')] }, 404],
    ]
    for (const [json, status] of cases) {
      const r = await s.api('/api/chat', { method: 'POST', json })
      expect({ status: r.status, body: r.body }, JSON.stringify(json)).toEqual({ status, body: envelope })
    }
    const notJson = await s.api('/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"messages":',
    })
    expect({ status: notJson.status, body: notJson.body }).toEqual({ status: 400, body: envelope })
    // a Last-Event-ID that is not one of our event seqs is refused, not silently replayed from the start
    const badResume = await s.api(`/api/chat/${chatId}/stream`, { headers: { 'last-event-id': 'abc' } })
    expect({ status: badResume.status, body: badResume.body }).toEqual({
      status: 400,
      body: { status: 'error', error: expect.stringContaining('Last-Event-ID') },
    })
    expect(await counts()).toEqual(before)
  })
})

describe('UI-message stream frames in /openapi.json', () => {
  const routes = [
    ['POST', '/api/chat'],
    ['GET', '/api/chat/chat_x/stream'],
  ] as const
  /** The chunk types a route's frame schema lists (also proves the frames are not declared as a bare string). */
  const documentedTypes = (method: string, path: string) => {
    const template = path === '/api/chat' ? path : '/api/chat/{chatId}/stream'
    const schema = s.openapi.document.paths[template]![method.toLowerCase()]!.responses!['200']!.content![
      'text/event-stream'
    ]!.schema as { oneOf?: { properties: { type: { enum: [string] } } }[] }
    return (schema.oneOf ?? []).map((v) => v.properties.type.enum[0]).sort()
  }

  it('declares the chunk union as the frame of both routes, and rejects frames outside it', () => {
    for (const [method, path] of routes) {
      expect(documentedTypes(method, path)).toContain('text-delta')
      const check = (frame: unknown) => () => s.openapi.checkSseFrame(method, path, frame)
      expect(check({ type: 'text-delta', id: 'text_3', delta: 'Hi' })).not.toThrow()
      for (const bad of [
        { type: 'text-delta', id: 'text_3' },
        { type: 'text-delta', id: 'text_3', delta: 5 },
        { type: 'text-delta', id: 'text_3', delta: 'Hi', extra: 1 },
        { type: 'data-weather', data: {} },
        { type: 'finish', finishReason: 'bogus' },
        '[DONE]',
      ]) {
        expect(check(bad), JSON.stringify(bad)).toThrow(/does not match the document/)
      }
    }
  })

  it('documents exactly the chunks the projection emits, each of which matches the document', () => {
    const events: StoredRunEvent['event'][] = [
      { type: 'run_status', status: 'running' },
      { type: 'reasoning_start' },
      { type: 'reasoning_delta', text: 'hm' },
      { type: 'tool_call', id: 'call_1', tool: 'read', input: { path: 'a' } },
      { type: 'tool_call', id: 'call_2', tool: 'noop', input: undefined },
      { type: 'tool_result', id: 'call_1', tool: 'read', output: 'x', isError: false },
      { type: 'tool_result', id: 'call_2', tool: 'noop', output: 'boom', isError: true },
      { type: 'text_delta', delta: 'sub-agent text', parentToolCallId: 'call_1' },
      { type: 'step_finish', usage: { input_tokens: 1, output_tokens: 1, cache_read: 0, cache_write: 0 } },
      { type: 'reasoning_delta', text: 'again' },
      { type: 'text_delta', delta: 'partial' },
      { type: 'step_retry', attempt: 2 },
      { type: 'text_delta', delta: 'done' },
      { type: 'error', code: 'cancelled', message: 'Cancelled by the user' },
      { type: 'error', code: 'internal', message: 'boom' },
      { type: 'run_status', status: 'completed' },
      { type: 'done' },
    ]
    const projection = new UiMessageProjection('run_x')
    const chunks = events.flatMap((event, i) =>
      projection.next({ runId: 'run_x', seq: i + 1, createdAt: new Date(0).toISOString(), event }),
    )
    for (const [method, path] of routes) {
      for (const c of chunks) s.openapi.checkSseFrame(method, path, c)
      expect(documentedTypes(method, path)).toEqual([...new Set(chunks.map((c) => c.type))].sort())
    }
  })
})
