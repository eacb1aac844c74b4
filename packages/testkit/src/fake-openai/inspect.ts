// Normalises the bits of a request body tests usually assert on, for both API flavours.
import type { FakeApi, FakeRequest, JsonObject, JsonValue } from './types.ts'

const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)
const arrayOf = (v: JsonValue | undefined): JsonValue[] => (Array.isArray(v) ? v : [])
const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined)

/** Tool output as text: strings as-is, content-part arrays joined, anything else JSON. */
function outputText(v: JsonValue | undefined): string {
  if (typeof v === 'string') return v
  if (Array.isArray(v)) return v.map((p) => (isObject(p) && typeof p.text === 'string' ? p.text : JSON.stringify(p))).join('')
  return JSON.stringify(v ?? null)
}

export function inspectBody(api: FakeApi, body: JsonObject | null): Pick<FakeRequest, 'model' | 'stream' | 'toolNames' | 'toolResults'> {
  if (!body) return { model: undefined, stream: false, toolNames: [], toolResults: [] }
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
  }
}
