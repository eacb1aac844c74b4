// Model failures end the run `failed` with code `llm` (never an unhandled throw), keeping what
// was streamed; the demo model streams its labelled message; unknown models fail clearly.
import { assistantMessageIdForRun } from '@runyard/contract'
import { fakeTurn } from '@runyard/testkit'
import { describe, expect, it } from 'vitest'
import { createModelRegistry, DEMO_MESSAGE } from '../src/index.ts'
import { useAgentEnv, textOf, toolResults, userMessage } from './support/agent-env.ts'

const env = useAgentEnv()

function tail(events: { event: unknown }[]) {
  return events.slice(-3).map((e) => e.event)
}

describe('provider errors', () => {
  it.each([
    [
      'HTTP 400',
      fakeTurn.error(400, 'context too long', { type: 'invalid_request_error', code: 'context_length_exceeded' }),
      /HTTP 400.*context too long/,
    ],
    ['HTTP 500', fakeTurn.error(500, 'upstream is down'), /HTTP 500.*upstream is down/],
    [
      'an error before any output (doStream throws)',
      { streamError: { message: 'quota exhausted', code: 'insufficient_quota', beforeOutput: true } },
      /quota exhausted/,
    ],
  ])('%s fails the run with code llm', async (_name, turn, message) => {
    const chat = await env.chat('local')
    env.fake.enqueue(turn)
    const { runId, events } = await env.run(chat, 'hi')
    const [error, status, done] = tail(events)
    expect(error).toMatchObject({ type: 'error', code: 'llm', message: expect.stringMatching(message) })
    expect(status).toEqual({ type: 'run_status', status: 'failed' })
    expect(done).toEqual({ type: 'done' })
    expect(await env.engine.getRun(chat.accountId, runId)).toMatchObject({ status: 'failed', error: { code: 'llm' } })
  })

  it('a mid-stream error after a tool step fails the run but keeps the partial text and completed steps', async () => {
    const chat = await env.chat('local')
    env.fake.enqueue(fakeTurn.tool('bash', { command: 'echo hi' }, { id: 'call_1', usage: { input: 3, output: 1 } }), {
      text: 'partial answer that breaks',
      streamError: { message: 'upstream exploded', code: 'server_error' },
    })
    const { runId, events } = await env.run(chat, 'hi')
    expect(tail(events)[0]).toMatchObject({
      type: 'error',
      code: 'llm',
      message: expect.stringContaining('upstream exploded'),
    })
    expect(textOf(events)).toBe('partial ')
    expect(toolResults(events)).toHaveLength(1)
    const assistant = (await env.messages(chat)).find((m) => m.id === assistantMessageIdForRun(runId))!
    expect(assistant.parts).toEqual([
      { type: 'step-start' },
      expect.objectContaining({ type: 'tool-bash', state: 'output-available' }),
      { type: 'step-start' },
      { type: 'text', text: 'partial ', state: 'done' },
    ])
  })

  it('lets the AI SDK retry a retryable error when retries are on', async () => {
    env.useExecutor({ maxRetries: 2 })
    const chat = await env.chat('local')
    env.fake.enqueue(fakeTurn.error(503, 'overloaded'), fakeTurn.text('recovered'))
    const { events } = await env.run(chat, 'hi')
    expect(textOf(events)).toBe('recovered')
    expect(env.fake.requests.map((r) => r.status)).toEqual([503, 200])
  })

  it('an unknown model fails the run with code llm naming the available models', async () => {
    const chat = await env.chat('local')
    const run = await env.engine.startRun({
      accountId: chat.accountId,
      chatId: chat.chatId,
      kind: 'async',
      model: 'openai/not-configured',
      input: { messages: [] },
    })
    const events = await env.events(chat, run.id)
    expect(tail(events)[0]).toMatchObject({
      type: 'error',
      code: 'llm',
      message: expect.stringContaining('Available models: openai/gpt-test'),
    })
    expect(env.fake.requests).toHaveLength(0)
  })
})

it('a chat with no messages at all fails clearly without calling the model', async () => {
  const chat = await env.chat('local')
  const run = await env.engine.startRun({
    accountId: chat.accountId,
    chatId: chat.chatId,
    kind: 'async',
    model: 'default',
    input: {},
  })
  const events = await env.events(chat, run.id)
  expect(tail(events)[0]).toMatchObject({
    type: 'error',
    code: 'internal',
    message: 'The chat has no messages to respond to.',
  })
  expect(env.fake.requests).toHaveLength(0)
})

describe('demo model', () => {
  it('streams its clearly labelled message when no provider is configured', async () => {
    env.useExecutor({ models: createModelRegistry({}) })
    const chat = await env.chat('local')
    const run = await env.engine.startRun({
      accountId: chat.accountId,
      chatId: chat.chatId,
      kind: 'async',
      model: 'default',
      input: { messages: [userMessage('hello?')] },
    })
    const events = await env.events(chat, run.id)
    expect(events.at(-2)?.event).toEqual({ type: 'run_status', status: 'completed' })
    const text = textOf(events)
    expect(text).toBe(DEMO_MESSAGE)
    expect(text).toContain("Runyard's built-in demo model, not a real AI model")
    expect(text).toContain('OPENAI_API_KEY')
    expect(text).toContain('OPENAI_COMPATIBLE_BASE_URL')
    expect(events.filter((e) => e.event.type === 'text_delta').length).toBeGreaterThan(1)
    expect(env.fake.requests).toHaveLength(0)
    const assistant = (await env.messages(chat)).find((m) => m.id === assistantMessageIdForRun(run.id))!
    expect(assistant.parts).toEqual([{ type: 'step-start' }, { type: 'text', text: DEMO_MESSAGE, state: 'done' }])
  })
})
