// HTTP helpers of the drivers: server-sent events (testkit's reader, the same parser for every
// server) of a response that must be a 2xx, and JSON POSTs.
import { readSse, type SseFrame } from '@runyard/testkit/sse'

export async function sseFrames(res: Response): Promise<AsyncGenerator<SseFrame>> {
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${(await res.text()).slice(0, 300)}`)
  return readSse(res)
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
