// Reading server-sent events in tests, frame by frame (id, event, data).
import { EventSourceParserStream, type EventSourceMessage } from 'eventsource-parser/stream'

export type SseFrame = EventSourceMessage

export async function* readSse(res: Response): AsyncGenerator<SseFrame> {
  if (!res.body) throw new Error(`no body (status ${res.status})`)
  const stream = res.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream())
  const reader = stream.getReader()
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      yield value
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
}

/** Opens an SSE request and collects frames until `until` says stop (then disconnects) or the stream ends. */
export async function collectSse(
  url: string,
  init: RequestInit = {},
  until?: (f: SseFrame, all: SseFrame[]) => boolean,
): Promise<{ status: number; headers: Headers; frames: SseFrame[] }> {
  const controller = new AbortController()
  const res = await fetch(url, { ...init, signal: controller.signal })
  const frames: SseFrame[] = []
  if (res.status !== 200 || !(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
    await res.body?.cancel()
    return { status: res.status, headers: res.headers, frames }
  }
  for await (const f of readSse(res)) {
    frames.push(f)
    if (until?.(f, frames)) break
  }
  controller.abort()
  return { status: res.status, headers: res.headers, frames }
}
