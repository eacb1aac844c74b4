// What the model was actually sent: the fake OpenAI server's recorded request bodies, turned into
// one flat list of entries whatever API the agent used to call it (Responses API `input` +
// `instructions`, or Chat Completions `messages`). The cases assert on this list: that the
// client's input reached the model, with its roles and in the spec's order.
import type { FakeRequest } from '@runyard/testkit'

export type SeenPart =
  | { type: 'text'; text: string }
  | { type: 'image'; url: string }
  | { type: 'file'; filename: string | undefined; data: string | undefined; url: string | undefined }

export type Seen =
  | { kind: 'message'; role: string; text: string; parts: SeenPart[] }
  | { kind: 'function_call'; callId: string; name: string; arguments: string }
  | { kind: 'function_call_output'; callId: string; output: string }
  | { kind: 'item_reference'; id: string }

export interface SeenTool {
  name: string
  description: string | undefined
  parameters: unknown
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : [])

function partsOf(content: unknown): SeenPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }]
  return arr(content).flatMap((p): SeenPart[] => {
    switch (p?.type) {
      case 'input_text':
      case 'output_text':
      case 'text':
        return [{ type: 'text', text: String(p.text ?? '') }]
      case 'input_image':
        return [{ type: 'image', url: str(p.image_url) ?? str(p.file_id) ?? '' }]
      case 'image_url':
        return [{ type: 'image', url: str(p.image_url?.url) ?? str(p.image_url) ?? '' }]
      case 'input_file':
        return [
          { type: 'file', filename: str(p.filename), data: str(p.file_data), url: str(p.file_url) ?? str(p.file_id) },
        ]
      case 'file':
        return [
          { type: 'file', filename: str(p.file?.filename), data: str(p.file?.file_data), url: str(p.file?.file_id) },
        ]
      default:
        return []
    }
  })
}

function message(role: string, content: unknown): Seen {
  const parts = partsOf(content)
  return { kind: 'message', role, parts, text: parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('') }
}

function outputText(v: unknown): string {
  if (typeof v === 'string') return v
  return arr(v)
    .map((p) => (typeof p?.text === 'string' ? p.text : JSON.stringify(p)))
    .join('')
}

/** The conversation the model received in one request, in order. */
export function modelInput(req: FakeRequest): Seen[] {
  const body = (req.body ?? {}) as Record<string, any>
  const out: Seen[] = []
  if (req.api === 'chat') {
    for (const m of arr(body.messages)) {
      if (m?.role === 'tool')
        out.push({ kind: 'function_call_output', callId: String(m.tool_call_id ?? ''), output: outputText(m.content) })
      else {
        out.push(message(String(m?.role), m?.content))
        for (const c of arr(m?.tool_calls))
          out.push({
            kind: 'function_call',
            callId: String(c?.id ?? ''),
            name: String(c?.function?.name ?? ''),
            arguments: String(c?.function?.arguments ?? ''),
          })
      }
    }
    return out
  }
  if (typeof body.instructions === 'string') out.push(message('system', body.instructions))
  if (typeof body.input === 'string') return [...out, message('user', body.input)]
  for (const item of arr(body.input)) {
    if (item?.type === 'function_call')
      out.push({
        kind: 'function_call',
        callId: String(item.call_id ?? ''),
        name: String(item.name ?? ''),
        arguments: String(item.arguments ?? ''),
      })
    else if (item?.type === 'function_call_output')
      out.push({ kind: 'function_call_output', callId: String(item.call_id ?? ''), output: outputText(item.output) })
    else if (item?.type === 'item_reference') out.push({ kind: 'item_reference', id: String(item.id ?? '') })
    else if (typeof item?.role === 'string') out.push(message(item.role, item.content))
  }
  return out
}

/** The function tools the model was offered in one request. */
export function modelTools(req: FakeRequest): SeenTool[] {
  const body = (req.body ?? {}) as Record<string, any>
  return arr(body.tools).flatMap((t): SeenTool[] => {
    if (t?.type !== 'function') return []
    const f = req.api === 'chat' ? t.function : t
    return typeof f?.name === 'string'
      ? [{ name: f.name, description: str(f.description), parameters: f.parameters }]
      : []
  })
}

const clip = (s: string, n = 70) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)

/** One line per entry, for failure messages: `[system] "…" | [user] "…" + image | function_call get_weather(call_1) | …`. */
export function summarize(seen: Seen[]): string {
  if (!seen.length) return '(nothing)'
  return seen
    .map((s) => {
      switch (s.kind) {
        case 'message': {
          const extras = s.parts
            .filter((p) => p.type !== 'text')
            .map((p) =>
              p.type === 'image'
                ? ` + image ${clip(p.url, 40)}`
                : ` + file ${p.filename ?? ''} ${clip(p.data ?? p.url ?? '', 40)}`,
            )
          return `[${s.role}] ${JSON.stringify(clip(s.text))}${extras.join('')}`
        }
        case 'function_call':
          return `function_call ${s.name}(${s.callId}) ${clip(s.arguments, 40)}`
        case 'function_call_output':
          return `function_call_output(${s.callId}) ${JSON.stringify(clip(s.output, 40))}`
        case 'item_reference':
          return `item_reference ${s.id}`
      }
    })
    .join(' | ')
}

export interface Expectation {
  /** What the entry is, for the failure message ("the user message 'My name is Alice.'"). */
  what: string
  match: (s: Seen) => boolean
}

/**
 * Whether the expectations are met by entries in this order (others may come between). The
 * failure says which one is missing or out of order, and shows everything the model received.
 */
export function checkOrder(seen: Seen[], wants: Expectation[]): string | undefined {
  let from = 0
  for (const w of wants) {
    const i = seen.findIndex((s, k) => k >= from && w.match(s))
    if (i < 0) {
      const anywhere = seen.some((s) => w.match(s))
      return `${w.what} ${anywhere ? 'reached the model out of order' : 'did not reach the model'}; the model received: ${summarize(seen)}`
    }
    from = i + 1
  }
  return undefined
}

const INSTRUCTION_ROLES = ['system', 'developer']

export const saw = {
  user: (text: string): Expectation => ({
    what: `the user message ${JSON.stringify(text)}`,
    match: (s) => s.kind === 'message' && s.role === 'user' && s.text.includes(text),
  }),
  assistant: (text: string): Expectation => ({
    what: `the assistant message ${JSON.stringify(text)}`,
    match: (s) => s.kind === 'message' && s.role === 'assistant' && s.text.includes(text),
  }),
  /** A system or developer message (providers may send either role for instructions). */
  instruction: (text: string): Expectation => ({
    what: `${JSON.stringify(text)} as a system/developer message`,
    match: (s) => s.kind === 'message' && INSTRUCTION_ROLES.includes(s.role) && s.text.includes(text),
  }),
  functionCall: (name: string): Expectation => ({
    what: `the function_call to ${name}`,
    match: (s) => s.kind === 'function_call' && s.name === name,
  }),
  functionOutput: (output: string): Expectation => ({
    what: `the function_call_output ${JSON.stringify(output)}`,
    match: (s) => s.kind === 'function_call_output' && s.output.includes(output),
  }),
  /** A user message with this text and an image whose URL contains `urlIncludes`. */
  userImage: (text: string, urlIncludes: string, label: string): Expectation => ({
    what: `the user message ${JSON.stringify(text)} with its image (${label})`,
    match: (s) =>
      s.kind === 'message' &&
      s.role === 'user' &&
      s.text.includes(text) &&
      s.parts.some((p) => p.type === 'image' && p.url.includes(urlIncludes)),
  }),
  /** A user message with this text and the file (its name and its base64 data). */
  userFile: (text: string, filename: string, base64: string): Expectation => ({
    what: `the user message ${JSON.stringify(text)} with its file ${filename} (filename and file_data)`,
    match: (s) =>
      s.kind === 'message' &&
      s.role === 'user' &&
      s.text.includes(text) &&
      s.parts.some((p) => p.type === 'file' && p.filename === filename && (p.data ?? '').includes(base64)),
  }),
}
