// Runyard resources → CometCode wire objects.
import type { Session, UIMessage, UIMessagePart } from '@runyard/contract'
import type { CometSession, CometTranscriptItem } from './schemas.ts'

export function toCometSession(s: Session): CometSession {
  return {
    id: s.id,
    // The seed makes these required strings; sessions made elsewhere (repo or bare) have none.
    workspace_id: s.workspaceId ?? '',
    workspace_path: s.workspacePath ?? '',
    title: s.title,
    model_id: s.modelId,
    provider_id: s.providerId,
    // CometCode knows only active/archived; provisioning, hibernation etc. are Runyard internals.
    status: s.lifecycleState === 'archived' ? 'archived' : 'active',
    token_usage: {
      input_tokens: s.tokenUsage.inputTokens,
      output_tokens: s.tokenUsage.outputTokens,
      cache_read: s.tokenUsage.cacheRead,
      cache_write: s.tokenUsage.cacheWrite,
    },
    created_at: Date.parse(s.createdAt),
    updated_at: Date.parse(s.updatedAt),
  }
}

type ToolLikePart = {
  type: string
  toolCallId: string
  state: string
  input?: unknown
  output?: unknown
  errorText?: string
  toolName?: string
}

function isToolPart(p: UIMessagePart): p is UIMessagePart & ToolLikePart {
  return 'toolCallId' in p && (p.type === 'dynamic-tool' || p.type.startsWith('tool-'))
}

const asText = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v))

function toolItem(p: ToolLikePart): CometTranscriptItem {
  const tool_name = p.type === 'dynamic-tool' ? (p.toolName ?? 'unknown') : p.type.slice('tool-'.length)
  const base = { type: 'tool' as const, tool_name, tool_input: p.input ?? {} }
  switch (p.state) {
    case 'output-available':
      return { ...base, tool_output: asText(p.output), tool_error: false }
    case 'output-error':
      return { ...base, tool_output: p.errorText ?? '', tool_error: true }
    case 'output-denied':
      return { ...base, tool_output: 'The tool call was denied.', tool_error: true }
    default:
      // Input only (interrupted before a result): no output recorded.
      return { ...base, tool_output: '', tool_error: false }
  }
}

/**
 * The transcript view of a chat: one item per text, reasoning and tool part, in order. Step
 * markers, files, sources, data parts and system messages have no CometCode equivalent.
 */
export function toTranscript(messages: UIMessage[]): CometTranscriptItem[] {
  const items: CometTranscriptItem[] = []
  for (const m of messages) {
    if (m.role === 'system') continue
    for (const p of m.parts) {
      if (p.type === 'text' && 'text' in p) {
        if (p.text) items.push({ type: m.role === 'user' ? 'user' : 'assistant', text: p.text })
      } else if (p.type === 'reasoning' && 'text' in p) {
        if (p.text) items.push({ type: 'reasoning', text: p.text })
      } else if (isToolPart(p)) items.push(toolItem(p))
    }
  }
  return items
}
