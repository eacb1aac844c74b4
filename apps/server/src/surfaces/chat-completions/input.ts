// A Chat Completions conversation as Responses input items, so that one conversion (text,
// images, files, the client's tool calls and their results) serves both OpenAI surfaces.
import { badRequest } from '@runyard/contract'
import type { CreateResponseBody, FunctionToolParam, InputContentPart, InputItemParam } from '../responses/request.ts'
import type { ChatCompletionBody, ChatMessageParam, ContentPart } from './request.ts'

export function toResponsesInput(messages: readonly ChatMessageParam[]): InputItemParam[] {
  return messages.flatMap((m, i): InputItemParam[] => {
    switch (m.role) {
      case 'system':
      case 'developer':
      case 'user':
        return [
          {
            type: 'message',
            role: m.role,
            content: typeof m.content === 'string' ? m.content : m.content.map((p, j) => partOf(p, i, j, m.role)),
          },
        ]
      case 'assistant': {
        const text = typeof m.content === 'string' ? m.content : (m.content ?? []).map((p) => p.text ?? '').join('')
        return [
          ...(text ? [{ type: 'message' as const, role: 'assistant' as const, content: text }] : []),
          ...(m.tool_calls ?? []).map((c) => ({
            type: 'function_call' as const,
            call_id: c.id,
            name: c.function.name,
            arguments: c.function.arguments,
          })),
        ]
      }
      case 'tool':
        return [
          {
            type: 'function_call_output',
            call_id: m.tool_call_id,
            output: typeof m.content === 'string' ? m.content : m.content.map((p) => p.text ?? '').join(''),
          },
        ]
    }
  })
}

function partOf(p: ContentPart, i: number, j: number, role: string): InputContentPart {
  const at = `messages[${i}].content[${j}]`
  if (p.type === 'text') return { type: 'input_text', text: p.text ?? '' }
  if (role !== 'user') throw badRequest(`${at}: a ${role} message can only have text parts.`, { param: `${at}.type` })
  if (p.type === 'image_url') {
    if (!p.image_url) throw badRequest(`${at}.image_url is required.`, { param: `${at}.image_url` })
    return {
      type: 'input_image',
      image_url: p.image_url.url,
      ...(p.image_url.detail ? { detail: p.image_url.detail } : {}),
    }
  }
  if (!p.file) throw badRequest(`${at}.file is required.`, { param: `${at}.file` })
  return { type: 'input_file', ...p.file }
}

/** The request's tools and tool choice in the Responses shape. */
export function toResponsesTools(body: ChatCompletionBody): Pick<CreateResponseBody, 'tools' | 'tool_choice'> {
  const tools = (body.tools ?? []).map((t): FunctionToolParam => ({ type: 'function', ...t.function }))
  const choice = body.tool_choice
  return {
    tools,
    tool_choice: choice && typeof choice === 'object' ? { type: 'function', name: choice.function.name } : choice,
  }
}
