// Request input → chat messages. `input` (a string or OpenAI input messages) becomes AI SDK
// UIMessages; `x_context` is prepended to the new user turn as one readable line and kept in
// that message's `metadata.x_context`, so the agent reads it and the transcript records it.
import { badRequest, newId, type UIMessage } from '@runyard/contract'
import { formatContextLine } from '@runyard/services'
import type { CreateResponseBody, InputItem } from './schemas.ts'

type Input = CreateResponseBody['input']
type Role = 'user' | 'assistant' | 'system' | 'developer'

/** Validated messages for the run, the new user turn last-but-not-necessarily (order is kept). */
export function toTurnMessages(input: Input, xContext: Record<string, unknown> | null | undefined): UIMessage[] {
  const items: { role: Role; texts: string[] }[] =
    typeof input === 'string' ? [{ role: 'user', texts: [input] }] : input.map((m, i) => ({ role: m.role, texts: contentTexts(m.role, m.content, i) }))
  const lastUser = items.map((m) => m.role).lastIndexOf('user')
  if (lastUser < 0 || !items[lastUser]!.texts.some((t) => t.trim())) {
    throw badRequest(typeof input === 'string' ? 'input must not be empty.' : 'input must contain a user message with non-empty text.', { param: 'input' })
  }
  const context = xContext && Object.keys(xContext).length ? xContext : undefined
  if (context && JSON.stringify(context).length > 16_000) throw badRequest('x_context is too large (at most 16000 characters as JSON).', { param: 'x_context' })
  return items.map((m, i): UIMessage => {
    const texts = i === lastUser && context ? [`${formatContextLine(context)}\n${m.texts[0] ?? ''}`, ...m.texts.slice(1)] : m.texts
    const metadata = {
      ...(i === lastUser && context ? { x_context: context } : {}),
      ...(m.role === 'developer' ? { openai_role: 'developer' } : {}),
    }
    return {
      id: newId('message'),
      role: m.role === 'developer' ? 'system' : m.role,
      parts: texts.map((text) => ({ type: 'text' as const, text })),
      ...(Object.keys(metadata).length ? { metadata } : {}),
    }
  })
}

function contentTexts(role: Role, content: Exclude<Input, string>[number]['content'], index: number): string[] {
  if (typeof content === 'string') return [content]
  const expected = role === 'assistant' ? 'output_text' : 'input_text'
  return content.map((part, j) => {
    if (part.type !== expected && !(role === 'assistant' && part.type === 'input_text')) {
      throw badRequest(`input[${index}].content[${j}]: unsupported content type "${part.type}" for a ${role} message (use "${expected}").`, { param: `input[${index}].content[${j}].type` })
    }
    if (typeof part.text !== 'string') throw badRequest(`input[${index}].content[${j}].text must be a string.`, { param: `input[${index}].content[${j}].text` })
    return part.text
  })
}

/** The response's input messages as OpenAI input items (what `input_items` lists). */
export function toInputItems(messages: UIMessage[]): InputItem[] {
  return messages.map((m): InputItem => {
    const texts = m.parts.flatMap((p) => (p.type === 'text' && 'text' in p ? [p.text as string] : []))
    if (m.role === 'assistant') {
      return { type: 'message', id: m.id, role: 'assistant', status: 'completed', content: texts.map((text) => ({ type: 'output_text', text, annotations: [], logprobs: [] })) }
    }
    const developer = (m.metadata as { openai_role?: unknown } | undefined)?.openai_role === 'developer'
    return { type: 'message', id: m.id, role: m.role === 'system' ? (developer ? 'developer' : 'system') : 'user', status: 'completed', content: texts.map((text) => ({ type: 'input_text', text })) }
  })
}
