// Projects a run's event log onto the AI SDK UI-message stream protocol (what `useChat` reads).
// A pure function of the log: replaying from seq 1 always yields the same chunks, so a stream can
// be resumed after any event. Each event's chunks carry that event's seq as their SSE id.
// The chunks are typed as the subset of the AI SDK's `UIMessageChunk` Runyard documents
// (`UiMessageStreamChunk`). The SDK's own SSE helpers (`JsonToSseTransformStream`,
// `pipeUIMessageStreamToResponse`) are not used: they send no `id:`, which resuming needs.
import { assistantMessageIdForRun, type RunEvent, type StoredRunEvent } from '@runyard/contract'
import type { SseFrame } from '../http/sse.ts'
import { toolInput } from '../surfaces/opaque-json.ts'
import type { UiMessageStreamChunk } from '../surfaces/chat/ui-message-schemas.ts'
import type { SseProjection } from './sse-projection.ts'

/**
 * The response headers of a UI-message stream: the AI SDK's own `UI_MESSAGE_STREAM_HEADERS`,
 * written out here because importing them from `ai` would load the whole SDK with the server's
 * surfaces before it listens (the agent loads it once listening; issue #21).
 * chat-ui-stream.test.ts checks that they are still the SDK's.
 */
export const UI_MESSAGE_STREAM_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-vercel-ai-ui-message-stream': 'v1',
  'x-accel-buffering': 'no',
}

/** The stream's last frame, after the run's `done` (literal text, no `id:`). */
const DONE_FRAME: SseFrame = { data: '[DONE]' }

export class UiMessageProjection implements SseProjection {
  private text: string | undefined
  private reasoning: string | undefined
  private inStep = false
  private started = false

  /** `after`: the last event seq the client has; the frames of events up to it are not sent. */
  constructor(
    private readonly runId: string,
    private readonly after = 0,
  ) {}

  /**
   * One frame per chunk with the event's seq as id, and `[DONE]` after the run's `done`. Events
   * up to `after` still advance the projection (its parts span events) but send nothing.
   */
  frames(stored: StoredRunEvent): SseFrame[] {
    const chunks = this.next(stored)
    if (stored.seq <= this.after) return []
    const frames: SseFrame[] = chunks.map((chunk) => ({ id: stored.seq, data: JSON.stringify(chunk) }))
    if (stored.event.type === 'done') frames.push(DONE_FRAME)
    return frames
  }

  /** Chunks for one stored event (possibly none). */
  next(stored: StoredRunEvent): UiMessageStreamChunk[] {
    const out: UiMessageStreamChunk[] = []
    const e: RunEvent = stored.event
    if (!this.started) {
      this.started = true
      out.push({ type: 'start', messageId: assistantMessageIdForRun(this.runId) })
    }
    // Sub-agent (task tool) events are summarised by the task's own tool result.
    if ('parentToolCallId' in e && e.parentToolCallId) return out
    const step = () => {
      if (!this.inStep) {
        this.inStep = true
        out.push({ type: 'start-step' })
      }
    }
    const closeText = () => {
      if (this.text) out.push({ type: 'text-end', id: this.text })
      this.text = undefined
    }
    const closeReasoning = () => {
      if (this.reasoning) out.push({ type: 'reasoning-end', id: this.reasoning })
      this.reasoning = undefined
    }
    const closeStep = () => {
      closeText()
      closeReasoning()
      if (this.inStep) out.push({ type: 'finish-step' })
      this.inStep = false
    }
    switch (e.type) {
      case 'text_delta':
        step()
        closeReasoning()
        if (!this.text) out.push({ type: 'text-start', id: (this.text = `text_${stored.seq}`) })
        out.push({ type: 'text-delta', id: this.text, delta: e.delta })
        break
      case 'reasoning_start':
        step()
        closeText()
        closeReasoning()
        out.push({ type: 'reasoning-start', id: (this.reasoning = `reasoning_${stored.seq}`) })
        break
      case 'reasoning_delta':
        step()
        if (!this.reasoning) out.push({ type: 'reasoning-start', id: (this.reasoning = `reasoning_${stored.seq}`) })
        out.push({ type: 'reasoning-delta', id: this.reasoning, delta: e.text })
        break
      case 'tool_call':
        step()
        closeText()
        closeReasoning()
        out.push({ type: 'tool-input-available', toolCallId: e.id, toolName: e.tool, input: toolInput(e.input) })
        break
      case 'tool_result':
        step()
        out.push(
          e.isError
            ? { type: 'tool-output-error', toolCallId: e.id, errorText: e.output }
            : { type: 'tool-output-available', toolCallId: e.id, output: e.output },
        )
        break
      case 'step_finish':
        closeStep()
        break
      case 'step_retry':
        // The interrupted step's parts are dropped; the step is redone by the next attempt.
        closeText()
        closeReasoning()
        if (this.inStep) out.push({ type: 'reset-step' })
        this.inStep = false
        break
      case 'error':
        closeStep()
        if (e.code === 'cancelled') out.push({ type: 'abort', reason: e.message })
        else out.push({ type: 'error', errorText: `${e.code}: ${e.message}` })
        break
      case 'run_status':
        if (e.status === 'completed') {
          closeStep()
          out.push({ type: 'finish', finishReason: 'stop' })
        } else if (e.status === 'failed' || e.status === 'cancelled') closeStep()
        break
      case 'done':
        break
    }
    return out
  }
}
