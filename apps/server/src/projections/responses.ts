// Projects a run's event log onto the Responses API: the stream of OpenAI events and the
// response object. A pure, deterministic function of (static header, log prefix): the same log
// always yields the same events with the same `sequence_number`s (0, 1, 2, … in emission order),
// so `starting_after=N` is answered by replaying the log from seq 1 and skipping numbers <= N,
// and a retrieved response is the same snapshot the stream's last event carries.
import type { AppError, RunEvent, StoredRunEvent } from '@runyard/contract'
import type { SseFrame } from '../http/sse.ts'
import { OPENAI_ERROR_TYPES } from '../http/error-shapes.ts'
import {
  CANCELLED_EVENT,
  type OutputItem,
  type OutputMessageItem,
  type ReasoningItem,
  type ResponseObject,
  type ResponseStatus,
  type StreamEvent,
} from '../surfaces/responses/schemas.ts'
import type { SseProjection } from './sse-projection.ts'

/** What the response object shows that the log does not carry (fixed when the run is admitted). */
export interface ResponseHeader {
  id: string
  runId: string
  chatId: string
  sessionId: string
  createdAt: Date
  model: string
  instructions: string | null
  metadata: Record<string, string> | null
  previousResponseId: string | null
  background: boolean
  store: boolean
  /** The request's settings as the response reports them (tools, tool choice, sampling…). */
  settings: Partial<ResponseSettings>
}

/** The response fields that echo the request's settings. */
export type ResponseSettings = Pick<
  ResponseObject,
  | 'tools'
  | 'tool_choice'
  | 'parallel_tool_calls'
  | 'temperature'
  | 'top_p'
  | 'presence_penalty'
  | 'frequency_penalty'
  | 'top_logprobs'
  | 'max_output_tokens'
  | 'max_tool_calls'
  | 'service_tier'
  | 'safety_identifier'
  | 'prompt_cache_key'
  | 'truncation'
  | 'text'
  | 'reasoning'
>

type Emitted = StreamEvent
type WithoutSeq<T> = T extends unknown ? Omit<T, 'sequence_number'> : never
type Open<T> = { index: number; item: T }
type Emit = (e: WithoutSeq<Emitted>) => void
/** The items that carry one content part while they are open. */
type PartItem = OutputMessageItem | ReasoningItem
type ItemEnd = 'completed' | 'incomplete'

/** Where an open item's one content part is, as the events about that part say it. */
const partOf = (open: Open<PartItem>) => ({ item_id: open.item.id, output_index: open.index, content_index: 0 })

/** What a response reports for the settings its request left out (OpenAI's documented defaults). */
export const DEFAULT_SETTINGS: ResponseSettings = {
  tools: [],
  tool_choice: 'auto',
  parallel_tool_calls: true,
  temperature: 1,
  top_p: 1,
  presence_penalty: 0,
  frequency_penalty: 0,
  top_logprobs: 0,
  max_output_tokens: null,
  max_tool_calls: null,
  service_tier: 'default',
  safety_identifier: null,
  prompt_cache_key: null,
  truncation: 'disabled',
  text: { format: { type: 'text' } },
  reasoning: null,
}

const TERMINAL_EVENT = {
  completed: 'response.completed',
  failed: 'response.failed',
  cancelled: CANCELLED_EVENT,
} as const

export class ResponseProjection implements SseProjection {
  private seq = 0
  private status: ResponseStatus = 'queued'
  private created = false
  private readonly output: OutputItem[] = []
  private message: Open<OutputMessageItem> | undefined
  private reasoning: Open<ReasoningItem> | undefined
  /** Output length at the last completed top-level step: a `step_retry` drops what follows. */
  private checkpoint = 0
  private usage = { input: 0, output: 0, cached: 0, cacheWrite: 0 }
  private error: ResponseObject['error'] = null
  private completedAt: number | null = null
  private readonly idStem: string

  /** `startingAfter`: the last `sequence_number` the client has; the events up to it are not sent. */
  constructor(
    private readonly header: ResponseHeader,
    private readonly startingAfter = -1,
  ) {
    this.idStem = header.runId.replace(/^run_/, '')
    // As OpenAI: a foreground response is in progress from the start; only a background one is queued first.
    if (!header.background) this.status = 'in_progress'
  }

  /** The events as SSE frames (`event:` its type, `id:` its `sequence_number`); the literal `[DONE]` ends the stream. */
  frames(stored: StoredRunEvent): SseFrame[] {
    const frames: SseFrame[] = []
    for (const event of this.apply(stored)) {
      if (event.sequence_number > this.startingAfter)
        frames.push({ event: event.type, id: event.sequence_number, data: JSON.stringify(event) })
    }
    if (stored.event.type === 'done') frames.push({ data: '[DONE]' })
    return frames
  }

  /**
   * A failure once the stream is open (its status line is gone), reported in-band as OpenAI does
   * (the SDK raises it as an APIError), numbered after the last event projected.
   */
  failure(error: AppError): SseFrame[] {
    const fields = { code: error.code, message: error.message, param: null }
    const event = {
      type: 'error',
      error: { type: OPENAI_ERROR_TYPES[error.kind], ...fields },
      ...fields,
      sequence_number: this.seq,
    }
    return [{ event: 'error', data: JSON.stringify(event) }, { data: '[DONE]' }]
  }

  /** The OpenAI events one stored event projects to (possibly none). */
  apply(stored: StoredRunEvent): Emitted[] {
    const out: Emitted[] = []
    const emit = (e: WithoutSeq<Emitted>) => out.push({ ...structuredClone(e), sequence_number: this.seq++ })
    if (!this.created) {
      this.created = true
      emit({ type: 'response.created', response: this.snapshot() })
      if (this.status === 'in_progress') emit({ type: 'response.in_progress', response: this.snapshot() })
    }
    const e: RunEvent = stored.event
    // Sub-agent (task tool) work is summarised by the task's own tool result; its tokens still count.
    if ('parentToolCallId' in e && e.parentToolCallId) {
      if (e.type === 'step_finish') this.addUsage(e.usage)
      return out
    }
    switch (e.type) {
      case 'run_status':
        if (e.status === 'running' && this.status === 'queued') {
          this.status = 'in_progress'
          emit({ type: 'response.in_progress', response: this.snapshot() })
        } else if (e.status === 'completed' || e.status === 'failed' || e.status === 'cancelled') {
          const itemStatus = e.status === 'completed' ? 'completed' : 'incomplete'
          this.closeParts(emit, itemStatus)
          this.status = e.status
          if (e.status === 'completed') this.completedAt = seconds(new Date(stored.createdAt))
          if (e.status === 'failed')
            this.error ??= { code: 'server_error', message: 'The run failed.', type: 'internal', param: null }
          emit({ type: TERMINAL_EVENT[e.status], response: this.snapshot() })
        }
        break
      case 'text_delta': {
        this.closeReasoning(emit, 'completed')
        const m = this.openMessage(emit, stored.seq)
        m.item.content[0]!.text += e.delta
        emit({ type: 'response.output_text.delta', ...partOf(m), delta: e.delta, logprobs: [] })
        break
      }
      case 'reasoning_start':
        this.closeParts(emit, 'completed')
        this.openReasoning(emit, stored.seq)
        break
      case 'reasoning_delta': {
        this.closeMessage(emit, 'completed')
        const r = this.reasoning ?? this.openReasoning(emit, stored.seq)
        r.item.content[0]!.text += e.text
        emit({ type: 'response.reasoning.delta', ...partOf(r), delta: e.text })
        break
      }
      case 'tool_call': {
        this.closeParts(emit, 'completed')
        const args = JSON.stringify(e.input ?? {}) ?? '{}'
        const item: OutputItem = {
          type: 'function_call',
          id: this.itemId('fc', stored.seq),
          call_id: e.id,
          name: e.tool,
          arguments: '',
          status: 'in_progress',
        }
        const index = this.add(emit, item)
        emit({ type: 'response.function_call_arguments.delta', item_id: item.id, output_index: index, delta: args })
        item.arguments = args
        item.status = 'completed'
        emit({
          type: 'response.function_call_arguments.done',
          item_id: item.id,
          output_index: index,
          name: item.name,
          arguments: args,
        })
        emit({ type: 'response.output_item.done', output_index: index, item })
        break
      }
      case 'tool_result': {
        this.closeParts(emit, 'completed')
        const item: OutputItem = {
          type: 'function_call_output',
          id: this.itemId('fco', stored.seq),
          call_id: e.id,
          name: e.tool,
          output: '',
          status: 'in_progress',
        }
        const index = this.add(emit, item)
        item.output = e.output
        item.status = 'completed'
        emit({ type: 'response.output_item.done', output_index: index, item })
        break
      }
      case 'step_finish':
        this.addUsage(e.usage)
        this.closeParts(emit, 'completed')
        this.checkpoint = this.output.length
        break
      case 'step_retry':
        // The interrupted step is redone by the next attempt: its open items end `incomplete`
        // and its items leave the output, so the redone step's items take their indexes.
        this.closeParts(emit, 'incomplete')
        this.output.length = this.checkpoint
        break
      case 'error':
        if (e.code !== 'cancelled') this.error = { code: 'server_error', message: e.message, type: e.code, param: null }
        break
      case 'done':
        break
    }
    return out
  }

  /** The response object as of the events applied so far. */
  snapshot(): ResponseObject {
    const h = this.header
    const outputText = this.output
      .filter((i): i is OutputMessageItem => i.type === 'message')
      .flatMap((m) => m.content.map((c) => c.text))
      .join('')
    return structuredClone({
      id: h.id,
      object: 'response',
      created_at: seconds(h.createdAt),
      completed_at: this.completedAt,
      status: this.status,
      background: h.background,
      model: h.model,
      output: this.output,
      output_text: outputText,
      usage: {
        input_tokens: this.usage.input,
        input_tokens_details: { cached_tokens: this.usage.cached, cache_write_tokens: this.usage.cacheWrite },
        output_tokens: this.usage.output,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: this.usage.input + this.usage.output,
      },
      error: this.error,
      incomplete_details: null,
      instructions: h.instructions,
      metadata: h.metadata ?? {},
      previous_response_id: h.previousResponseId,
      store: h.store,
      ...DEFAULT_SETTINGS,
      ...h.settings,
      access_programs: null,
      x_runyard: { run_id: h.runId, session_id: h.sessionId, chat_id: h.chatId },
    } satisfies ResponseObject)
  }

  /** Item ids derive from the run and the log seq that opened the item: stable across replays. */
  private itemId(prefix: string, seq: number): string {
    return `${prefix}_${this.idStem}_${seq}`
  }

  private add(emit: Emit, item: OutputItem): number {
    const index = this.output.length
    this.output.push(item)
    emit({ type: 'response.output_item.added', output_index: index, item })
    return index
  }

  private openMessage(emit: Emit, seq: number): Open<OutputMessageItem> {
    if (this.message) return this.message
    const item: OutputMessageItem = {
      type: 'message',
      id: this.itemId('msg', seq),
      role: 'assistant',
      status: 'in_progress',
      content: [],
    }
    const part = { type: 'output_text' as const, text: '', annotations: [], logprobs: [] }
    return (this.message = this.openWithPart(emit, item, part))
  }

  private openReasoning(emit: Emit, seq: number): Open<ReasoningItem> {
    const item: ReasoningItem = {
      type: 'reasoning',
      id: this.itemId('rs', seq),
      summary: [],
      content: [],
      status: 'in_progress',
    }
    return (this.reasoning = this.openWithPart(emit, item, { type: 'reasoning_text' as const, text: '' }))
  }

  /** Adds an in-progress item with its one content part (message text or reasoning text), empty. */
  private openWithPart<T extends PartItem>(emit: Emit, item: T, part: T['content'][number]): Open<T> {
    const open = { index: this.add(emit, item), item }
    ;(item.content as T['content'][number][]).push(part)
    emit({ type: 'response.content_part.added', ...partOf(open), part })
    return open
  }

  private closeMessage(emit: Emit, status: ItemEnd) {
    const m = this.message
    this.message = undefined
    if (m)
      this.closeWithPart(emit, m, status, (text) => ({
        type: 'response.output_text.done',
        ...partOf(m),
        text,
        logprobs: [],
      }))
  }

  private closeReasoning(emit: Emit, status: ItemEnd) {
    const r = this.reasoning
    this.reasoning = undefined
    if (r) this.closeWithPart(emit, r, status, (text) => ({ type: 'response.reasoning.done', ...partOf(r), text }))
  }

  /** Ends the open message, then the open reasoning. */
  private closeParts(emit: Emit, status: ItemEnd) {
    this.closeMessage(emit, status)
    this.closeReasoning(emit, status)
  }

  /** Ends an open item: its text's own `done` event, then its part's, then its own. */
  private closeWithPart(
    emit: Emit,
    open: Open<PartItem>,
    status: ItemEnd,
    textDone: (text: string) => WithoutSeq<Emitted>,
  ) {
    const part = open.item.content[0]!
    emit(textDone(part.text))
    emit({ type: 'response.content_part.done', ...partOf(open), part })
    open.item.status = status
    emit({ type: 'response.output_item.done', output_index: open.index, item: open.item })
  }

  private addUsage(u: { input_tokens: number; output_tokens: number; cache_read: number; cache_write: number }) {
    this.usage.input += u.input_tokens
    this.usage.output += u.output_tokens
    this.usage.cached += u.cache_read
    this.usage.cacheWrite += u.cache_write
  }
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000)

/** Folds a whole log (retrieve, non-streaming create). */
export function projectResponse(header: ResponseHeader, events: Iterable<StoredRunEvent>): ResponseObject {
  const p = new ResponseProjection(header)
  for (const e of events) p.apply(e)
  return p.snapshot()
}
