// The AI SDK UI-message stream projection, fed stored events: frames (one per chunk, `id:` = the
// event's seq, `[DONE]` last), one page per event, and resuming after any event.
import { assistantMessageIdForRun, type RunEvent } from '@runyard/contract'
import { describe, expect, it } from 'vitest'
import { projectEvents } from '../../src/projections/sse-projection.ts'
import { UiMessageProjection } from '../../src/projections/ui-message.ts'
import { collect, replay, storedLog, usage } from './stored-log.ts'

const events: RunEvent[] = [
  { type: 'run_status', status: 'queued' },
  { type: 'run_status', status: 'running', attempt: 1 },
  { type: 'text_delta', delta: 'Hi' },
  { type: 'text_delta', delta: ' there' },
  { type: 'tool_call', id: 'call_1', tool: 'read', input: { path: 'a' } },
  { type: 'tool_result', id: 'call_1', tool: 'read', output: 'x', isError: false },
  { type: 'step_finish', usage: usage(1, 2) },
  { type: 'run_status', status: 'completed' },
  { type: 'done' },
]
const log = storedLog('run_x', events)
const chunk = (seq: number, c: object) => ({ id: seq, data: JSON.stringify(c) })

describe('UiMessageProjection as SSE frames', () => {
  it("sends each event's chunks under its seq, one page per event, then [DONE]", async () => {
    const pages = await collect(projectEvents(replay(log), new UiMessageProjection('run_x')))
    expect(pages).toEqual([
      [chunk(1, { type: 'start', messageId: assistantMessageIdForRun('run_x') })],
      [],
      [
        chunk(3, { type: 'start-step' }),
        chunk(3, { type: 'text-start', id: 'text_3' }),
        chunk(3, { type: 'text-delta', id: 'text_3', delta: 'Hi' }),
      ],
      [chunk(4, { type: 'text-delta', id: 'text_3', delta: ' there' })],
      [
        chunk(5, { type: 'text-end', id: 'text_3' }),
        chunk(5, { type: 'tool-input-available', toolCallId: 'call_1', toolName: 'read', input: { path: 'a' } }),
      ],
      [chunk(6, { type: 'tool-output-available', toolCallId: 'call_1', output: 'x' })],
      [chunk(7, { type: 'finish-step' })],
      [chunk(8, { type: 'finish', finishReason: 'stop' })],
      [{ data: '[DONE]' }],
    ])
  })

  it('resumed after an event, sends exactly what follows it, with the state the earlier events built', () => {
    const whole = new UiMessageProjection('run_x')
    const all = log.map((e) => whole.frames(e))
    for (let after = 0; after <= log.length; after++) {
      const resumed = new UiMessageProjection('run_x', after)
      expect(log.map((e) => resumed.frames(e))).toEqual(all.map((page, i) => (i < after ? [] : page)))
    }
  })

  it('the frames carry exactly the chunks `next` projects', () => {
    const chunks = new UiMessageProjection('run_x')
    const frames = new UiMessageProjection('run_x')
    for (const e of log) {
      const sent = frames.frames(e).filter((f) => f.data !== '[DONE]')
      expect(sent.map((f) => JSON.parse(f.data))).toEqual(chunks.next(e))
    }
  })
})
