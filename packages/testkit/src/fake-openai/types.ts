// Public types of the fake OpenAI server. A FakeTurn is flavour-neutral: the server renders it as
// a Responses API or Chat Completions reply (streaming or not), whichever the request asked for.
import type { IncomingHttpHeaders } from 'node:http'

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }
export type JsonObject = { [key: string]: JsonValue }

export interface FakeToolCall {
  /** Tool call id (`call_id` / `tool_calls[].id`). Default: `call_fake_<n>`, unique per server. */
  id?: string
  name: string
  /** An object is JSON-encoded; a string is sent verbatim (use it to send invalid JSON on purpose). */
  arguments: object | string
}

export interface FakeUsage {
  input: number
  output: number
  /** → `inputTokenDetails.cacheReadTokens` (counted inside `input`, as OpenAI does). */
  cachedInput?: number
  /** → `outputTokenDetails.reasoningTokens` (counted inside `output`). */
  reasoning?: number
}

/** An HTTP error reply with OpenAI's body shape `{ error: { message, type, param, code } }`. */
export interface FakeHttpError {
  status: number
  message: string
  type?: string
  code?: string
  /**
   * Extra response headers. Error replies carry `retry-after-ms: 0` by default so the AI SDK's
   * automatic retries do not sleep; override it here (e.g. `{ 'retry-after-ms': '1000' }`).
   */
  headers?: Record<string, string>
}

/** An error event inside a 200 event stream. */
export interface FakeStreamError {
  message: string
  type?: string
  code?: string
  /**
   * Send the error before any output. The providers then throw an APICallError from doStream
   * (status derived from `code`/`type`, e.g. 'rate_limit_exceeded' → 429, which the AI SDK retries)
   * instead of emitting an inline `error` part.
   */
  beforeOutput?: boolean
}

export type FakeFinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter'

/** One model reply (one agent step). Every field is optional; `{}` is an empty, successful reply. */
export interface FakeTurn {
  /** Responses: a reasoning item with a summary; Chat: `delta.reasoning_content` (vLLM style). */
  reasoning?: string | string[]
  /** Assistant text. A string is split into word-sized deltas; an array gives the exact deltas. */
  text?: string | string[]
  toolCalls?: FakeToolCall[]
  /** Default: all zeros. */
  usage?: FakeUsage
  /**
   * Default: 'tool_calls' when there are tool calls, else 'stop'. On the Responses API only
   * 'length' (status incomplete, max_output_tokens) and 'content_filter' change anything:
   * there the SDK derives 'tool-calls' from the presence of function_call items.
   */
  finishReason?: FakeFinishReason
  /** Delay between stream events (and before a non-streaming reply). */
  chunkDelayMs?: number
  /**
   * Send headers and the stream up to and including the first content delta, then stall until the
   * client disconnects (or the server closes). Non-streaming requests get headers only.
   */
  hang?: boolean
  /** Reply with this HTTP error instead of a completion. */
  error?: FakeHttpError
  /** Stream normally up to the first content delta, then send this error event and end the stream. */
  streamError?: string | FakeStreamError
}

export type FakeApi = 'responses' | 'chat' | 'other'

export interface FakeRequest {
  /** 0-based arrival order. */
  index: number
  method: string
  /** e.g. '/v1/responses' or '/v1/chat/completions'. */
  path: string
  api: FakeApi
  headers: IncomingHttpHeaders
  /** Parsed JSON body (null when the body was empty or not JSON). */
  body: JsonObject | null
  model: string | undefined
  stream: boolean
  /** Names of the function tools offered to the model, in request order. */
  toolNames: string[]
  /** Tool results the request carries back to the model (both API flavours, normalised). */
  toolResults: { callId: string; output: string }[]
  /** Text of the last user message in the request (both API flavours), '' when there is none. */
  lastUserText: string
  /** Tool results after the last user message: 0 on a turn's first step, > 0 on its follow-up steps. */
  toolResultsSinceUser: number
  /** The scripted turn this request consumed (undefined if it got 401/404/script-exhausted). */
  turn: FakeTurn | undefined
  /** HTTP status sent (undefined until headers are written). */
  status: number | undefined
  /** 'aborted' = the connection closed before the reply was complete (client abort or server close). */
  outcome: 'pending' | 'completed' | 'aborted'
  /** When the request arrived (epoch ms with sub-millisecond precision: performance.timeOrigin + performance.now()). */
  receivedAt: number
  /** When the reply ended (its response closed), on the same clock; undefined while pending. */
  closedAt: number | undefined
}

/**
 * Chooses the reply to a request when the script is empty (e.g. from `request.lastUserText`),
 * so long-lived servers (e2e, demos) can answer any number of requests. Returning undefined
 * falls back to the "no scripted turn left" error.
 */
export type FakeResponder = (request: FakeRequest) => FakeTurn | undefined

export interface FakeOpenAIOptions {
  script?: FakeTurn[]
  /** Used for a request only when the script has no turn left. */
  respond?: FakeResponder
  /** If set, requests without `Authorization: Bearer <apiKey>` get a 401 (no turn is consumed). */
  apiKey?: string
}

export interface FakeOpenAI {
  /** Base URL including `/v1`, for `createOpenAI({ baseURL })` / `createOpenAICompatible({ baseURL })`. */
  readonly url: string
  /** Every request received, in arrival order (records are updated in place as replies progress). */
  readonly requests: readonly FakeRequest[]
  /** Turns not consumed yet. */
  readonly remainingTurns: number
  /** Append turns; each model request consumes the next one. */
  enqueue(...turns: FakeTurn[]): void
  /** Resolves once request `index` has arrived and its reply completed or its connection closed. */
  settled(index: number): Promise<FakeRequest>
  /** Closes the server, cutting any hanging or slow replies. */
  close(): Promise<void>
}
