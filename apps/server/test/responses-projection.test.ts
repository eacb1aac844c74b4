// The Responses projection as a pure function of the event log: determinism and prefix
// stability (what makes `starting_after` resumption exact), reasoning items, failures,
// sub-agent events, and a worker-lost step retry.
import type { RunEvent, StoredRunEvent } from '@runyard/contract'
import { describe, expect, it } from 'vitest'
import { projectResponse, ResponseProjection, type ResponseHeader } from '../src/projections/responses.ts'
import { ResponseObject, StreamEvent } from '../src/surfaces/responses/schemas.ts'

const header: ResponseHeader = {
  id: 'resp_ABC',
  runId: 'run_ABC',
  chatId: 'chat_1',
  sessionId: 'sess_1',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  model: 'm',
  instructions: null,
  metadata: null,
  previousResponseId: null,
  background: false,
  store: true,
  settings: {},
}

const log = (...events: RunEvent[]): StoredRunEvent[] =>
  events.map((event, i) => ({
    runId: 'run_ABC',
    seq: i + 1,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    event,
  }))

const project = (events: StoredRunEvent[]) => {
  const p = new ResponseProjection(header)
  return { events: events.flatMap((e) => p.apply(e)), snapshot: p.snapshot() }
}

const usage = (input: number, output: number) => ({
  input_tokens: input,
  output_tokens: output,
  cache_read: 0,
  cache_write: 0,
})

describe('ResponseProjection', () => {
  const full = log(
    { type: 'run_status', status: 'queued' },
    { type: 'run_status', status: 'running', attempt: 1 },
    { type: 'reasoning_start' },
    { type: 'reasoning_delta', text: 'think' },
    { type: 'text_delta', delta: 'a' },
    { type: 'tool_call', id: 'c1', tool: 'task', input: { prompt: 'sub' } },
    { type: 'text_delta', delta: 'inner', parentToolCallId: 'c1' },
    { type: 'step_finish', usage: usage(5, 1), parentToolCallId: 'c1' },
    { type: 'tool_result', id: 'c1', tool: 'task', output: 'sub done', isError: false },
    { type: 'step_finish', usage: usage(10, 2) },
    { type: 'text_delta', delta: 'b' },
    { type: 'step_finish', usage: usage(20, 3) },
    { type: 'run_status', status: 'completed' },
    { type: 'done' },
  )

  it('is deterministic and prefix-stable: the events of a prefix are a prefix of the events of the whole', () => {
    const whole = project(full).events
    expect(project(full).events).toEqual(whole)
    for (let n = 0; n <= full.length; n++) {
      const part = project(full.slice(0, n)).events
      expect(whole.slice(0, part.length)).toEqual(part)
    }
    expect(whole.map((e) => e.sequence_number)).toEqual(whole.map((_, i) => i))
    for (const e of whole) StreamEvent.parse(e)
  })

  it('projects reasoning, text and tools into items; sub-agent events only add tokens', () => {
    const { snapshot, events } = project(full)
    ResponseObject.parse(snapshot)
    expect(snapshot.output.map((i) => [i.type, i.status])).toEqual([
      ['reasoning', 'completed'],
      ['message', 'completed'],
      ['function_call', 'completed'],
      ['function_call_output', 'completed'],
      ['message', 'completed'],
    ])
    expect(snapshot.output[0]).toMatchObject({ content: [{ type: 'reasoning_text', text: 'think' }] })
    expect(snapshot.output_text).toBe('ab')
    expect(snapshot.usage).toMatchObject({ input_tokens: 35, output_tokens: 6, total_tokens: 41 })
    expect(snapshot.completed_at).toBe(Date.UTC(2026, 0, 1, 0, 0, 12) / 1000)
    expect(events.filter((e) => e.type === 'response.reasoning.delta')).toHaveLength(1)
    expect(JSON.stringify(events)).not.toContain('inner')
    expect(projectResponse(header, full)).toEqual(snapshot)
  })

  it('a failed run ends with response.failed carrying the error; open items end incomplete', () => {
    const { events, snapshot } = project(
      log(
        { type: 'run_status', status: 'queued' },
        { type: 'run_status', status: 'running' },
        { type: 'text_delta', delta: 'par' },
        { type: 'error', code: 'llm', message: 'provider said no' },
        { type: 'run_status', status: 'failed' },
        { type: 'done' },
      ),
    )
    expect(events.at(-1)).toMatchObject({ type: 'response.failed', response: { status: 'failed' } })
    expect(snapshot).toMatchObject({
      status: 'failed',
      completed_at: null,
      error: { code: 'server_error', message: 'provider said no', type: 'llm', param: null },
      output_text: 'par',
    })
    expect(snapshot.output[0]).toMatchObject({ status: 'incomplete' })
  })

  it('a step_retry drops the interrupted step from the response; the redone step takes its indexes', () => {
    const { events, snapshot } = project(
      log(
        { type: 'run_status', status: 'queued' },
        { type: 'run_status', status: 'running', attempt: 1 },
        { type: 'text_delta', delta: 'kept' },
        { type: 'step_finish', usage: usage(1, 1) },
        { type: 'text_delta', delta: 'lost' },
        { type: 'tool_call', id: 'c9', tool: 'bash', input: {} },
        { type: 'step_retry', attempt: 2 },
        { type: 'run_status', status: 'running', attempt: 2 },
        { type: 'text_delta', delta: 'redone' },
        { type: 'step_finish', usage: usage(1, 1) },
        { type: 'run_status', status: 'completed' },
        { type: 'done' },
      ),
    )
    expect(snapshot.output_text).toBe('keptredone')
    expect(snapshot.output.map((i) => i.type)).toEqual(['message', 'message'])
    expect(events.filter((e) => e.type === 'response.in_progress')).toHaveLength(1)
    const added = events.flatMap((e) =>
      e.type === 'response.output_item.added' ? [[e.output_index, e.item.type]] : [],
    )
    expect(added).toEqual([
      [0, 'message'],
      [1, 'message'],
      [2, 'function_call'],
      [1, 'message'],
    ])
  })
})
