// The OpenAI-compatible Responses API driven by the official `openai` SDK (unmodified, `baseURL`
// pointed at Runyard): create (JSON, stream, background), multi-turn, x_context, tool calls,
// resumable streams, cancel in every state, delete, input items. Every response the SDK
// receives, JSON or SSE frame, is validated against /openapi.json.
import { scriptPrompt, type ScriptStep } from '@runyard/testkit'
import OpenAI from 'openai'
import type { Response as SdkResponse, ResponseStreamEvent } from 'openai/resources/responses/responses'
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'
import type { ResponseObject, StreamEvent } from '../src/surfaces/responses/schemas.ts'
import {
  settledOpenapiProblems,
  recordingExecutor,
  runIdOf,
  startSdkServer,
  until,
  type Received,
} from './support/responses.ts'
import type { TestServer } from './support/server.ts'
import { accountCaller } from '@runyard/services'

let s: TestServer
let client: OpenAI
let key: string
let received: Map<string, Received>

beforeAll(async () => {
  const rec = recordingExecutor()
  received = rec.received
  const started = await startSdkServer({ id: 'acct_resp', name: 'responses' }, { executor: rec.executor })
  ;({ server: s, client, key } = started)
})
afterAll(async () => {
  await s?.stop()
  await s?.testDb.drop()
})
afterEach(async () => {
  expect(await settledOpenapiProblems()).toEqual([])
})

const say = (text: string, extra: ScriptStep[] = []): string =>
  scriptPrompt([{ text, chunks: 3 }, { step: { input: 10, output: 3, cacheRead: 4 } }, ...extra])

async function collect(stream: AsyncIterable<ResponseStreamEvent>): Promise<ResponseStreamEvent[]> {
  const events: ResponseStreamEvent[] = []
  for await (const e of stream) events.push(e)
  return events
}

describe('the wire types match the official SDK', () => {
  it('Response and stream events are assignable to openai-node types', () => {
    expectTypeOf<ResponseObject>().toExtend<SdkResponse>()
    // Where Open Responses names an event differently from openai-node (reasoning), or has none
    // (a cancelled run's extension event), the spec wins; the SDK passes such events through.
    type SpecOnly = 'response.reasoning.delta' | 'response.reasoning.done' | 'runyard:response.cancelled'
    expectTypeOf<Exclude<StreamEvent, { type: SpecOnly }>>().toExtend<ResponseStreamEvent>()
  })
})

describe('create', () => {
  it("answers a completed response in OpenAI's shape (non-streaming)", async () => {
    const r = await client.responses.create({
      model: 'default',
      input: say('hello world'),
      metadata: { ticket: 'T-1' },
      instructions: 'Be brief.',
    })
    expect(r).toMatchObject({
      id: expect.stringMatching(/^resp_/),
      object: 'response',
      status: 'completed',
      model: 'scripted',
      output_text: 'hello world',
      error: null,
      incomplete_details: null,
      instructions: 'Be brief.',
      metadata: { ticket: 'T-1' },
      previous_response_id: null,
      usage: {
        input_tokens: 10,
        output_tokens: 3,
        total_tokens: 13,
        input_tokens_details: { cached_tokens: 4, cache_write_tokens: 0 },
        output_tokens_details: { reasoning_tokens: 0 },
      },
    })
    expect(r.created_at).toBeGreaterThan(Date.now() / 1000 - 120)
    expect(r.created_at).toBeLessThanOrEqual(Date.now() / 1000)
    expect(r.output).toEqual([
      {
        type: 'message',
        id: expect.stringMatching(/^msg_/),
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: 'hello world', annotations: [], logprobs: [] }],
      },
    ])
    // What the run received: the user text and the per-response instructions.
    const run = received.get(runIdOf(r.id))!
    expect(run.ctx.run.input.instructions).toBe('Be brief.')
    expect(run.ctx.run.kind).toBe('response')
    // Retrieve gives the same object.
    expect(await client.responses.retrieve(r.id)).toEqual(r)
  })

  it('accepts any model the catalog knows, and input messages (also `type: "message"` items)', async () => {
    const r = await client.responses.create({
      model: 'scripted-large',
      input: [
        { role: 'system', content: 'You are terse.' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: say('from messages') }] },
      ],
    })
    expect(r).toMatchObject({ status: 'completed', model: 'scripted-large', output_text: 'from messages' })
    const run = received.get(runIdOf(r.id))!
    expect(run.ctx.run.model).toBe('scripted-large')
    expect(run.ctx.run.input.messages?.map((m) => m.role)).toEqual(['system', 'user'])
    const items = await client.responses.inputItems.list(r.id, { order: 'asc' })
    expect(items.data).toEqual([
      {
        type: 'message',
        id: expect.stringMatching(/^msg_/),
        role: 'system',
        status: 'completed',
        content: [{ type: 'input_text', text: 'You are terse.' }],
      },
      {
        type: 'message',
        id: expect.stringMatching(/^msg_/),
        role: 'user',
        status: 'completed',
        content: [{ type: 'input_text', text: say('from messages') }],
      },
    ])
    const desc = await client.responses.inputItems.list(r.id, { limit: 1 })
    expect(desc.data.map((i) => i.id)).toEqual([items.data[1]!.id])
    expect(desc.has_more).toBe(true)
  })

  it('streams OpenAI events with strictly increasing sequence numbers; the deltas add up to output_text', async () => {
    const stream = await client.responses.create({ model: 'default', input: say('streamed answer'), stream: true })
    const events = await collect(stream)
    const seqs = events.map((e) => e.sequence_number)
    expect(seqs).toEqual(seqs.map((_, i) => i))
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ])
    const created = events[0] as Extract<ResponseStreamEvent, { type: 'response.created' }>
    expect(created.response).toMatchObject({ status: 'in_progress', output: [] }) // foreground: in progress from the start, as OpenAI (queued is for background)
    expect(events[1]).toMatchObject({ response: { status: 'in_progress' } })
    const deltas = events.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : []))
    const completed = events.at(-1) as Extract<ResponseStreamEvent, { type: 'response.completed' }>
    expect(deltas.join('')).toBe('streamed answer')
    expect(completed.response.output_text).toBe('streamed answer')
    expect(completed.response.status).toBe('completed')
    const retrieved = await client.responses.retrieve(completed.response.id)
    expect(retrieved.output_text).toBe(deltas.join(''))
    expect(retrieved).toEqual(completed.response)
  })

  it("works with the SDK's responses.stream() helper (it rebuilds the response from the events)", async () => {
    const input = scriptPrompt([
      { text: 'Checking.' },
      { tool: 'bash', input: { command: 'ls' }, output: 'a.txt' },
      { step: { input: 2, output: 1 } },
      { text: 'One file.', chunks: 2 },
      { step: { input: 3, output: 1 } },
    ])
    const runner = client.responses.stream({ model: 'default', input })
    let text = ''
    runner.on('response.output_text.delta', (e) => (text += e.delta))
    const final = await runner.finalResponse()
    expect(final.status).toBe('completed')
    expect(final.output_text).toBe('Checking.One file.')
    expect(text).toBe(final.output_text)
    expect(final.output.map((i) => i.type)).toEqual(['message', 'function_call', 'function_call_output', 'message'])
  })

  it('shows a tool-using turn as function_call + function_call_output items, streamed and retrieved', async () => {
    const input = scriptPrompt([
      { text: 'Let me look.' },
      { tool: 'bash', input: { command: 'ls' }, output: 'a.txt\nb.txt' },
      { step: { input: 20, output: 5 } },
      { text: 'There are two files.' },
      { step: { input: 30, output: 6 } },
    ])
    const events = await collect(await client.responses.create({ model: 'default', input, stream: true }))
    const completed = events.at(-1) as Extract<ResponseStreamEvent, { type: 'response.completed' }>
    const r = completed.response
    expect(r.output.map((i) => i.type)).toEqual(['message', 'function_call', 'function_call_output', 'message'])
    expect(r.output[1]).toEqual({
      type: 'function_call',
      id: expect.stringMatching(/^fc_/),
      call_id: 'call_0_bash',
      name: 'bash',
      arguments: '{"command":"ls"}',
      status: 'completed',
    })
    expect(r.output[2]).toEqual({
      type: 'function_call_output',
      id: expect.stringMatching(/^fco_/),
      call_id: 'call_0_bash',
      name: 'bash',
      output: 'a.txt\nb.txt',
      status: 'completed',
    })
    expect(r.output_text).toBe('Let me look.There are two files.')
    expect(r.usage).toMatchObject({ input_tokens: 50, output_tokens: 11, total_tokens: 61 })
    const argEvents = events.filter((e) => e.type.startsWith('response.function_call_arguments'))
    expect(argEvents).toMatchObject([
      {
        type: 'response.function_call_arguments.delta',
        delta: '{"command":"ls"}',
        output_index: 1,
        item_id: r.output[1]!.id,
      },
      {
        type: 'response.function_call_arguments.done',
        arguments: '{"command":"ls"}',
        output_index: 1,
        item_id: r.output[1]!.id,
      },
    ])
    // Every item is announced and finished at its own index, in order.
    const added = events.flatMap((e) => (e.type === 'response.output_item.added' ? [e.output_index] : []))
    const done = events.flatMap((e) => (e.type === 'response.output_item.done' ? [e.output_index] : []))
    expect(added).toEqual([0, 1, 2, 3])
    expect(done).toEqual([0, 1, 2, 3])
    expect((await client.responses.retrieve(r.id)).output).toEqual(r.output)
  })

  it('x_context is prepended as one readable line and persisted in the message metadata', async () => {
    const x_context = {
      notification_response: {
        notification_id: 'msg_123',
        action: 'approved',
        original_signal: 'convert_now',
        score: 72,
        rate: 85.42,
        amount_usd: 1000,
      },
    }
    const input = say('Transfer started.')
    const r = await client.responses.create({
      model: 'default',
      input,
      x_context,
    } as OpenAI.Responses.ResponseCreateParamsNonStreaming)
    expect(r.output_text).toBe('Transfer started.')
    const line =
      '[Context: notification_response — notification_id: msg_123, action: approved, original_signal: convert_now, score: 72, rate: 85.42, amount_usd: 1000]'
    const run = received.get(runIdOf(r.id))!
    const transcript = await run.transcript
    const user = transcript.at(-1)!
    expect(user.role).toBe('user')
    expect(user.parts).toEqual([{ type: 'text', text: `${line}\n${input}` }])
    expect(user.metadata).toEqual({ x_context })
    // Persisted in the chat (what later turns and the other surfaces read).
    const chatId = (r as unknown as { x_runyard: { chat_id: string } }).x_runyard.chat_id
    const stored = await s.services.chats.messages(accountCaller('acct_resp'), chatId)
    expect(stored.find((m) => m.id === user.id)).toMatchObject({
      metadata: { x_context },
      parts: [{ type: 'text', text: `${line}\n${input}` }],
    })
    const items = await client.responses.inputItems.list(r.id)
    expect(items.data[0]).toMatchObject({ role: 'user', content: [{ type: 'input_text', text: `${line}\n${input}` }] })
    // ... but the new session is titled after what the user said, not after the context line
    const chat = await s.testDb.prisma.chat.findUniqueOrThrow({ where: { id: chatId }, include: { session: true } })
    expect(chat.session.title).toBe(input.slice(0, 80))
    expect(chat.title).toBe(input.slice(0, 80))
  })

  it('previous_response_id continues the same chat: the second turn sees the first', async () => {
    const first = await client.responses.create({ model: 'default', input: say('Noted: the secret word is "heron".') })
    const second = await client.responses.create({
      model: 'default',
      input: say('You said heron.'),
      previous_response_id: first.id,
    })
    expect(second).toMatchObject({
      status: 'completed',
      previous_response_id: first.id,
      output_text: 'You said heron.',
    })
    const ids = (r: SdkResponse) => (r as unknown as { x_runyard: { chat_id: string; session_id: string } }).x_runyard
    expect(ids(second)).toEqual({ ...ids(first), run_id: runIdOf(second.id) })
    const transcript = await received.get(runIdOf(second.id))!.transcript
    const userTexts = transcript.filter((m) => m.role === 'user').map((m) => (m.parts[0] as { text: string }).text)
    expect(userTexts).toEqual([say('Noted: the secret word is "heron".'), say('You said heron.')])
    // The second run's own input is only the new turn; the first turn comes from the chat.
    expect(received.get(runIdOf(second.id))!.ctx.run.input.messages).toHaveLength(1)
  })

  it('a failed run is status failed with an error (JSON), and ends the stream with response.failed', async () => {
    const input = scriptPrompt([{ text: 'so far' }, { fail: 'llm', message: 'the model provider failed' }])
    const r = await client.responses.create({ model: 'default', input })
    expect(r).toMatchObject({
      status: 'failed',
      output_text: 'so far',
      error: { code: 'server_error', message: 'the model provider failed', type: 'llm' },
    })
    const events = await collect(await client.responses.create({ model: 'default', input, stream: true }))
    expect(events.at(-1)).toMatchObject({
      type: 'response.failed',
      response: { status: 'failed', error: { message: 'the model provider failed' } },
    })
  })

  it('store: false answers the response but does not keep it', async () => {
    const r = await client.responses.create({ model: 'default', input: say('ephemeral'), store: false })
    expect(r).toMatchObject({ status: 'completed', output_text: 'ephemeral', store: false })
    await expect(client.responses.retrieve(r.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError)
  })
})

describe('background, retrieve and resumable streams', () => {
  it('background: true answers queued at once; retrieve until completed', async () => {
    const r = await client.responses.create({
      model: 'default',
      input: scriptPrompt([{ sleep: 300 }, { text: 'bg done' }, { step: { input: 1, output: 1 } }]),
      background: true,
    })
    expect(r).toMatchObject({ status: 'queued', background: true, output: [], output_text: '' })
    const done = await until('completed', async () => {
      const got = await client.responses.retrieve(r.id)
      expect(['queued', 'in_progress', 'completed']).toContain(got.status)
      return got.status === 'completed' && got
    })
    expect(done).toMatchObject({ output_text: 'bg done', background: true, completed_at: expect.any(Number) })
  })

  it('retrieve(id, {stream, starting_after: N}) yields exactly the events after N — after the end and while live', async () => {
    const input = scriptPrompt([
      { text: 'one ', chunks: 2 },
      { tool: 'read', input: { path: 'x' }, output: 'X' },
      { step: { input: 1, output: 1 } },
      { sleep: 600 },
      { text: 'two', chunks: 2 },
      { step: { input: 1, output: 1 } },
    ])
    const r = await client.responses.create({ model: 'default', input, background: true })
    // Live: attach while the run is still going, after the first events.
    await until('first delta', async () => (await client.responses.retrieve(r.id)).output_text.length > 0)
    const live = await collect(await client.responses.retrieve(r.id, { stream: true, starting_after: 3 }))
    const full = await collect(await client.responses.retrieve(r.id, { stream: true }))
    expect(full.map((e) => e.sequence_number)).toEqual(full.map((_, i) => i))
    expect(full.at(-1)!.type).toBe('response.completed')
    expect(live).toEqual(full.filter((e) => e.sequence_number > 3))
    for (const n of [0, 7, full.length - 2, full.length - 1]) {
      expect(await collect(await client.responses.retrieve(r.id, { stream: true, starting_after: n }))).toEqual(
        full.filter((e) => e.sequence_number > n),
      )
    }
    // The stream's last event and retrieve agree.
    expect(await client.responses.retrieve(r.id)).toEqual(
      (full.at(-1) as Extract<ResponseStreamEvent, { type: 'response.completed' }>).response,
    )
  })

  it('Last-Event-ID resumes like starting_after (plain EventSource clients)', async () => {
    const r = await client.responses.create({ model: 'default', input: say('abc') })
    const res = await fetch(`${s.url}/v1/responses/${r.id}?stream=true`, {
      headers: { authorization: `Bearer ${key}`, 'last-event-id': '4' },
    })
    const text = await res.text()
    const seqs = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))
    expect(seqs[0]).toBe(5)
    expect(text).toContain('event: response.completed')
    // a Last-Event-ID that is not a sequence number is refused, not silently replayed from 0
    const bad = await fetch(`${s.url}/v1/responses/${r.id}?stream=true`, {
      headers: { authorization: `Bearer ${key}`, 'last-event-id': 'abc' },
    })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'Last-Event-ID' } })
  })
})

describe('cancel', () => {
  it('cancels a running response: partial output kept, status cancelled; idempotent', async () => {
    const r = await client.responses.create({
      model: 'default',
      input: scriptPrompt([{ text: 'partial' }, { hang: true }]),
      background: true,
    })
    await until('partial output', async () => (await client.responses.retrieve(r.id)).output_text === 'partial')
    const cancelled = await client.responses.cancel(r.id)
    expect(cancelled).toMatchObject({ status: 'cancelled', error: null, output_text: 'partial' })
    expect(cancelled.output[0]).toMatchObject({ type: 'message', status: 'incomplete' })
    expect(await client.responses.cancel(r.id)).toEqual(cancelled)
    const events = await collect(await client.responses.retrieve(r.id, { stream: true }))
    expect(events.at(-1)).toMatchObject({ type: 'runyard:response.cancelled', response: { status: 'cancelled' } })
  })

  it('cancel on a completed response is a no-op returning it', async () => {
    const r = await client.responses.create({ model: 'default', input: say('finished') })
    expect(await client.responses.cancel(r.id)).toEqual(r)
  })

  it('a second background response on a busy conversation is 409 naming the active response', async () => {
    const first = await client.responses.create({
      model: 'default',
      input: scriptPrompt([{ hang: true }]),
      background: true,
    })
    const err = await client.responses
      .create({ model: 'default', input: say('next'), previous_response_id: first.id, background: true })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(OpenAI.ConflictError)
    expect((err as InstanceType<typeof OpenAI.ConflictError>).status).toBe(409)
    expect((err as Error).message).toContain(first.id)
    expect((err as InstanceType<typeof OpenAI.ConflictError>).error).toMatchObject({
      type: 'conflict_error',
      code: 'chat_busy',
      param: 'previous_response_id',
    })
    expect((await client.responses.cancel(first.id)).status).toBe('cancelled')
    // Free again: the conversation continues.
    const next = await client.responses.create({ model: 'default', input: say('next'), previous_response_id: first.id })
    expect(next.status).toBe('completed')
  })
})

describe('delete', () => {
  it('deletes the response record: retrieve, input items and previous_response_id answer 404; the run stays', async () => {
    const r = await client.responses.create({ model: 'default', input: say('to delete') })
    const raw = await s.api(`/v1/responses/${r.id}`, { method: 'DELETE', key, validate: true })
    expect(raw).toMatchObject({ status: 200, body: { id: r.id, object: 'response.deleted', deleted: true } })
    await expect(client.responses.retrieve(r.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError)
    await expect(client.responses.inputItems.list(r.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError)
    await expect(client.responses.delete(r.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError)
    await expect(
      client.responses.create({ model: 'default', input: 'hi', previous_response_id: r.id }),
    ).rejects.toBeInstanceOf(OpenAI.NotFoundError)
    expect((await s.engine.getRun('acct_resp', runIdOf(r.id))).status).toBe('completed')
  })

  it('deleting an active response cancels it first (SDK delete resolves)', async () => {
    const r = await client.responses.create({
      model: 'default',
      input: scriptPrompt([{ hang: true }]),
      background: true,
    })
    await until('running', async () => (await client.responses.retrieve(r.id)).status === 'in_progress')
    await client.responses.delete(r.id)
    expect((await s.engine.getRun('acct_resp', runIdOf(r.id))).status).toBe('cancelled')
  })
})

describe('cancel while queued (workers disabled)', () => {
  let qc: OpenAI
  let stop: () => Promise<void>
  beforeAll(async () => {
    ;({ client: qc, stop } = await startSdkServer({ id: 'acct_q', name: 'q' }, { env: { RUNYARD_WORKERS: 'false' } }))
  })
  afterAll(() => stop?.())

  it('a queued response is cancelled before it ever runs', async () => {
    const r = await qc.responses.create({ model: 'default', input: say('never'), background: true })
    expect(r.status).toBe('queued')
    expect((await qc.responses.retrieve(r.id)).status).toBe('queued')
    const cancelled = await qc.responses.cancel(r.id)
    expect(cancelled).toMatchObject({ status: 'cancelled', output: [], error: null })
    expect(await qc.responses.cancel(r.id)).toEqual(cancelled)
    const events = await collect(await qc.responses.retrieve(r.id, { stream: true }))
    expect(events.map((e) => e.type)).toEqual(['response.created', 'runyard:response.cancelled'])
  })
})

describe('non-streaming timeout', () => {
  let tc: OpenAI
  let stop: () => Promise<void>
  beforeAll(async () => {
    const env = { RUNYARD_RESPONSES_TIMEOUT_MS: '1000' }
    ;({ client: tc, stop } = await startSdkServer({ id: 'acct_t', name: 't' }, { env }))
  })
  afterAll(() => stop?.())

  it('answers the in-progress response after RUNYARD_RESPONSES_TIMEOUT_MS; the run goes on', async () => {
    // The run sleeps well past the 1 s timeout: an answer that is not yet completed shows the
    // request did not wait for the run.
    const r = await tc.responses.create({
      model: 'default',
      input: scriptPrompt([{ sleep: 4000 }, { text: 'late' }, { step: {} }]),
    })
    expect(['queued', 'in_progress']).toContain(r.status)
    const done = await until('completed', async () => {
      const got = await tc.responses.retrieve(r.id)
      return got.status === 'completed' && got
    })
    expect(done.output_text).toBe('late')
  })
})
