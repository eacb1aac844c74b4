// Drives the REAL AI SDK providers against the fake server, for all three ways Runyard talks to
// OpenAI-style APIs: openai(model) → Responses API, openai.chat(model) and openai-compatible →
// Chat Completions.
import { createOpenAI } from '@ai-sdk/openai'
import { createOpenAICompatible } from '@ai-sdk/openai-compatible'
import { APICallError, generateText, jsonSchema, stepCountIs, streamText, tool, type LanguageModel } from 'ai'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeTurn, startFakeOpenAI, type FakeOpenAI } from '../src/fake-openai/index.ts'

const KEY = 'sk-test'

interface Flavour {
  name: string
  path: string
  /** Whether the provider surfaces the scripted reasoning as reasoning parts. */
  reasoning: boolean
  model(url: string, apiKey?: string): LanguageModel
}

const flavours: Flavour[] = [
  {
    name: 'openai (Responses API)',
    path: '/v1/responses',
    reasoning: true,
    model: (baseURL, apiKey = KEY) => createOpenAI({ baseURL, apiKey })('gpt-test'),
  },
  {
    name: 'openai.chat (Chat Completions)',
    path: '/v1/chat/completions',
    reasoning: false,
    model: (baseURL, apiKey = KEY) => createOpenAI({ baseURL, apiKey }).chat('gpt-test'),
  },
  {
    name: 'openai-compatible (Chat Completions)',
    path: '/v1/chat/completions',
    reasoning: true,
    model: (baseURL, apiKey = KEY) =>
      createOpenAICompatible({ name: 'vllm', baseURL, apiKey, includeUsage: true })('gpt-test'),
  },
]

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const part of stream) out.push(part)
  return out
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : JSON.stringify(err)
}

const bashTool = (calls: string[]) =>
  tool({
    description: 'Run a shell command',
    inputSchema: jsonSchema<{ command: string }>({
      type: 'object',
      properties: { command: { type: 'string' } },
      required: ['command'],
    }),
    execute: async ({ command }) => {
      calls.push(command)
      return { stdout: `ran ${command}` }
    },
  })

describe.each(flavours)('fake OpenAI server with $name', (f) => {
  let fake: FakeOpenAI
  let model: LanguageModel
  beforeEach(async () => {
    fake = await startFakeOpenAI({ apiKey: KEY })
    model = f.model(fake.url)
  })
  afterEach(async () => {
    await fake.close()
  })

  it('streams scripted text in several deltas and records the request', async () => {
    fake.enqueue(fakeTurn.text('Hello there, this is the fake model.'))
    const result = streamText({ model, prompt: 'say hi' })
    const parts = await collect(result.fullStream)
    const deltas = parts.flatMap((p) => (p.type === 'text-delta' ? [p.text] : []))
    expect(deltas.length).toBeGreaterThan(1)
    expect(deltas.join('')).toBe('Hello there, this is the fake model.')
    expect(await result.text).toBe('Hello there, this is the fake model.')
    expect(await result.finishReason).toBe('stop')

    expect(fake.requests).toHaveLength(1)
    const req = fake.requests[0]!
    expect(req).toMatchObject({
      path: f.path,
      api: f.path === '/v1/responses' ? 'responses' : 'chat',
      model: 'gpt-test',
      stream: true,
      status: 200,
    })
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(JSON.stringify(req.body)).toContain('say hi')
    expect((await fake.settled(0)).outcome).toBe('completed')
    expect(fake.remainingTurns).toBe(0)
  })

  it('keeps exact deltas when the text is given as an array', async () => {
    fake.enqueue(fakeTurn.text(['a', 'bc', ' d']))
    const parts = await collect(streamText({ model, prompt: 'x' }).fullStream)
    expect(parts.flatMap((p) => (p.type === 'text-delta' ? [p.text] : []))).toEqual(['a', 'bc', ' d'])
  })

  it(f.reasoning ? 'emits reasoning parts' : 'sends reasoning that openai.chat ignores', async () => {
    fake.enqueue(fakeTurn.reasoning('First I think. Then I answer.', 'Answer.'))
    const result = streamText({ model, prompt: 'think' })
    const parts = await collect(result.fullStream)
    const reasoning = parts.flatMap((p) => (p.type === 'reasoning-delta' ? [p.text] : [])).join('')
    expect(await result.text).toBe('Answer.')
    if (f.reasoning) {
      expect(parts.some((p) => p.type === 'reasoning-start')).toBe(true)
      expect(reasoning).toBe('First I think. Then I answer.')
      expect(await result.reasoningText).toBe('First I think. Then I answer.')
    } else {
      // openai.chat drops vLLM-style delta.reasoning_content: use openai-compatible for such servers.
      expect(reasoning).toBe('')
    }
  })

  it('runs a two-step tool loop and sends the tool results back', async () => {
    const calls: string[] = []
    fake.enqueue(
      fakeTurn.tools(
        [
          { id: 'call_a', name: 'bash', arguments: { command: 'ls' } },
          { id: 'call_b', name: 'bash', arguments: '{"command":"pwd"}' },
        ],
        { text: 'Let me look.' },
      ),
      fakeTurn.text('There are two files.'),
    )
    const result = streamText({
      model,
      prompt: 'list files',
      tools: { bash: bashTool(calls) },
      stopWhen: stepCountIs(3),
    })
    const parts = await collect(result.fullStream)

    expect(calls.sort()).toEqual(['ls', 'pwd'])
    const steps = await result.steps
    expect(steps).toHaveLength(2)
    expect(steps[0]!.finishReason).toBe('tool-calls')
    expect(steps[0]!.toolCalls.map((c) => [c.toolCallId, c.toolName, c.input])).toEqual([
      ['call_a', 'bash', { command: 'ls' }],
      ['call_b', 'bash', { command: 'pwd' }],
    ])
    expect(parts.filter((p) => p.type === 'tool-result')).toHaveLength(2)
    expect(await result.text).toBe('There are two files.')

    expect(fake.requests).toHaveLength(2)
    const [first, second] = fake.requests
    expect(first!.toolNames).toEqual(['bash'])
    expect(first!.toolResults).toEqual([])
    expect(second!.toolResults).toEqual([
      { callId: 'call_a', output: JSON.stringify({ stdout: 'ran ls' }) },
      { callId: 'call_b', output: JSON.stringify({ stdout: 'ran pwd' }) },
    ])
    expect(JSON.stringify(second!.body)).toContain('list files')
  })

  it('maps usage, cached input and reasoning tokens', async () => {
    fake.enqueue(
      fakeTurn.tool('bash', { command: 'ls' }, { usage: { input: 100, output: 20, cachedInput: 40, reasoning: 5 } }),
      fakeTurn.text('done', { usage: { input: 150, output: 10, cachedInput: 100 } }),
    )
    const result = streamText({ model, prompt: 'x', tools: { bash: bashTool([]) }, stopWhen: stepCountIs(3) })
    await collect(result.fullStream)
    const steps = await result.steps
    expect(steps[0]!.usage).toMatchObject({
      inputTokens: 100,
      outputTokens: 20,
      inputTokenDetails: { cacheReadTokens: 40, noCacheTokens: 60 },
      outputTokenDetails: { reasoningTokens: 5, textTokens: 15 },
    })
    expect(await result.totalUsage).toMatchObject({
      inputTokens: 250,
      outputTokens: 30,
      totalTokens: 280,
      inputTokenDetails: { cacheReadTokens: 140 },
      outputTokenDetails: { reasoningTokens: 5 },
    })
  })

  it('reports finishReason length', async () => {
    fake.enqueue(fakeTurn.text('cut off', { finishReason: 'length' }))
    const result = streamText({ model, prompt: 'x' })
    await collect(result.fullStream)
    expect(await result.finishReason).toBe('length')
  })

  it('turns an HTTP error into an error part carrying the status', async () => {
    fake.enqueue(
      fakeTurn.error(400, 'context too long', { type: 'invalid_request_error', code: 'context_length_exceeded' }),
    )
    const result = streamText({ model, prompt: 'x', maxRetries: 0, onError: () => {} })
    const parts = await collect(result.fullStream)
    const error = parts.find((p) => p.type === 'error')
    expect(error).toBeDefined()
    const err = error!.type === 'error' ? error!.error : undefined
    expect(APICallError.isInstance(err)).toBe(true)
    expect(err).toMatchObject({ statusCode: 400, message: 'context too long', isRetryable: false })
    await expect(result.text).rejects.toThrow()
  })

  it('lets the AI SDK retry a retryable HTTP error with the next turn', async () => {
    fake.enqueue(fakeTurn.error(503, 'overloaded'), fakeTurn.text('recovered'))
    const result = streamText({ model, prompt: 'x' })
    await collect(result.fullStream)
    expect(await result.text).toBe('recovered')
    expect(fake.requests.map((r) => r.status)).toEqual([503, 200])
  })

  it('surfaces a mid-stream error after the first delta', async () => {
    fake.enqueue(
      { text: 'partial answer that breaks', streamError: { message: 'upstream exploded', code: 'server_error' } },
      fakeTurn.text('unused'),
    )
    // Default retries: an error after output is never retried.
    const result = streamText({ model, prompt: 'x', onError: () => {} })
    const parts = await collect(result.fullStream)
    const types = parts.map((p) => p.type)
    expect(parts.flatMap((p) => (p.type === 'text-delta' ? [p.text] : []))).toEqual(['partial '])
    const error = parts.find((p) => p.type === 'error')
    expect(error && error.type === 'error' ? messageOf(error.error) : '').toContain('upstream exploded')
    expect(types.indexOf('error')).toBeGreaterThan(types.indexOf('text-delta'))
    expect(types.at(-1)).toBe('finish')
    expect(await result.finishReason).toBe('error')
    expect(fake.requests).toHaveLength(1)
  })

  it('stops a hanging stream on abort, and the server sees the disconnect', async () => {
    fake.enqueue(fakeTurn.hang('first words and then silence'))
    const ac = new AbortController()
    const result = streamText({ model, prompt: 'x', abortSignal: ac.signal })
    const parts = []
    for await (const p of result.fullStream) {
      parts.push(p)
      if (p.type === 'text-delta') ac.abort()
    }
    const types = parts.map((p) => p.type)
    expect(types).toContain('text-delta')
    expect(types.at(-1)).toBe('abort')
    expect(types).not.toContain('finish')
    const req = await fake.settled(0)
    expect(req.outcome).toBe('aborted')
    expect(req.status).toBe(200)
  })

  it('delivers a slow stream completely, and can abort it midway', async () => {
    fake.enqueue(
      fakeTurn.text('one two three', { chunkDelayMs: 5 }),
      fakeTurn.text('a b c d e f g h', { chunkDelayMs: 5 }),
    )
    expect(await streamText({ model, prompt: 'x' }).text).toBe('one two three')

    const ac = new AbortController()
    const result = streamText({ model, prompt: 'y', abortSignal: ac.signal })
    for await (const p of result.fullStream) if (p.type === 'text-delta') ac.abort()
    expect((await fake.settled(1)).outcome).toBe('aborted')
  })

  it('answers non-streaming generateText, including a tool loop and usage', async () => {
    const calls: string[] = []
    fake.enqueue(
      fakeTurn.tool(
        'bash',
        { command: 'whoami' },
        { id: 'call_g', reasoning: 'need a tool', usage: { input: 10, output: 4, cachedInput: 2, reasoning: 1 } },
      ),
      fakeTurn.reasoning('easy', 'You are root.', { usage: { input: 20, output: 6 } }),
    )
    const result = await generateText({
      model,
      prompt: 'who am i',
      tools: { bash: bashTool(calls) },
      stopWhen: stepCountIs(3),
    })
    expect(calls).toEqual(['whoami'])
    expect(result.text).toBe('You are root.')
    expect(result.steps).toHaveLength(2)
    expect(result.steps[0]!.finishReason).toBe('tool-calls')
    if (f.reasoning) expect(result.reasoningText).toBe('easy')
    expect(result.totalUsage).toMatchObject({
      inputTokens: 30,
      outputTokens: 10,
      inputTokenDetails: { cacheReadTokens: 2 },
      outputTokenDetails: { reasoningTokens: 1 },
    })
    expect(fake.requests.map((r) => r.stream)).toEqual([false, false])
    expect(fake.requests[1]!.toolResults).toEqual([
      { callId: 'call_g', output: JSON.stringify({ stdout: 'ran whoami' }) },
    ])
  })

  it('throws an APICallError from generateText on an HTTP error', async () => {
    fake.enqueue(fakeTurn.error(429, 'slow down', { type: 'rate_limit_error', code: 'rate_limit_exceeded' }))
    const err = await generateText({ model, prompt: 'x', maxRetries: 0 }).catch((e: unknown) => e)
    expect(APICallError.isInstance(err)).toBe(true)
    expect(err).toMatchObject({ statusCode: 429, message: 'slow down', isRetryable: true })
  })

  it('rejects a wrong API key with 401 without consuming a turn', async () => {
    fake.enqueue(fakeTurn.text('only for the right key'))
    const wrong = f.model(fake.url, 'sk-wrong')
    const result = streamText({ model: wrong, prompt: 'x', maxRetries: 0, onError: () => {} })
    const parts = await collect(result.fullStream)
    const error = parts.find((p) => p.type === 'error')
    expect(error && error.type === 'error' ? error.error : undefined).toMatchObject({ statusCode: 401 })
    expect(fake.requests[0]!.status).toBe(401)
    expect(fake.remainingTurns).toBe(1)
    expect(await streamText({ model, prompt: 'x' }).text).toBe('only for the right key')
  })

  it('fails clearly when the script is exhausted', async () => {
    const err = await generateText({ model, prompt: 'x', maxRetries: 0 }).catch((e: unknown) => e)
    expect(err).toMatchObject({ statusCode: 500 })
    expect(messageOf(err)).toContain('fake-openai: no scripted turn left')
  })
})

describe('fake OpenAI server specifics', () => {
  let fake: FakeOpenAI
  beforeEach(async () => {
    fake = await startFakeOpenAI({ script: [] })
  })
  afterEach(async () => {
    await fake.close()
  })

  it.each([
    ['Responses', (url: string) => createOpenAI({ baseURL: url, apiKey: KEY })('m')],
    ['Chat', (url: string) => createOpenAI({ baseURL: url, apiKey: KEY }).chat('m')],
  ])('makes an error before any output a thrown, retryable APICallError (openai %s)', async (_name, makeModel) => {
    const early = {
      text: 'never seen',
      streamError: { message: 'rate limited', code: 'rate_limit_exceeded', beforeOutput: true },
    }
    fake.enqueue(early)
    const result = streamText({ model: makeModel(fake.url), prompt: 'x', maxRetries: 0, onError: () => {} })
    const parts = await collect(result.fullStream)
    expect(parts.some((p) => p.type === 'text-delta')).toBe(false)
    const error = parts.find((p) => p.type === 'error')
    const err = error && error.type === 'error' ? error.error : undefined
    expect(APICallError.isInstance(err)).toBe(true)
    expect(err).toMatchObject({ statusCode: 429, message: 'rate limited', isRetryable: true })

    // With retries on (the default), the SDK re-sends the request, which consumes the next turn.
    fake.enqueue(early, fakeTurn.text('second try'))
    expect(await streamText({ model: makeModel(fake.url), prompt: 'x' }).text).toBe('second try')
    expect(fake.requests).toHaveLength(3)
  })

  it('sends usage on Chat Completions streams only when stream_options.include_usage is set', async () => {
    fake.enqueue(fakeTurn.text('a', { usage: { input: 7, output: 3 } }))
    const noUsage = createOpenAICompatible({ name: 'plain', baseURL: fake.url, apiKey: KEY })('m')
    const result = streamText({ model: noUsage, prompt: 'x' })
    await collect(result.fullStream)
    expect(fake.requests[0]!.body).not.toHaveProperty('stream_options')
    expect((await result.totalUsage).inputTokens).toBeUndefined()
  })

  it('aborts a hanging non-streaming request', async () => {
    fake.enqueue(fakeTurn.hang())
    const ac = new AbortController()
    const pending = generateText({
      model: createOpenAI({ baseURL: fake.url, apiKey: KEY })('m'),
      prompt: 'x',
      abortSignal: ac.signal,
    }).catch((e: unknown) => e)
    await vi.waitFor(() => expect(fake.requests[0]?.status).toBe(200))
    ac.abort()
    expect(await pending).toBeInstanceOf(Error)
    expect((await fake.settled(0)).outcome).toBe('aborted')
  })

  it('cuts hanging replies on close and answers unknown routes with 404', async () => {
    const res = await fetch(`${fake.url}/embeddings`, { method: 'POST', body: '{}' })
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error' } })

    fake.enqueue(fakeTurn.hang())
    const streaming = fetch(`${fake.url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', stream: true, messages: [] }),
    })
    const body = (await streaming).body!.getReader()
    const first = new TextDecoder().decode((await body.read()).value)
    expect(first).toContain('chat.completion.chunk')
    const settled = fake.settled(1)
    await fake.close()
    expect((await settled).outcome).toBe('aborted')
    // The client side ends too (cleanly or with a 'terminated' error) instead of hanging.
    const drain = async (): Promise<string> => {
      for (;;) if ((await body.read()).done) return 'ended'
    }
    expect(['ended', 'errored']).toContain(await drain().catch(() => 'errored'))
  })
})
