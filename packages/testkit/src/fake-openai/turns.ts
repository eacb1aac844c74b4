// Shorthands for common turns, plus the splitting helpers the renderers share.
import type { FakeToolCall, FakeTurn } from './types.ts'

type Extra = Omit<FakeTurn, 'text' | 'toolCalls'>

export const fakeTurn = {
  /** A plain text reply. */
  text: (text: string | string[], extra: Extra = {}): FakeTurn => ({ ...extra, text }),
  /** A single tool call (optionally preceded by text via `extra.text`). */
  tool: (
    name: string,
    args: object | string = {},
    extra: Omit<FakeTurn, 'toolCalls'> & { id?: string } = {},
  ): FakeTurn => {
    const { id, ...rest } = extra
    return { ...rest, toolCalls: [{ name, arguments: args, ...(id === undefined ? {} : { id }) }] }
  },
  /** Several tool calls in one step. */
  tools: (calls: FakeToolCall[], extra: Omit<FakeTurn, 'toolCalls'> = {}): FakeTurn => ({ ...extra, toolCalls: calls }),
  /** Reasoning followed by text. */
  reasoning: (reasoning: string | string[], text: string | string[], extra: Extra = {}): FakeTurn => ({
    ...extra,
    reasoning,
    text,
  }),
  /** An HTTP error reply (OpenAI error body). */
  error: (
    status: number,
    message: string,
    extra: { type?: string; code?: string; headers?: Record<string, string> } = {},
  ): FakeTurn => ({
    error: { status, message, ...extra },
  }),
  /** Streams `text`'s first delta, then stalls until the client goes away. */
  hang: (text: string | string[] = 'partial answer', extra: Extra = {}): FakeTurn => ({ ...extra, text, hang: true }),
}

/** Word-sized deltas whose concatenation is exactly `text`. */
export function deltas(text: string | string[] | undefined): string[] {
  if (text === undefined) return []
  if (Array.isArray(text)) return text.filter((t) => t.length > 0)
  return text.match(/\s*\S+\s*/g) ?? (text.length > 0 ? [text] : [])
}

export function joined(text: string | string[] | undefined): string {
  return deltas(text).join('')
}

/** Splits tool-call arguments into up to three pieces, like a model streaming JSON. */
export function argumentPieces(args: string): string[] {
  if (args.length < 6) return [args]
  const size = Math.ceil(args.length / 3)
  const out: string[] = []
  for (let i = 0; i < args.length; i += size) out.push(args.slice(i, i + size))
  return out
}

export function encodeArguments(args: object | string): string {
  return typeof args === 'string' ? args : JSON.stringify(args)
}

export function finishReasonOf(turn: FakeTurn): NonNullable<FakeTurn['finishReason']> {
  return turn.finishReason ?? ((turn.toolCalls?.length ?? 0) > 0 ? 'tool_calls' : 'stop')
}

export function streamErrorOf(
  turn: FakeTurn,
): { message: string; type: string; code: string | null; beforeOutput: boolean } | undefined {
  const e = turn.streamError
  if (e === undefined) return undefined
  if (typeof e === 'string') return { message: e, type: 'server_error', code: null, beforeOutput: false }
  return {
    message: e.message,
    type: e.type ?? 'server_error',
    code: e.code ?? null,
    beforeOutput: e.beforeOutput ?? false,
  }
}
