// End to end through the real engine: a five-step coding scenario (write, run, read, grep,
// answer) in the local bubblewrap sandbox and in E2B (real SDK, fake E2B), the transcript it
// leaves, the history a second turn sends, and cancelling a long `bash`.
import { assistantMessageIdForRun } from '@runyard/contract'
import fs from 'node:fs'
import path from 'node:path'
import { fakeTurn } from '@runyard/testkit'
import { describe, expect, it, vi } from 'vitest'
import type { E2BSandboxState } from '../src/index.ts'
import { useAgentEnv, labels, textOf, toolResults, type SandboxChoice } from './support/agent-env.ts'
import { processAlive, uniqueSleep } from './support/processes.ts'

const env = useAgentEnv()

const SCRIPT = 'echo "sum=$((20 + 22))"\n'
const scenario = () => [
  fakeTurn.tool(
    'write',
    { path: 'calc.sh', content: SCRIPT },
    { id: 'call_w', reasoning: 'I will write a script.', usage: { input: 100, output: 10, cachedInput: 40 } },
  ),
  fakeTurn.tool('bash', { command: 'bash calc.sh' }, { id: 'call_b', usage: { input: 120, output: 8 } }),
  fakeTurn.tool('read', { path: 'calc.sh' }, { id: 'call_r', usage: { input: 130, output: 6, cachedInput: 100 } }),
  fakeTurn.tool('grep', { pattern: 'sum=', path: '.' }, { id: 'call_g', usage: { input: 140, output: 7 } }),
  fakeTurn.text('The script prints sum=42.', { usage: { input: 150, output: 5 } }),
]

describe.each<SandboxChoice>(['local', 'e2b'])('five-step scenario in the %s sandbox', (sandbox) => {
  it('streams events in order, sums usage, persists the transcript and sends it as history next turn', async () => {
    const chat = await env.chat(sandbox)
    env.fake.enqueue(...scenario())
    const { runId, events } = await env.run(
      chat,
      'Write calc.sh that prints 20+22, run it, check it and tell me the result.',
    )

    expect(events.at(-2)?.event).toEqual({ type: 'run_status', status: 'completed' })
    expect(labels(events)).toEqual([
      'reasoning_start',
      'call:write',
      'result:write',
      'step_finish',
      'call:bash',
      'result:bash',
      'step_finish',
      'call:read',
      'result:read',
      'step_finish',
      'call:grep',
      'result:grep',
      'step_finish',
      'step_finish',
    ])
    expect(textOf(events)).toBe('The script prints sum=42.')
    const results = toolResults(events)
    expect(results.every((r) => !r.isError)).toBe(true)
    expect(results[1]!.output).toContain('Exit code: 0')
    expect(results[1]!.output).toContain('sum=42')
    expect(results[2]!.output).toBe('1\techo "sum=$((20 + 22))"')
    expect(results[3]!.output).toBe('calc.sh:1:echo "sum=$((20 + 22))"')
    const calls = events.flatMap(({ event: e }) => (e.type === 'tool_call' ? [e] : []))
    expect(calls[0]).toMatchObject({ id: 'call_w', tool: 'write', input: { path: 'calc.sh', content: SCRIPT } })

    // run usage = sum of the step_finish events
    const run = await env.engine.getRun(chat.accountId, runId)
    expect(run).toMatchObject({
      status: 'completed',
      usage: { inputTokens: 640, outputTokens: 36, cacheRead: 140, cacheWrite: 0 },
    })
    const firstStep = events.find((e) => e.event.type === 'step_finish')?.event
    expect(firstStep).toEqual({
      type: 'step_finish',
      usage: { input_tokens: 100, output_tokens: 10, cache_read: 40, cache_write: 0 },
    })

    // the file really is in the sandbox's workspace
    if (sandbox === 'local') expect(fs.readFileSync(path.join(chat.workspace, 'calc.sh'), 'utf8')).toBe(SCRIPT)
    else {
      const session = await env.db.prisma.session.findUniqueOrThrow({ where: { id: chat.sessionId } })
      const state = session.sandboxState as unknown as E2BSandboxState
      expect(session.lifecycleState).toBe('active')
      const fakeSandbox = env.e2b.sandboxes.get(state.sandboxId)
      expect(fs.readFileSync(fakeSandbox!.hostPath('/home/user/workspace/calc.sh'), 'utf8')).toBe(SCRIPT)
    }

    // transcript: user message + one assistant message with every step, tool inputs and outputs
    const transcript = await env.messages(chat)
    expect(transcript.map((m) => m.role)).toEqual(['user', 'assistant'])
    const assistant = transcript[1]!
    expect(assistant.id).toBe(assistantMessageIdForRun(runId))
    expect(assistant.parts.map((p) => p.type)).toEqual([
      'step-start',
      'reasoning',
      'tool-write',
      'step-start',
      'tool-bash',
      'step-start',
      'tool-read',
      'step-start',
      'tool-grep',
      'step-start',
      'text',
    ])
    expect(assistant.parts[2]).toMatchObject({
      type: 'tool-write',
      toolCallId: 'call_w',
      state: 'output-available',
      input: { path: 'calc.sh' },
      output: expect.stringContaining('Created calc.sh'),
    })
    expect(assistant.parts[4]).toMatchObject({
      state: 'output-available',
      input: { command: 'bash calc.sh' },
      output: expect.stringContaining('sum=42'),
    })
    expect(assistant.parts.at(-1)).toEqual({ type: 'text', text: 'The script prints sum=42.', state: 'done' })

    // the second turn sends the whole first turn as history
    env.fake.enqueue(fakeTurn.text('You asked me to write calc.sh.'))
    const second = await env.run(chat, 'What did I ask you before?')
    expect(textOf(second.events)).toBe('You asked me to write calc.sh.')
    const request = env.fake.requests.at(-1)!
    const body = JSON.stringify(request.body)
    expect(body).toContain('Write calc.sh that prints 20+22')
    expect(body).toContain('The script prints sum=42.')
    expect(body).toContain('What did I ask you before?')
    expect(request.toolResults.map((r) => r.callId)).toEqual(['call_w', 'call_b', 'call_r', 'call_g'])
    expect(request.toolResults[1]!.output).toContain('sum=42')
    expect(request.toolNames).toEqual(
      expect.arrayContaining([
        'bash',
        'read',
        'write',
        'edit',
        'grep',
        'glob',
        'todo',
        'task',
        'ask_user_question',
        'skill',
        'fetch',
      ]),
    )
    expect((await env.messages(chat)).map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant'])
  })

  it('cancelling during a long bash kills the process and ends the run cancelled, keeping the partial transcript', async () => {
    const chat = await env.chat(sandbox)
    const marker = uniqueSleep()
    env.fake.enqueue(
      fakeTurn.tool('bash', { command: `echo started; sleep ${marker}` }, { id: 'call_sleep', text: 'Sleeping now.' }),
    )
    const runId = await env.start(chat, 'sleep for a while')
    await env.events(chat, runId, (e) => e.event.type === 'tool_call')
    await vi.waitFor(() => expect(processAlive(marker)).toBe(true), { timeout: 20_000, interval: 50 })

    const cancelled = await env.engine.cancelRun(chat.accountId, runId, { waitMs: 20_000 })
    expect(cancelled.status).toBe('cancelled')
    expect(processAlive(marker)).toBe(false)

    const events = await env.events(chat, runId)
    expect(events.slice(-3).map((e) => e.event.type)).toEqual(['error', 'run_status', 'done'])
    expect(textOf(events)).toBe('Sleeping now.')
    const transcript = await env.messages(chat)
    const assistant = transcript.find((m) => m.id === assistantMessageIdForRun(runId))
    expect(assistant?.parts).toEqual([
      { type: 'step-start' },
      { type: 'text', text: 'Sleeping now.', state: 'done' },
      expect.objectContaining({ type: 'tool-bash', toolCallId: 'call_sleep', state: 'output-error' }),
    ])
  })
})
