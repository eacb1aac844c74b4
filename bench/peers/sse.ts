// Server-sent events of a fetch response, one parsed frame at a time (the same parser for every server).
import { EventSourceParserStream, type EventSourceMessage } from 'eventsource-parser/stream'

export async function* sseFrames(res: Response): AsyncGenerator<EventSourceMessage> {
  if (!res.ok || !res.body) throw new Error(`${res.url}: ${res.status} ${(await res.text()).slice(0, 300)}`)
  const reader = res.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      yield value
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
}

/** POSTs JSON and returns the parsed answer; throws on a status other than `expect` (default: any 2xx). */
export async function postJson<T>(url: string, body: unknown, expect?: number): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  if (expect === undefined ? !res.ok : res.status !== expect)
    throw new Error(`POST ${url}: ${res.status} ${text.slice(0, 300)}`)
  return (text ? JSON.parse(text) : null) as T
}

export const since = (t0: number) => performance.now() - t0
