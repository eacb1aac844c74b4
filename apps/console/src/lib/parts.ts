// What the chat renders: one list of display parts per assistant turn, built either from a
// stored UIMessage (finished turns) or from the live run's events (the turn in progress).
import type { UIMessage, UIMessagePart } from '@runyard/contract'

export interface TextPart {
  kind: 'text'
  text: string
  streaming: boolean
}

export interface ReasoningPart {
  kind: 'reasoning'
  text: string
  streaming: boolean
}

export interface ToolPart {
  kind: 'tool'
  id: string
  tool: string
  input: unknown
  /** Output text (or JSON-able value from a stored message); undefined while running. */
  output?: unknown
  state: 'running' | 'done' | 'error'
  /** Epoch ms from the event log; unknown for turns read from the transcript. */
  startedAt?: number
  finishedAt?: number
  /** Events of a `task` sub-agent run by this call (live only). */
  children: DisplayPart[]
}

export type DisplayPart = TextPart | ReasoningPart | ToolPart

export const ASK_USER_TOOL = 'ask_user_question'

export interface AskUserInput {
  question: string
  options: string[]
}

export function askUserInput(input: unknown): AskUserInput | null {
  if (typeof input !== 'object' || input === null) return null
  const { question, options } = input as { question?: unknown; options?: unknown }
  if (typeof question !== 'string') return null
  return { question, options: Array.isArray(options) ? options.filter((o): o is string => typeof o === 'string') : [] }
}

function toolPartOf(p: UIMessagePart): ToolPart | null {
  if (!('toolCallId' in p)) return null
  const tool = p.type === 'dynamic-tool' && 'toolName' in p ? p.toolName : p.type.replace(/^tool-/, '')
  const failed = p.state === 'output-error' || p.state === 'output-denied'
  const finished = failed || p.state === 'output-available'
  return {
    kind: 'tool',
    id: p.toolCallId,
    tool,
    input: p.input,
    ...(finished ? { output: failed ? (p.errorText ?? p.output) : p.output } : {}),
    state: failed ? 'error' : finished ? 'done' : 'running',
    children: [],
  }
}

/** Display parts of a stored message (step markers, files and data parts are not shown). */
export function partsOfMessage(m: UIMessage): DisplayPart[] {
  const out: DisplayPart[] = []
  for (const p of m.parts) {
    if (p.type === 'text' && 'text' in p) out.push({ kind: 'text', text: p.text, streaming: false })
    else if (p.type === 'reasoning' && 'text' in p) {
      if (p.text.trim()) out.push({ kind: 'reasoning', text: p.text, streaming: false })
    } else {
      const tool = toolPartOf(p)
      // A stored call without a result: a client's own tool waiting for the client's output (the
      // agent's own calls always end with a result or an error).
      if (tool)
        out.push(
          tool.state === 'running'
            ? { ...tool, state: 'error', output: 'Waiting for the client to run this tool and send its output.' }
            : tool,
        )
    }
  }
  return out
}

/** An image or file a message carries (OpenAI `input_image`/`input_file`, `useChat` attachments). */
export interface FilePart {
  url: string
  mediaType: string
  filename?: string
}

export function filesOfMessage(m: UIMessage): FilePart[] {
  return m.parts.flatMap((p) =>
    p.type === 'file' && 'url' in p
      ? [{ url: p.url, mediaType: p.mediaType, ...(p.filename ? { filename: p.filename } : {}) }]
      : [],
  )
}

export function messageText(m: UIMessage): string {
  return m.parts
    .map((p) => (p.type === 'text' && 'text' in p ? p.text : ''))
    .join('')
    .trim()
}
