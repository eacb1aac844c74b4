// The CometCode projection, fed stored events: one `data:` frame (no id, no event name) per event
// it sends, and a failure reported as `error` then `done`.
import { AppError, type RunEvent } from '@runyard/contract'
import { describe, expect, it } from 'vitest'
import { cometCodeFailure, cometCodeProjection } from '../../src/projections/cometcode.ts'
import { projectEvents } from '../../src/projections/sse-projection.ts'
import { collect, replay, storedLog, usage } from './stored-log.ts'

const data = (frame: object) => ({ data: JSON.stringify(frame) })

describe('cometCodeProjection', () => {
  it('sends one data frame per event it keeps, in log order', async () => {
    const events: RunEvent[] = [
      { type: 'run_status', status: 'queued' },
      { type: 'run_status', status: 'running', attempt: 1 },
      { type: 'reasoning_start' },
      { type: 'reasoning_delta', text: 'plan' },
      { type: 'tool_call', id: 'tc_1', tool: 'task', input: { prompt: 'sub' } },
      { type: 'text_delta', delta: 'nested', parentToolCallId: 'tc_1' },
      { type: 'step_finish', usage: usage(5, 6), parentToolCallId: 'tc_1' },
      { type: 'tool_result', id: 'tc_1', tool: 'task', output: 'ok', isError: false },
      { type: 'text_delta', delta: 'Done.' },
      { type: 'step_retry', attempt: 2 },
      { type: 'step_finish', usage: usage(1, 2) },
      { type: 'error', code: 'llm', message: 'provider said no' },
      { type: 'run_status', status: 'failed' },
      { type: 'done' },
    ]
    const pages = await collect(projectEvents(replay(storedLog('run_c', events)), cometCodeProjection))
    expect(pages).toEqual([
      [],
      [],
      [data({ type: 'reasoning_start' })],
      [data({ type: 'reasoning_delta', text: 'plan' })],
      [data({ type: 'tool_call', id: 'tc_1', tool: 'task', input: { prompt: 'sub' } })],
      [],
      [data({ type: 'step_finish', usage: usage(5, 6) })],
      [data({ type: 'tool_result', id: 'tc_1', tool: 'task', output: 'ok' })],
      [data({ type: 'text_delta', delta: 'Done.' })],
      [],
      [data({ type: 'step_finish', usage: usage(1, 2) })],
      [data({ type: 'error', message: 'provider said no', code: 'llm' })],
      [],
      [data({ type: 'done' })],
    ])
  })

  it('reports a failure as `error` then `done`, in CometCode error codes', () => {
    expect(cometCodeFailure(new AppError('internal', 'internal', 'Internal server error'))).toEqual([
      data({
        type: 'error',
        message: 'Internal server error (the run continues; read the session later)',
        code: 'internal_error',
      }),
      data({ type: 'done' }),
    ])
    expect(cometCodeFailure(new AppError('unavailable', 'unavailable', 'The database is unavailable'))[0]).toEqual(
      data({
        type: 'error',
        message: 'The database is unavailable (the run continues; read the session later)',
        code: 'unavailable',
      }),
    )
  })
})
