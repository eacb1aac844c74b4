// Request input → chat messages. `input` (a string or OpenAI input items) becomes AI SDK
// UIMessages: text, images and files as parts of their message; a client tool's `function_call`
// sent back inline becomes a tool part of an assistant message, answered by its
// `function_call_output`; an output for a call made in an earlier response (`previous_response_id`)
// is returned apart, for the service to answer the conversation's pending call with. `x_context`
// is prepended to the new user turn as one readable line and kept in its `metadata.x_context`.
import { badRequest, newId, type UIMessage, type UIMessagePart } from '@runyard/contract'
import { formatContextLine, type ToolOutput } from '@runyard/services'
import type { CreateResponseBody, InputContentPart, InputItemParam } from './request.ts'
import type { InputItem } from './schemas.ts'

type InputContent = Extract<InputItem, { role: 'user' | 'system' | 'developer' }>['content'][number]

type Input = CreateResponseBody['input']
type MessageItem = Extract<InputItemParam, { role: string; content: unknown }>
const isMessage = (item: InputItemParam): item is MessageItem => 'role' in item && typeof item.role === 'string'
type ToolPart = {
  type: `tool-${string}`
  toolCallId: string
  state: 'input-available' | 'output-available'
  input: unknown
  output?: string
}

export interface TurnInput {
  messages: UIMessage[]
  /** Outputs for calls this input does not contain (made in the response it continues). */
  toolOutputs: ToolOutput[]
  /** Whether any message carries an image or a file. */
  hasFiles: boolean
}

const ITEM_TYPES = ['message', 'function_call', 'function_call_output', 'reasoning']

export function toTurnInput(input: Input, xContext: Record<string, unknown> | null | undefined): TurnInput {
  const items: InputItemParam[] = typeof input === 'string' ? [{ role: 'user', content: input }] : input
  const messages: UIMessage[] = []
  const calls = new Map<string, ToolPart>()
  const toolOutputs: ToolOutput[] = []
  let hasFiles = false
  for (const [i, item] of items.entries()) {
    if (isMessage(item)) {
      const parts = contentParts(item, i)
      hasFiles ||= parts.some((p) => p.type === 'file')
      messages.push(messageOf(item, parts))
    } else if (item.type === 'function_call') {
      let input: unknown
      try {
        input = JSON.parse(item.arguments)
      } catch {
        throw badRequest(`input[${i}].arguments must be a JSON string (the call's arguments).`, {
          param: `input[${i}].arguments`,
        })
      }
      const part: ToolPart = { type: `tool-${item.name}`, toolCallId: item.call_id, state: 'input-available', input }
      const last = messages.at(-1)
      if (last?.role === 'assistant') last.parts.push(part)
      else messages.push({ id: newId('message'), role: 'assistant', parts: [part] })
      calls.set(item.call_id, part)
    } else if (item.type === 'function_call_output') {
      const output = typeof item.output === 'string' ? item.output : item.output.map((p) => p.text ?? '').join('')
      const call = calls.get(item.call_id)
      if (call) Object.assign(call, { state: 'output-available', output })
      else toolOutputs.push({ callId: item.call_id, output })
    } else if (!ITEM_TYPES.includes(item.type)) {
      throw badRequest(`input[${i}]: unsupported item type "${String(item.type)}".`, { param: `input[${i}].type` })
    }
    // reasoning items: the model's own earlier thoughts, not sent back to it
  }
  const unanswered = [...calls.values()].find((c) => c.state === 'input-available')
  if (unanswered)
    throw badRequest(`No tool output found for function call ${unanswered.toolCallId}.`, { param: 'input' })
  const lastUser = messages.map((m) => m.role).lastIndexOf('user')
  const hasContent = (m: UIMessage) =>
    m.parts.some((p) => p.type === 'file' || (p.type === 'text' && 'text' in p && p.text.trim() !== ''))
  if (!toolOutputs.length && (lastUser < 0 || !hasContent(messages[lastUser]!))) {
    throw badRequest(
      typeof input === 'string'
        ? 'input must not be empty.'
        : 'input must contain a user message with content, or a function_call_output.',
      { param: 'input' },
    )
  }
  const context = xContext && Object.keys(xContext).length ? xContext : undefined
  if (context) {
    if (JSON.stringify(context).length > 16_000)
      throw badRequest('x_context is too large (at most 16000 characters as JSON).', { param: 'x_context' })
    if (lastUser >= 0) withContext(messages[lastUser]!, context)
  }
  return { messages, toolOutputs, hasFiles }
}

function messageOf(item: MessageItem, parts: UIMessagePart[]): UIMessage {
  return {
    id: newId('message'),
    role: item.role === 'developer' ? 'system' : item.role,
    parts,
    ...(item.role === 'developer' ? { metadata: { openai_role: 'developer' } } : {}),
  }
}

/** The context line goes before the turn's first text (or alone, before its files). */
function withContext(message: UIMessage, context: Record<string, unknown>): void {
  const line = formatContextLine(context)
  const first = message.parts.findIndex((p) => p.type === 'text')
  if (first >= 0) {
    const part = message.parts[first] as { type: 'text'; text: string }
    message.parts[first] = { ...part, text: `${line}\n${part.text}` }
  } else message.parts.unshift({ type: 'text', text: line })
  message.metadata = { ...(message.metadata as object | undefined), x_context: context }
}

function contentParts(item: MessageItem, index: number): UIMessagePart[] {
  if (typeof item.content === 'string') return [{ type: 'text', text: item.content }]
  const textType = item.role === 'assistant' ? 'output_text' : 'input_text'
  return item.content.map((part, j): UIMessagePart => {
    const at = `input[${index}].content[${j}]`
    if (part.type === textType || (item.role === 'assistant' && part.type === 'input_text')) {
      if (typeof part.text !== 'string') throw badRequest(`${at}.text must be a string.`, { param: `${at}.text` })
      return { type: 'text', text: part.text }
    }
    if (item.role !== 'assistant' && part.type === 'input_image') return imagePart(part, at)
    if (item.role !== 'assistant' && part.type === 'input_file') return filePart(part, at)
    const allowed = item.role === 'assistant' ? '"output_text"' : '"input_text", "input_image" or "input_file"'
    throw badRequest(`${at}: unsupported content type "${part.type}" for a ${item.role} message (use ${allowed}).`, {
      param: `${at}.type`,
    })
  })
}

const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
}
const FILE_TYPES: Record<string, string> = {
  ...IMAGE_TYPES,
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  html: 'text/html',
}

const extensionOf = (name: string) => /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? ''

/** `data:<type>;base64,<data>` → its media type, when it is a well-formed base64 data URL. */
function dataUrlType(url: string): string | undefined {
  const head = /^data:([a-z]+\/[a-z0-9.+-]+);base64,/i.exec(url)
  if (!head || !/^[A-Za-z0-9+/=\s]*$/.test(url.slice(head[0].length))) return undefined
  return head[1]!.toLowerCase()
}

function httpUrl(url: string, at: string, param: string): URL {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw badRequest(`${at}.${param} is not a URL.`, { param: `${at}.${param}` })
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw badRequest(`${at}.${param} must be an http(s) URL or a base64 data URL.`, { param: `${at}.${param}` })
  return parsed
}

function imagePart(part: InputContentPart, at: string): UIMessagePart {
  const url = part.image_url
  if (!url)
    throw badRequest(
      `${at}.image_url is required (${part.file_id ? 'file ids are not supported: ' : ''}an http(s) URL or a data URL).`,
      { param: `${at}.image_url` },
    )
  const detail =
    part.detail && part.detail !== 'auto' ? { providerMetadata: { openai: { imageDetail: part.detail } } } : {}
  if (url.startsWith('data:')) {
    const mediaType = dataUrlType(url)
    if (!mediaType?.startsWith('image/'))
      throw badRequest(`${at}.image_url must be a base64 data URL of an image (data:image/…;base64,…).`, {
        param: `${at}.image_url`,
      })
    return { type: 'file', mediaType, url, ...detail }
  }
  const parsed = httpUrl(url, at, 'image_url')
  return {
    type: 'file',
    mediaType: IMAGE_TYPES[extensionOf(parsed.pathname)] ?? 'image/*',
    url: parsed.href,
    ...detail,
  }
}

function filePart(part: InputContentPart, at: string): UIMessagePart {
  if (part.file_id && !part.file_data && !part.file_url)
    throw badRequest(`${at}.file_id is not supported (Runyard has no Files API): send file_data or file_url.`, {
      param: `${at}.file_id`,
    })
  const filename = part.filename
  if (part.file_data) {
    const data = part.file_data
    if (data.startsWith('data:')) {
      const mediaType = dataUrlType(data)
      if (!mediaType)
        throw badRequest(`${at}.file_data must be base64, or a base64 data URL.`, { param: `${at}.file_data` })
      return { type: 'file', mediaType, url: data, ...(filename ? { filename } : {}) }
    }
    if (!/^[A-Za-z0-9+/=\s]+$/.test(data))
      throw badRequest(`${at}.file_data must be base64, or a base64 data URL.`, { param: `${at}.file_data` })
    const mediaType = filename ? FILE_TYPES[extensionOf(filename)] : undefined
    if (!mediaType)
      throw badRequest(
        `${at}.filename must name the file with a known extension (${Object.keys(FILE_TYPES).join(', ')}), or send file_data as a data URL.`,
        { param: `${at}.filename` },
      )
    return { type: 'file', mediaType, url: `data:${mediaType};base64,${data.replace(/\s+/g, '')}`, filename: filename! }
  }
  if (part.file_url) {
    const parsed = httpUrl(part.file_url, at, 'file_url')
    const name = filename ?? decodeURIComponent(parsed.pathname.split('/').at(-1) ?? '')
    return {
      type: 'file',
      mediaType: FILE_TYPES[extensionOf(name)] ?? 'application/octet-stream',
      url: parsed.href,
      ...(name ? { filename: name } : {}),
    }
  }
  throw badRequest(`${at} needs file_data or file_url.`, { param: at })
}

/** The response's input as OpenAI input items (what `input_items` lists). */
export function toInputItems(messages: UIMessage[]): InputItem[] {
  return messages.flatMap((m): InputItem[] => {
    const texts = m.parts.flatMap((p) => (p.type === 'text' && 'text' in p ? [p.text] : []))
    if (m.role === 'assistant') {
      const answered = (m.metadata as { answeredToolCalls?: unknown } | undefined)?.answeredToolCalls
      const tools = m.parts.filter((p): p is UIMessagePart & ToolPart => 'toolCallId' in p)
      // An answered pending call (previous_response_id): only its output was this request's input.
      if (Array.isArray(answered)) {
        return tools
          .filter((t) => answered.includes(t.toolCallId))
          .map((t) => ({
            type: 'function_call_output',
            id: `fco_${t.toolCallId}`,
            call_id: t.toolCallId,
            output: String(t.output ?? ''),
            status: 'completed',
          }))
      }
      return [
        ...(texts.length
          ? [
              {
                type: 'message' as const,
                id: m.id,
                role: 'assistant' as const,
                status: 'completed' as const,
                content: texts.map((text) => ({ type: 'output_text' as const, text, annotations: [], logprobs: [] })),
              },
            ]
          : []),
        ...tools.flatMap((t): InputItem[] => [
          {
            type: 'function_call',
            id: `fc_${t.toolCallId}`,
            call_id: t.toolCallId,
            name: t.type.slice('tool-'.length),
            arguments: JSON.stringify(t.input ?? {}),
            status: 'completed',
          },
          {
            type: 'function_call_output',
            id: `fco_${t.toolCallId}`,
            call_id: t.toolCallId,
            output: String(t.output ?? ''),
            status: 'completed',
          },
        ]),
      ]
    }
    const developer = (m.metadata as { openai_role?: unknown } | undefined)?.openai_role === 'developer'
    const content = m.parts.flatMap((p): InputContent[] => {
      if (p.type === 'text' && 'text' in p) return [{ type: 'input_text' as const, text: p.text }]
      if (p.type === 'file' && 'url' in p)
        return p.mediaType.startsWith('image/')
          ? [{ type: 'input_image' as const, image_url: p.url, detail: 'auto' as const }]
          : [{ type: 'input_file' as const, filename: p.filename ?? null, file_url: p.url }]
      return []
    })
    return [
      {
        type: 'message',
        id: m.id,
        role: m.role === 'system' ? (developer ? 'developer' : 'system') : 'user',
        status: 'completed',
        content,
      },
    ]
  })
}
