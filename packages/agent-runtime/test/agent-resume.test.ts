// Resume: a run interrupted after step 1 continues with step 2, sends step 1 as history and
// does not run step 1's tool again — through the engine's graceful hand-over, and directly
// with a context whose `resume` is set (including a partial step left in the transcript).
import { assistantMessageIdForRun } from '@runyard/contract'
import fs from 'node:fs'
import path from 'node:path'
import { createModelRegistry, createAgentExecutor } from '../src/index.ts'
import { collectRunEvents, fakeTurn } from '@runyard/testkit'
import { describe, expect, it } from 'vitest'
import { useAgentEnv, labels, textOf } from './support/agent-env.ts'
import { memoryRun } from './support/memory-context.ts'

const env = useAgentEnv()

const APPEND = 'echo one >> log.txt'

/** The agent executor against the fake OpenAI server, and a fresh workspace, for memoryRun contexts. */
function memoryExecutor() {
  const workspace = fs.mkdtempSync(path.join(env.tmp, 'mem-ws-'))
  const executor = createAgentExecutor({
    models: createModelRegistry({
      openai: { apiKey: 'sk-test', baseURL: env.fake.url },
      defaultModel: 'openai/gpt-test',
    }),
    sandboxes: env.providers,
    workspacesRoot: env.tmp,
    maxRetries: 0,
  })
  return { workspace, executor }
}

describe('resume after an interruption', () => {
  it('a run handed over by a gracefully stopped worker continues with step 2', async () => {
    const chat = await env.chat('local')
    env.fake.enqueue(
      fakeTurn.tool('bash', { command: APPEND }, { id: 'call_1', usage: { input: 10, output: 1 } }),
      fakeTurn.hang('step two, interrupted'),
      fakeTurn.text('Done after resuming.', { usage: { input: 20, output: 2 } }),
    )
    const first = env.engine
    const runId = await env.start(chat, 'append a line, then answer')
    await env.events(chat, runId, (e) => e.event.type === 'text_delta')
    expect(fs.readFileSync(path.join(chat.workspace, 'log.txt'), 'utf8')).toBe('one\n')
    await first.stop()

    const second = await env.startEngine()
    const events = await collectRunEvents(second.streamRunEvents(chat.accountId, runId))
    expect(events.at(-2)?.event).toEqual({ type: 'run_status', status: 'completed' })
    expect(labels(events)).toEqual(['call:bash', 'result:bash', 'step_finish', 'step_retry', 'step_finish'])
    expect(textOf(events)).toBe('step Done after resuming.')
    // step 1's command ran once
    expect(fs.readFileSync(path.join(chat.workspace, 'log.txt'), 'utf8')).toBe('one\n')
    expect(env.fake.requests).toHaveLength(3)
    const resumed = env.fake.requests[2]!
    expect(resumed.toolResults).toEqual([{ callId: 'call_1', output: expect.stringContaining('Exit code: 0') }])
    expect(JSON.stringify(resumed.body)).toContain('append a line, then answer')
    expect(JSON.stringify(resumed.body)).not.toContain('step two, interrupted')
    expect(await second.getRun(chat.accountId, runId)).toMatchObject({
      status: 'completed',
      attempt: 1,
      usage: { inputTokens: 30, outputTokens: 3 },
    })
    // the transcript has step 1 and the resumed step 2, not the interrupted partial text
    const assistant = (await env.messages(chat)).find((m) => m.id === assistantMessageIdForRun(runId))!
    expect(assistant.parts).toEqual([
      { type: 'step-start' },
      expect.objectContaining({ type: 'tool-bash', toolCallId: 'call_1', state: 'output-available' }),
      { type: 'step-start' },
      { type: 'text', text: 'Done after resuming.', state: 'done' },
    ])
  })

  it('a context with `resume` set skips completed steps and drops a partial step from the transcript', async () => {
    const { workspace, executor } = memoryExecutor()
    const mem = memoryRun({ runId: 'run_MEM1', workspacePath: workspace, userText: 'two tool steps then answer' })
    env.fake.enqueue(
      fakeTurn.tool('bash', { command: APPEND }, { id: 'call_1' }),
      fakeTurn.tool('bash', { command: 'sleep 5; echo two >> log.txt' }, { id: 'call_2', text: 'Second step.' }),
    )
    // attempt 1: stopped while step 2's tool runs (after its text was streamed)
    const ac = new AbortController()
    const outcome1 = await executor.execute(
      mem.context({
        signal: ac.signal,
        onEmit: (e) => {
          if (e.type === 'tool_call' && e.id === 'call_2') ac.abort(new Error('worker shutting down'))
        },
      }),
    )
    expect(outcome1).toEqual({ status: 'cancelled' })
    expect(mem.checkpoints).toEqual([{ v: 1, messageId: 'msg_MEM1', steps: 1, parts: 2, finished: false }])
    // what the interrupted attempt saved includes the partial step 2
    expect(mem.messages[1]!.parts.map((p) => p.type)).toEqual([
      'step-start',
      'tool-bash',
      'step-start',
      'text',
      'tool-bash',
    ])

    // attempt 2 resumes from the checkpoint
    env.fake.enqueue(fakeTurn.text('All done.'))
    const before = mem.events.length
    const outcome2 = await executor.execute(mem.context({ resumed: true }))
    expect(outcome2).toEqual({ status: 'completed' })
    expect(mem.events.slice(before).map((e) => e.type)).toEqual(['text_delta', 'text_delta', 'step_finish'])
    expect(fs.readFileSync(path.join(workspace, 'log.txt'), 'utf8')).toBe('one\n')
    const request = env.fake.requests.at(-1)!
    expect(request.toolResults.map((r) => r.callId)).toEqual(['call_1'])
    expect(JSON.stringify(request.body)).not.toContain('Second step.')
    expect(mem.messages).toHaveLength(2)
    expect(mem.messages[1]!.parts).toEqual([
      { type: 'step-start' },
      expect.objectContaining({ type: 'tool-bash', toolCallId: 'call_1', state: 'output-available' }),
      { type: 'step-start' },
      { type: 'text', text: 'All done.', state: 'done' },
    ])
    expect(mem.checkpoints.at(-1)).toEqual({ v: 1, messageId: 'msg_MEM1', steps: 2, parts: 4, finished: true })

    // a third attempt after the loop had finished does nothing
    const requests = env.fake.requests.length
    expect(await executor.execute(mem.context({ resumed: true }))).toEqual({ status: 'completed' })
    expect(env.fake.requests).toHaveLength(requests)
  })

  it('a resumed attempt without any checkpoint starts the run over', async () => {
    const { workspace, executor } = memoryExecutor()
    const mem = memoryRun({ runId: 'run_MEM2', workspacePath: workspace, userText: 'hi' })
    mem.messages.push({
      id: 'msg_MEM2',
      role: 'assistant',
      parts: [{ type: 'step-start' }, { type: 'text', text: 'stale partial', state: 'done' }],
    })
    env.fake.enqueue(fakeTurn.text('fresh'))
    expect(await executor.execute(mem.context({ resumed: true }))).toEqual({ status: 'completed' })
    expect(JSON.stringify(env.fake.requests[0]!.body)).not.toContain('stale partial')
    expect(mem.messages[1]!.parts).toEqual([{ type: 'step-start' }, { type: 'text', text: 'fresh', state: 'done' }])
  })
  it('emits each step_finish together with its checkpoint, which stores the message of its step (never a step_finish the log holds without one)', async () => {
    const { workspace, executor } = memoryExecutor()
    const mem = memoryRun({ runId: 'run_MEM3', workspacePath: workspace, userText: 'one tool step then answer' })
    env.fake.enqueue(fakeTurn.tool('bash', { command: 'true' }, { id: 'call_1' }), fakeTurn.text('Answer.'))
    expect(await executor.execute(mem.context({}))).toEqual({ status: 'completed' })
    const around = mem.calls.flatMap((c, i) => (c === 'emit:step_finish' ? [mem.calls.slice(i, i + 2)] : []))
    expect(around).toEqual([
      ['emit:step_finish', 'checkpoint'],
      ['emit:step_finish', 'checkpoint'],
    ])
    // each checkpoint carried the message as it was at its step's end; nothing was left to save after the loop
    expect(mem.calls).not.toContain('save')
    expect(mem.messages[1]!.parts.at(-1)).toEqual({ type: 'text', text: 'Answer.', state: 'done' })
    expect(mem.checkpoints.at(-1)).toMatchObject({ steps: 2, parts: mem.messages[1]!.parts.length, finished: true })
  })

  it('saves again after the loop when the message changed after its last step (a cancelled tool call)', async () => {
    const { workspace, executor } = memoryExecutor()
    const mem = memoryRun({ runId: 'run_MEM4', workspacePath: workspace, userText: 'start a long command' })
    const controller = new AbortController()
    env.fake.enqueue(fakeTurn.tool('bash', { command: 'sleep 30' }, { id: 'call_1' }))
    const outcome = executor.execute(
      mem.context({
        signal: controller.signal,
        onEmit: (e) => {
          if (e.type === 'tool_call') setTimeout(() => controller.abort(), 50)
        },
      }),
    )
    expect(await outcome).toEqual({ status: 'cancelled' })
    expect(mem.calls.filter((c) => c === 'save').length).toBeGreaterThanOrEqual(1)
    expect(mem.messages[1]!.parts).toContainEqual(
      expect.objectContaining({ type: 'tool-bash', toolCallId: 'call_1', state: 'output-error' }),
    )
  })
})
