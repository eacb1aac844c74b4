// A run's own event log as SSE (`GET /api/chat/runs/{runId}/events`): each stored event's JSON
// forwarded as stored (`data:` StoredRunEvent, `id:` its seq), one page per page the engine reads.
import type { RunEventFrame } from '@runyard/engine'
import type { SseFrame } from '../http/sse.ts'

/**
 * The log after `after` (the last seq the client has), read through `read(afterSeq)`. Reading
 * starts one event early, at the client's last event: it exists, so the first page comes at once
 * even when the client is caught up with a live run, and the SSE writer opens the response only
 * once the read has passed its ownership check (a 404 stays a status). That event is not sent again.
 */
export async function* runEventLogPages(
  read: (afterSeq: number) => AsyncIterable<RunEventFrame[]>,
  after: number,
): AsyncGenerator<SseFrame[]> {
  for await (const page of read(Math.max(0, after - 1))) {
    const frames: SseFrame[] = []
    for (const { seq, json } of page) if (seq > after) frames.push({ id: seq, data: json })
    yield frames
  }
}
