// The wire as a client sees it: `POST /v1/responses` with plain fetch (no SDK between the test
// and the bytes), JSON answers parsed, SSE answers kept frame by frame (`event:`, `id:`, `data:`)
// so the stream rules can look at exactly what was sent, `[DONE]` included.
import { readSse } from '@runyard/testkit'

export interface JsonReply {
  status: number
  contentType: string
  /** Parsed JSON (undefined when the body is not JSON). */
  body: any
  text: string
}

export interface SseFrameRecord {
  event: string | undefined
  id: string | undefined
  data: string
}

export interface StreamReply {
  status: number
  contentType: string
  /** Every SSE frame in arrival order (empty when the answer was not an event stream). */
  frames: SseFrameRecord[]
  /** When the answer was not an event stream: its body (JSON-parsed when possible). */
  body?: any
  text?: string
}

export interface Endpoint {
  /** Base URL including `/v1`. */
  baseUrl: string
  apiKey: string
}

function headers(e: Endpoint): Record<string, string> {
  // The spec's required request headers: Authorization and Content-Type.
  return { authorization: `Bearer ${e.apiKey}`, 'content-type': 'application/json' }
}

export async function postResponse(e: Endpoint, body: unknown): Promise<JsonReply> {
  const res = await fetch(`${e.baseUrl}/responses`, { method: 'POST', headers: headers(e), body: JSON.stringify(body) })
  const text = await res.text()
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: parsed, text }
}

/** `body.stream` is set to true here. Reads the stream to its end. */
export async function postStreamingResponse(e: Endpoint, body: Record<string, unknown>): Promise<StreamReply> {
  const res = await fetch(`${e.baseUrl}/responses`, {
    method: 'POST',
    headers: headers(e),
    body: JSON.stringify({ ...body, stream: true }),
  })
  const contentType = res.headers.get('content-type') ?? ''
  if (!contentType.startsWith('text/event-stream')) {
    const text = await res.text()
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = undefined
    }
    return { status: res.status, contentType, frames: [], body: parsed, text }
  }
  const frames: SseFrameRecord[] = []
  for await (const f of readSse(res)) frames.push({ event: f.event, id: f.id, data: f.data })
  return { status: res.status, contentType, frames }
}
