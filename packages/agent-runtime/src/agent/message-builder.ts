// Builds the run's assistant UIMessage from the AI SDK stream, in the shape `useChat` produces
// (step-start, reasoning, text, tool-<name> parts), so that the stored transcript renders in
// clients and converts back into model messages (convertToModelMessages) on the next turn.
// Provider metadata is deliberately not kept: it would make OpenAI's Responses API send
// `item_reference`s to server-side items instead of the content, tying the transcript to one
// provider account and to OpenAI's retention.
import type { UIMessage } from '@runyard/contract'

type TextState = 'streaming' | 'done'

export type AgentUIPart =
  | { type: 'step-start' }
  | { type: 'text'; text: string; state: TextState }
  | { type: 'reasoning'; text: string; state: TextState }
  | {
      type: `tool-${string}`
      toolCallId: string
      state: 'input-available' | 'output-available' | 'output-error'
      input: unknown
      output?: unknown
      errorText?: string
    }

type ToolPart = Extract<AgentUIPart, { toolCallId: string }>

export class MessageBuilder {
  private readonly parts: AgentUIPart[]
  /** Open text/reasoning parts by stream id (ids are only unique within a step). */
  private open = new Map<string, Extract<AgentUIPart, { state: TextState }>>()
  private readonly tools = new Map<string, ToolPart>()

  constructor(
    readonly id: string,
    initial: readonly AgentUIPart[] = [],
  ) {
    this.parts = initial.map((p) => ({ ...p }))
    for (const p of this.parts) if ('toolCallId' in p) this.tools.set(p.toolCallId, p)
  }

  get partCount(): number {
    return this.parts.length
  }

  startStep(): void {
    this.open = new Map()
    this.parts.push({ type: 'step-start' })
  }

  startText(kind: 'text' | 'reasoning', streamId: string): void {
    const part = { type: kind, text: '', state: 'streaming' as const }
    this.parts.push(part)
    this.open.set(`${kind}:${streamId}`, part)
  }

  appendText(kind: 'text' | 'reasoning', streamId: string, delta: string): void {
    const part = this.open.get(`${kind}:${streamId}`)
    if (part) part.text += delta
    else {
      // a delta without a start (some providers): open the part on the fly
      this.startText(kind, streamId)
      this.appendText(kind, streamId, delta)
    }
  }

  endText(kind: 'text' | 'reasoning', streamId: string): void {
    const part = this.open.get(`${kind}:${streamId}`)
    if (part) part.state = 'done'
    this.open.delete(`${kind}:${streamId}`)
  }

  toolCall(toolCallId: string, toolName: string, input: unknown): void {
    const part: ToolPart = { type: `tool-${toolName}`, toolCallId, state: 'input-available', input }
    this.parts.push(part)
    this.tools.set(toolCallId, part)
  }

  toolResult(toolCallId: string, output: unknown): void {
    const part = this.tools.get(toolCallId)
    if (!part) return
    part.state = 'output-available'
    part.output = output
    delete part.errorText
  }

  toolError(toolCallId: string, errorText: string): void {
    const part = this.tools.get(toolCallId)
    if (!part) return
    part.state = 'output-error'
    part.errorText = errorText
    delete part.output
  }

  /**
   * Closes what an interruption left open: streaming text is marked done and tool calls
   * without a result get an error result, so the next turn's model request stays valid. Calls
   * of `pendingTools` (the client's own tools) stay open: the client answers them later.
   */
  finalize(reason: string, pendingTools: ReadonlySet<string> = new Set()): void {
    for (const p of this.parts) {
      if ((p.type === 'text' || p.type === 'reasoning') && p.state === 'streaming') p.state = 'done'
      if ('toolCallId' in p && p.state === 'input-available' && !pendingTools.has(p.type.slice('tool-'.length))) {
        p.state = 'output-error'
        p.errorText = reason
      }
    }
    this.open.clear()
  }

  /** The text of the last step (the agent's final answer when the loop ended normally). */
  lastStepText(): string {
    const lastStart = this.parts.map((p) => p.type).lastIndexOf('step-start')
    return this.parts
      .slice(lastStart + 1)
      .flatMap((p) => (p.type === 'text' ? [p.text] : []))
      .join('')
      .trim()
  }

  hasContent(): boolean {
    return this.parts.some((p) => p.type !== 'step-start')
  }

  /** A snapshot for saving (copies, so later stream parts do not mutate what was handed out). */
  message(): UIMessage {
    return { id: this.id, role: 'assistant', parts: this.parts.map((p) => ({ ...p })) }
  }
}

/** Parts of a stored assistant message that this builder understands (others are dropped). */
export function agentPartsOf(message: UIMessage | undefined): AgentUIPart[] {
  if (!message) return []
  return message.parts.filter((p): p is AgentUIPart => {
    if (p.type === 'step-start') return true
    if (p.type === 'text' || p.type === 'reasoning') return 'text' in p
    return p.type.startsWith('tool-') && 'toolCallId' in p
  })
}
