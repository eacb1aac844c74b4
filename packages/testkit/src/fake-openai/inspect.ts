// Normalises the bits of a request body tests usually assert on, for both API flavours.
import type { FakeApi, FakeRequest, JsonObject, JsonValue } from './types.ts'

const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)
const arrayOf = (v: JsonValue | undefined): JsonValue[] => (Array.isArray(v) ? v : [])
const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined)

/** Tool output as text: strings as-is, content-part arrays joined, anything else JSON. */
function outputText(v: JsonValue | undefined): string {
  if (typeof v === 'string') return v
  if (Array.isArray(v))
    return v.map((p) => (isObject(p) && typeof p.text === 'string' ? p.text : JSON.stringify(p))).join('')
  return JSON.stringify(v ?? null)
}

type Inspected = Pick<
  FakeRequest,
  'model' | 'stream' | 'toolNames' | 'toolResults' | 'lastUserText' | 'toolResultsSinceUser'
>

/** Text of a message's content: a string, or the text of its content parts. */
function contentText(v: JsonValue | undefined): string {
  if (typeof v === 'string') return v
  return arrayOf(v)
    .map((p) => (isObject(p) && typeof p.text === 'string' ? p.text : ''))
    .join('')
}

/** The last user message's text and how many tool results follow it (both API flavours). */
function conversationTail(api: FakeApi, body: JsonObject): Pick<FakeRequest, 'lastUserText' | 'toolResultsSinceUser'> {
  const items = arrayOf(api === 'chat' ? body.messages : body.input).filter(isObject)
  if (api === 'responses' && typeof body.input === 'string')
    return { lastUserText: body.input, toolResultsSinceUser: 0 }
  let lastUserText = ''
  let toolResultsSinceUser = 0
  for (const item of items) {
    if (item.role === 'user') {
      lastUserText = contentText(item.content)
      toolResultsSinceUser = 0
    } else if (item.role === 'tool' || item.type === 'function_call_output') toolResultsSinceUser++
  }
  return { lastUserText, toolResultsSinceUser }
}

export function inspectBody(api: FakeApi, body: JsonObject | null): Inspected {
  if (!body)
    return {
      model: undefined,
      stream: false,
      toolNames: [],
      toolResults: [],
      lastUserText: '',
      toolResultsSinceUser: 0,
    }
  const tools = arrayOf(body.tools).filter(isObject)
  const toolNames =
    api === 'chat'
      ? tools.map((t) => (isObject(t.function) ? str(t.function.name) : undefined))
      : tools.map((t) => (t.type === 'function' ? str(t.name) : undefined))
  const toolResults =
    api === 'chat'
      ? arrayOf(body.messages)
          .filter(isObject)
          .filter((m) => m.role === 'tool')
          .map((m) => ({ callId: str(m.tool_call_id) ?? '', output: outputText(m.content) }))
      : arrayOf(body.input)
          .filter(isObject)
          .filter((i) => i.type === 'function_call_output')
          .map((i) => ({ callId: str(i.call_id) ?? '', output: outputText(i.output) }))
  return {
    model: str(body.model),
    stream: body.stream === true,
    toolNames: toolNames.filter((n): n is string => n !== undefined),
    toolResults,
    ...(api === 'other' ? { lastUserText: '', toolResultsSinceUser: 0 } : conversationTail(api, body)),
  }
}
