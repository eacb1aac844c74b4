// The CometCode SSE stream: a projection of the run's event log onto CometCode's frames, one
// `data:` frame (no `id:`, no `event:`) per event sent. Stateless: the stream always replays the
// run from its first event.
//
// Projection decisions (the seed's frames have no notion of these):
// - `run_status` is internal and never sent.
// - `step_retry` (a worker was lost mid-step and the step is redone) is not sent: CometCode has no
//   frame to retract what was already streamed, so a client may see the interrupted step's partial
//   output followed by the redone step. The stored transcript (`GET …/messages`) keeps only the
//   redone step.
// - Nested sub-agent events (`parentToolCallId`) are not sent — the `task` tool's own
//   `tool_call`/`tool_result` frames stand for the sub-agent — except `step_finish`, whose usage
//   is forwarded so that the streamed usage adds up to what the session's `token_usage` counts.
// - `tool_result.isError` has no field in the seed's frame; the output text carries the error.
// - A cancelled run ends with the engine's `error{code:"cancelled"}` then `done`.
import type { AppError, RunEvent } from '@runyard/contract'
import type { SseFrame } from '../http/sse.ts'
import type { CometStreamEvent } from '../surfaces/cometcode/schemas.ts'
import { toolInput } from '../surfaces/opaque-json.ts'
import type { SseProjection } from './sse-projection.ts'

/** The CometCode frame of one run event, or undefined when it is not sent. */
export function toCometFrame(e: RunEvent): CometStreamEvent | undefined {
  if ('parentToolCallId' in e && e.parentToolCallId !== undefined && e.type !== 'step_finish') return undefined
  switch (e.type) {
    case 'text_delta':
      return { type: 'text_delta', delta: e.delta }
    case 'reasoning_start':
      return { type: 'reasoning_start' }
    case 'reasoning_delta':
      return { type: 'reasoning_delta', text: e.text }
    case 'tool_call':
      // The input was stored as JSON, so it is a JSON value; a missing one is sent as `{}`.
      return { type: 'tool_call', id: e.id, tool: e.tool, input: toolInput(e.input) }
    case 'tool_result':
      return { type: 'tool_result', id: e.id, tool: e.tool, output: e.output }
    case 'step_finish': {
      const u = e.usage
      return {
        type: 'step_finish',
        usage: {
          input_tokens: u.input_tokens,
          output_tokens: u.output_tokens,
          cache_read: u.cache_read,
          cache_write: u.cache_write,
        },
      }
    }
    case 'error':
      return { type: 'error', message: e.message, code: e.code }
    case 'done':
      return { type: 'done' }
    case 'run_status':
    case 'step_retry':
      return undefined
  }
}

const frameOf = (event: CometStreamEvent): SseFrame => ({ data: JSON.stringify(event) })

export const cometCodeProjection: SseProjection = {
  frames(stored) {
    const frame = toCometFrame(stored.event)
    return frame ? [frameOf(frame)] : []
  },
}

/**
 * A failure once the stream is open (its status line is gone), reported the way CometCode streams
 * report failures: `error`, then `done`.
 */
export function cometCodeFailure(error: AppError): SseFrame[] {
  return [
    frameOf({
      type: 'error',
      message: `${error.message} (the run continues; read the session later)`,
      code: error.code === 'internal' ? 'internal_error' : error.code,
    }),
    frameOf({ type: 'done' }),
  ]
}
