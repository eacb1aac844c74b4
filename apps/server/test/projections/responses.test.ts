// The Responses projection as SSE, fed stored events: `event:` the type, `id:` the
// sequence_number, resuming after any sequence_number, and a failure reported as `event: error`.
// (The projection's events and snapshots themselves: responses-projection.test.ts.)
import { AppError, type RunEvent } from '@runyard/contract'
import { describe, expect, it } from 'vitest'
import { ResponseProjection, type ResponseHeader } from '../../src/projections/responses.ts'
import { projectEvents } from '../../src/projections/sse-projection.ts'
import { collect, replay, storedLog, usage } from './stored-log.ts'

const header: ResponseHeader = {
  id: 'resp_R',
  runId: 'run_R',
  chatId: 'chat_R',
  sessionId: 'sess_R',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  model: 'm',
  instructions: null,
  metadata: null,
  previousResponseId: null,
  background: false,
  store: true,
  settings: {},
}

const events: RunEvent[] = [
  { type: 'run_status', status: 'queued' },
  { type: 'run_status', status: 'running', attempt: 1 },
  { type: 'text_delta', delta: 'a' },
  { type: 'tool_call', id: 'c1', tool: 'read', input: { path: 'x' } },
  { type: 'tool_result', id: 'c1', tool: 'read', output: 'y', isError: false },
  { type: 'step_finish', usage: usage(3, 4) },
  { type: 'run_status', status: 'completed' },
  { type: 'done' },
]
const log = storedLog('run_R', events)

describe('ResponseProjection as SSE frames', () => {
  it('sends every event it projects as `event: <type>`, `id: <sequence_number>`, one page per stored event', async () => {
    const pages = await collect(projectEvents(replay(log), new ResponseProjection(header)))
    const reference = new ResponseProjection(header)
    // the log's `done` also ends the stream with the literal [DONE] (Open Responses)
    const done = (e: (typeof log)[number]) => (e.event.type === 'done' ? [{ data: '[DONE]' }] : [])
    expect(pages).toEqual(
      log.map((e) => [
        ...reference
          .apply(e)
          .map((event) => ({ event: event.type, id: event.sequence_number, data: JSON.stringify(event) })),
        ...done(e),
      ]),
    )
    const numbered = pages.flat().filter((f) => f.id !== undefined)
    expect(numbered.map((f) => f.id)).toEqual(numbered.map((_, i) => i))
    expect(pages.flat().at(-1)).toEqual({ data: '[DONE]' })
    expect(pages[0]!.map((f) => f.event)).toEqual(['response.created', 'response.in_progress'])
    expect(pages.at(-2)!.at(-1)!.event).toBe('response.completed')
  })

  it('resumed after a sequence_number, sends exactly the frames that follow it', () => {
    const all = (() => {
      const p = new ResponseProjection(header)
      return log.flatMap((e) => p.frames(e))
    })()
    for (let startingAfter = -1; startingAfter < all.length; startingAfter++) {
      const resumed = new ResponseProjection(header, startingAfter)
      expect(log.flatMap((e) => resumed.frames(e))).toEqual(
        all.filter((f) => f.id === undefined || Number(f.id) > startingAfter),
      )
    }
  })

  it('reports a failure as `event: error` numbered after the last event projected (sent or not), without an id', () => {
    const p = new ResponseProjection(header, 100)
    const projected = log.slice(0, 3).flatMap((e) => p.apply(e)).length
    const fields = { code: 'unavailable', message: 'The database is unavailable', param: null }
    expect(p.failure(new AppError('unavailable', 'unavailable', 'The database is unavailable'))).toEqual([
      {
        event: 'error',
        data: JSON.stringify({
          type: 'error',
          error: { type: 'service_unavailable_error', ...fields },
          ...fields,
          sequence_number: projected,
        }),
      },
      { data: '[DONE]' },
    ])
    expect(new ResponseProjection(header).failure(new AppError('internal', 'internal', 'x'))[0]!.data).toContain(
      '"sequence_number":0',
    )
  })
})
