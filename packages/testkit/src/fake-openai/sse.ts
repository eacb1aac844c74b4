// Shared stream plumbing: an event list per turn, and the cut that `hang` / `streamError` apply to it.
import { streamErrorOf } from './turns.ts'
import type { FakeTurn, JsonObject } from './types.ts'

export interface SseEvent {
  /** SSE `event:` line (the Responses API sends one; Chat Completions does not). */
  event?: string
  data: JsonObject | '[DONE]'
  /** A text, reasoning or tool-argument delta (where `hang` / `streamError` cut the stream). */
  content?: boolean
  /** Part of the closing sequence (completed / finish chunk / usage / [DONE]). */
  final?: boolean
  /** Sent before anything the SDK counts as output (response.created / the role-only chunk). */
  preamble?: boolean
}

export interface StreamPlan {
  events: SseEvent[]
  /** After the events: keep the connection open until the client leaves. */
  stall: boolean
}

export type StreamErrorDetails = NonNullable<ReturnType<typeof streamErrorOf>>

/**
 * Applies `hang` / `streamError` to a full event list. Both cut right after the first content delta
 * so the client has seen output; `beforeOutput` errors cut after the preamble instead, where the
 * openai provider throws them from doStream.
 */
export function planStream(
  turn: FakeTurn,
  events: SseEvent[],
  errorEvents: (e: StreamErrorDetails) => SseEvent[],
): StreamPlan {
  const err = streamErrorOf(turn)
  if (!turn.hang && !err) return { events, stall: false }
  const firstContent = events.findIndex((e) => e.content)
  const firstFinal = events.findIndex((e) => e.final)
  let cut: number
  if (err?.beforeOutput)
    cut = Math.max(
      0,
      events.findIndex((e) => !e.preamble),
    )
  else if (firstContent >= 0) cut = firstContent + 1
  else cut = firstFinal >= 0 ? firstFinal : events.length
  const head = events.slice(0, cut)
  // A hanging stream that also has a streamError: the error wins (the stream ends).
  if (err) return { events: [...head, ...errorEvents(err)], stall: false }
  return { events: head, stall: true }
}

export function formatSse(e: SseEvent): string {
  const data = e.data === '[DONE]' ? '[DONE]' : JSON.stringify(e.data)
  return `${e.event ? `event: ${e.event}\n` : ''}data: ${data}\n\n`
}

/** What a renderer needs from the server besides the turn. */
export interface RenderContext {
  model: string
  /** Fresh id with the given prefix, unique per server. */
  id(prefix: string): string
  /** Unix seconds. */
  created: number
}
