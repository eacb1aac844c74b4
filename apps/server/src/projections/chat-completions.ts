// Projects a run's event log onto OpenAI Chat Completions: the agent's text as the assistant
// message's content, calls of the client's own tools as `tool_calls` (the run ended waiting for
// them), token usage summed over every step. The agent's server-side tool calls have no place in
// this format and are not shown (the console and /api/chat/runs/{runId}/events show them).
// The same fold gives the streamed chunks and the final completion, so they always agree.
import type { AppError, StoredRunEvent } from '@runyard/contract'
import type { SseFrame } from '../http/sse.ts'
import type { SseProjection } from './sse-projection.ts'

export interface CompletionHeader {
  /** `chatcmpl-…` */
  id: string
  /** Unix seconds. */
  created: number
  model: string
  /** Send a last chunk with the usage (`stream_options.include_usage`). */
  includeUsage: boolean
}

export interface CompletionToolCall {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
}

export type FinishReason = 'stop' | 'tool_calls'

export interface CompletionUsage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  prompt_tokens_details: { cached_tokens: number }
}

export interface ChatCompletion {
  id: string
  object: 'chat.completion'
  created: number
  model: string
  choices: [
    {
      index: 0
      message: { role: 'assistant'; content: string | null; refusal: null; tool_calls?: CompletionToolCall[] }
      finish_reason: FinishReason
      logprobs: null
    },
  ]
  usage: CompletionUsage
}

export interface ChatCompletionChunk {
  id: string
  object: 'chat.completion.chunk'
  created: number
  model: string
  choices: {
    index: 0
    delta: { role?: 'assistant'; content?: string; tool_calls?: (CompletionToolCall & { index: number })[] }
    finish_reason: FinishReason | null
    logprobs: null
  }[]
  usage?: CompletionUsage | null
}

/** How the run ended, when it ended otherwise than completed. */
export interface RunEnding {
  status: 'failed' | 'cancelled'
  code: string
  message: string
}

export class ChatCompletionProjection implements SseProjection {
  private content = ''
  private readonly toolCalls: CompletionToolCall[] = []
  private usage = { input: 0, output: 0, cached: 0 }
  private started = false
  private finished: FinishReason | RunEnding | undefined
  private lastError: { code: string; message: string } | undefined
  /** Content and calls at the last completed step: a `step_retry` drops what follows (the step is redone). */
  private checkpoint = { content: 0, toolCalls: 0 }

  constructor(private readonly header: CompletionHeader) {}

  /** The stream's chunks for one stored event; the run's end sends the finish chunk, usage and [DONE]. */
  frames(stored: StoredRunEvent): SseFrame[] {
    const chunks: ChatCompletionChunk['choices'][number]['delta'][] = []
    const e = stored.event
    const nested = 'parentToolCallId' in e && e.parentToolCallId !== undefined
    if (!this.started) {
      this.started = true
      chunks.push({ role: 'assistant', content: '' })
    }
    if (e.type === 'step_finish') {
      this.addUsage(e.usage)
      if (!nested) this.checkpoint = { content: this.content.length, toolCalls: this.toolCalls.length }
    }
    if (e.type === 'step_retry') {
      this.content = this.content.slice(0, this.checkpoint.content)
      this.toolCalls.length = this.checkpoint.toolCalls
    }
    if (e.type === 'error') this.lastError = { code: e.code, message: e.message }
    if (!nested && e.type === 'text_delta') {
      this.content += e.delta
      chunks.push({ content: e.delta })
    }
    if (!nested && e.type === 'tool_call' && e.client) {
      const call: CompletionToolCall = {
        id: e.id,
        type: 'function',
        function: { name: e.tool, arguments: JSON.stringify(e.input ?? {}) },
      }
      this.toolCalls.push(call)
      chunks.push({ tool_calls: [{ index: this.toolCalls.length - 1, ...call }] })
    }
    const frames = chunks.map((delta) => this.chunkFrame({ delta, finish_reason: null }))
    if (e.type === 'run_status' && (e.status === 'completed' || e.status === 'failed' || e.status === 'cancelled')) {
      if (e.status === 'completed') {
        this.finished = this.toolCalls.length ? 'tool_calls' : 'stop'
        frames.push(this.chunkFrame({ delta: {}, finish_reason: this.finished }))
        if (this.header.includeUsage)
          frames.push({ data: JSON.stringify({ ...this.chunkBase(), choices: [], usage: this.usageObject() }) })
      } else {
        this.finished = {
          status: e.status,
          code: this.lastError?.code ?? e.status,
          message: this.lastError?.message ?? `The run ${e.status === 'failed' ? 'failed' : 'was cancelled'}.`,
        }
        frames.push({
          data: JSON.stringify({
            error: { message: this.finished.message, type: 'server_error', param: null, code: this.finished.code },
          }),
        })
      }
      frames.push({ data: '[DONE]' })
    }
    return frames
  }

  /** A failure once the stream is open: OpenAI's in-band `{error}` chunk, then [DONE]. */
  failure(error: AppError): SseFrame[] {
    return [
      {
        data: JSON.stringify({
          error: { message: error.message, type: 'server_error', param: null, code: error.code },
        }),
      },
      { data: '[DONE]' },
    ]
  }

  /** How the run ended: the finish reason, or why it did not complete; undefined while it runs. */
  get ending(): FinishReason | RunEnding | undefined {
    return this.finished
  }

  completion(): ChatCompletion {
    const finish = typeof this.finished === 'string' ? this.finished : 'stop'
    return {
      ...this.chunkBase(),
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: this.content || (this.toolCalls.length ? null : ''),
            refusal: null,
            ...(this.toolCalls.length ? { tool_calls: this.toolCalls } : {}),
          },
          finish_reason: finish,
          logprobs: null,
        },
      ],
      usage: this.usageObject(),
    }
  }

  private chunkBase() {
    return {
      id: this.header.id,
      object: 'chat.completion.chunk' as const,
      created: this.header.created,
      model: this.header.model,
    }
  }

  private chunkFrame(choice: Omit<ChatCompletionChunk['choices'][number], 'index' | 'logprobs'>): SseFrame {
    const chunk: ChatCompletionChunk = {
      ...this.chunkBase(),
      choices: [{ index: 0, ...choice, logprobs: null }],
      ...(this.header.includeUsage ? { usage: null } : {}),
    }
    return { data: JSON.stringify(chunk) }
  }

  private usageObject(): CompletionUsage {
    const { input, output, cached } = this.usage
    return {
      prompt_tokens: input,
      completion_tokens: output,
      total_tokens: input + output,
      prompt_tokens_details: { cached_tokens: cached },
    }
  }

  private addUsage(u: { input_tokens: number; output_tokens: number; cache_read: number }) {
    this.usage.input += u.input_tokens
    this.usage.output += u.output_tokens
    this.usage.cached += u.cache_read
  }
}

/** Folds a whole log (non-streaming). */
export function projectCompletion(
  header: CompletionHeader,
  events: Iterable<StoredRunEvent>,
): ChatCompletionProjection {
  const p = new ChatCompletionProjection(header)
  for (const e of events) p.frames(e)
  return p
}
