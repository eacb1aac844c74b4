// Client-side function tools through the official `openai` SDK, on the durable engine with the
// real agent runtime and a scripted OpenAI-compatible model: the function-tool loop on
// /v1/responses (streamed and not, via previous_response_id and inline), the same on
// /v1/chat/completions, /v1/models, a continuation after a server restart, the 400 for a missing
// output, and another surface's turn closing a pending call.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createTestDb, fakeTurn, startFakeOpenAI, type FakeOpenAI, type TestDb } from '@runyard/testkit'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { realAgent } from './support/real-agent.ts'
import { startTestServer, type TestServer } from './support/server.ts'

const weather = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'The weather in a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
}

let fake: FakeOpenAI
let tmp: string
let testDb: TestDb
let s: TestServer
let client: OpenAI

async function start() {
  const { executor, runtime } = realAgent(fake.url, path.join(tmp, 'workspaces'))
  s = await startTestServer({ testDb, executor, runtime })
  client = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: 'local', maxRetries: 0 })
}

beforeAll(async () => {
  fake = await startFakeOpenAI()
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'client-tools-'))
  testDb = await createTestDb()
  await start()
})
afterAll(async () => {
  await s?.stop()
  await testDb?.drop()
  await fake?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

/** The tool results the model was sent in its last request. */
const lastToolResults = () => fake.requests.at(-1)!.toolResults

describe('/v1/responses with client function tools', () => {
  it('the function-tool loop, non-streamed: function_call → function_call_output via previous_response_id → answer', async () => {
    fake.enqueue(
      fakeTurn.tool('get_weather', { city: 'Paris' }, { id: 'call_w1' }),
      fakeTurn.text('It is sunny in Paris.'),
    )
    const first = await client.responses.create({ model: 'default', input: 'Weather in Paris?', tools: [weather] })
    expect(first.status).toBe('completed')
    const call = first.output.find((i) => i.type === 'function_call')
    expect(call).toMatchObject({
      type: 'function_call',
      call_id: 'call_w1',
      name: 'get_weather',
      arguments: '{"city":"Paris"}',
      status: 'completed',
    })
    expect(first.output.some((i) => i.type === 'function_call_output')).toBe(false)
    expect(first.tools).toEqual([
      {
        type: 'function',
        name: 'get_weather',
        description: 'The weather in a city',
        parameters: weather.parameters,
        strict: true,
      },
    ])
    expect(fake.requests.at(-1)!.toolNames).toContain('get_weather')
    expect(fake.requests.at(-1)!.toolNames).toContain('bash') // beside the agent's own tools

    const second = await client.responses.create({
      model: 'default',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: 'call_w1', output: '{"sky":"sunny"}' }],
      tools: [weather],
    })
    expect(second.output_text).toBe('It is sunny in Paris.')
    expect(lastToolResults()).toEqual([{ callId: 'call_w1', output: '{"sky":"sunny"}' }])
    const items = await client.responses.inputItems.list(second.id)
    expect(items.data).toEqual([
      expect.objectContaining({ type: 'function_call_output', call_id: 'call_w1', output: '{"sky":"sunny"}' }),
    ])
  })

  it('the same loop streamed: output_item.added, function_call_arguments.delta/done, output_item.done, in that order', async () => {
    fake.enqueue(fakeTurn.tool('get_weather', { city: 'Oslo' }, { id: 'call_s1' }), fakeTurn.text('Snow in Oslo.'))
    const events: OpenAI.Responses.ResponseStreamEvent[] = []
    for await (const e of await client.responses.create({
      model: 'default',
      input: 'Weather in Oslo?',
      tools: [weather],
      stream: true,
    }))
      events.push(e)
    const callEvents = events
      .filter((e) => 'item_id' in e || e.type.startsWith('response.output_item'))
      .map((e) => e.type)
    expect(callEvents).toEqual([
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
    ])
    const done = events.find(
      (e) => e.type === 'response.function_call_arguments.done',
    ) as OpenAI.Responses.ResponseFunctionCallArgumentsDoneEvent
    expect(done.arguments).toBe('{"city":"Oslo"}')
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent
    expect(completed.type).toBe('response.completed')

    const text: string[] = []
    const next = await client.responses.create({
      model: 'default',
      previous_response_id: completed.response.id,
      input: [{ type: 'function_call_output', call_id: 'call_s1', output: 'snow' }],
      stream: true,
    })
    for await (const e of next) if (e.type === 'response.output_text.delta') text.push(e.delta)
    expect(text.join('')).toBe('Snow in Oslo.')
  })

  it('the stateless round trip: the whole history inline, no previous_response_id', async () => {
    fake.enqueue(fakeTurn.text('Rome: 24 °C.'))
    const r = await client.responses.create({
      model: 'default',
      tools: [weather],
      input: [
        { role: 'user', content: 'Weather in Rome?' },
        { type: 'function_call', call_id: 'call_i1', name: 'get_weather', arguments: '{"city":"Rome"}' },
        { type: 'function_call_output', call_id: 'call_i1', output: '24' },
      ],
    })
    expect(r.output_text).toBe('Rome: 24 °C.')
    expect(lastToolResults()).toEqual([{ callId: 'call_i1', output: '24' }])
  })

  it("a continuation without the pending call's output gets OpenAI's 400; the chat is not locked", async () => {
    fake.enqueue(fakeTurn.tool('get_weather', { city: 'Lima' }, { id: 'call_p1' }))
    const first = await client.responses.create({ model: 'default', input: 'Weather in Lima?', tools: [weather] })
    const err = await client.responses
      .create({ model: 'default', previous_response_id: first.id, input: 'never mind' })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(OpenAI.BadRequestError)
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).message).toContain(
      'No tool output found for function call call_p1',
    )
    const wrong = await client.responses
      .create({
        model: 'default',
        previous_response_id: first.id,
        input: [{ type: 'function_call_output', call_id: 'call_other', output: 'x' }],
      })
      .catch((e: unknown) => e)
    expect(wrong).toBeInstanceOf(OpenAI.BadRequestError)
  })

  it("another surface's turn closes the pending call with a visible 'no output provided' result and goes on", async () => {
    fake.enqueue(
      fakeTurn.tool('get_weather', { city: 'Kyiv' }, { id: 'call_c1' }),
      fakeTurn.text('Going on without it.'),
    )
    const first = await client.responses.create({ model: 'default', input: 'Weather in Kyiv?', tools: [weather] })
    const chatId = (first as unknown as { x_runyard: { chat_id: string } }).x_runyard.chat_id
    const run = await s.api('/api/chat/runs', { method: 'POST', json: { chatId, prompt: 'Skip the weather.' } })
    expect(run.status).toBe(202)
    for (let i = 0; i < 200 && (await s.api(`/api/chat/runs/${run.body.runId}`)).body.status !== 'completed'; i++)
      await new Promise((r) => setTimeout(r, 50))
    expect(lastToolResults()).toEqual([{ callId: 'call_c1', output: expect.stringContaining('No output provided') }])
    const transcript = (await s.api(`/api/chat/${chatId}/messages`)).body as {
      parts: { type: string; state?: string; errorText?: string }[]
    }[]
    expect(transcript.flatMap((m) => m.parts).find((p) => p.type === 'tool-get_weather')).toMatchObject({
      state: 'output-error',
      errorText: expect.stringContaining('No output provided'),
    })
  })

  it("a tool named like one of the agent's own tools is refused, naming it", async () => {
    const err = await client.responses
      .create({ model: 'default', input: 'x', tools: [{ ...weather, name: 'bash' }] })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(OpenAI.BadRequestError)
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('tools[0].name')
  })
})

describe('/v1/chat/completions and /v1/models', () => {
  const tools = [
    {
      type: 'function' as const,
      function: { name: 'get_weather', description: weather.description, parameters: weather.parameters },
    },
  ]

  it('the function-tool loop, non-streamed: tool_calls with finish_reason tool_calls, then the tool message → answer', async () => {
    fake.enqueue(
      fakeTurn.tool('get_weather', { city: 'Bern' }, { id: 'call_cc1', usage: { input: 50, output: 5 } }),
      fakeTurn.text('Bern is cold.', { usage: { input: 70, output: 4 } }),
    )
    const first = await client.chat.completions.create({
      model: 'default',
      messages: [{ role: 'user', content: 'Weather in Bern?' }],
      tools,
    })
    expect(first.choices[0]!.finish_reason).toBe('tool_calls')
    expect(first.choices[0]!.message.tool_calls).toEqual([
      { id: 'call_cc1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Bern"}' } },
    ])
    expect(first.usage).toMatchObject({ prompt_tokens: 50, completion_tokens: 5, total_tokens: 55 })
    const second = await client.chat.completions.create({
      model: 'default',
      tools,
      messages: [
        { role: 'user', content: 'Weather in Bern?' },
        first.choices[0]!.message,
        { role: 'tool', tool_call_id: 'call_cc1', content: '-3' },
      ],
    })
    expect(second.choices[0]).toMatchObject({
      finish_reason: 'stop',
      message: { role: 'assistant', content: 'Bern is cold.' },
    })
    expect(lastToolResults()).toEqual([{ callId: 'call_cc1', output: '-3' }])
  })

  it('streamed, with include_usage: content deltas, the finish chunk, a usage chunk, then [DONE]', async () => {
    fake.enqueue(fakeTurn.text(['Hello ', 'from ', 'the agent.'], { usage: { input: 12, output: 3 } }))
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = []
    for await (const c of await client.chat.completions.create({
      model: 'default',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    }))
      chunks.push(c)
    expect(chunks.flatMap((c) => c.choices.map((ch) => ch.delta.content ?? '')).join('')).toBe('Hello from the agent.')
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop')
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
    })
  })

  it('tool calls streamed, then the finish reason', async () => {
    fake.enqueue(fakeTurn.tool('get_weather', { city: 'Rome' }, { id: 'call_cs1' }))
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = []
    for await (const c of await client.chat.completions.create({
      model: 'default',
      messages: [{ role: 'user', content: 'Rome?' }],
      tools,
      stream: true,
    }))
      chunks.push(c)
    const call = chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? []))
    expect(call).toEqual([
      { index: 0, id: 'call_cs1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
    ])
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('tool_calls')
  })

  it('models.list() lists default and the configured models', async () => {
    const ids: string[] = []
    for await (const m of client.models.list()) ids.push(m.id)
    expect(ids).toEqual(['default', 'openai/gpt-test'])
    expect((await client.models.retrieve('default')).owned_by).toBe('runyard')
    await expect(client.models.retrieve('nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError)
  })
})

describe('across a restart', () => {
  it('a server restarted between the function_call response and the function_call_output request continues the run', async () => {
    fake.enqueue(fakeTurn.tool('get_weather', { city: 'Quito' }, { id: 'call_r1' }), fakeTurn.text('Quito: mild.'))
    const first = await client.responses.create({ model: 'default', input: 'Weather in Quito?', tools: [weather] })
    expect(first.output.find((i) => i.type === 'function_call')).toMatchObject({ call_id: 'call_r1' })
    await s.stop()
    await start()
    const second = await client.responses.create({
      model: 'default',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: 'call_r1', output: 'mild' }],
      tools: [weather],
    })
    expect(second.output_text).toBe('Quito: mild.')
    expect(lastToolResults()).toEqual([{ callId: 'call_r1', output: 'mild' }])
  })
})
