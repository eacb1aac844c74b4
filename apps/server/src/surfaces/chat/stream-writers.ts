// SSE writers shared by the chat routes: a run's log as normalized events, or as an AI SDK
// UI-message stream. Both replay from the table and tail it; ids are the event seq.
import type { StoredRunEvent } from '@runyard/contract'
import { UI_MESSAGE_STREAM_HEADERS } from 'ai'
import type { Request, Response } from 'express'
import { lastEventId, openSse } from '../../http/sse.ts'
import type { Caller } from '@runyard/services'
import type { Services } from '@runyard/services'
import { UiMessageProjection } from './ui-message-stream.ts'

/** `Last-Event-ID` header, else `?after=`, else 0. Our ids are event seqs. */
export function resumePoint(req: Request, queryAfter?: number): number {
  return lastEventId(req, 'an event seq') ?? queryAfter ?? 0
}

export async function streamRunEventsSse(s: Services, caller: Caller, runId: string, after: number, req: Request, res: Response) {
  // Fail (404) before the stream starts if the run is not the caller's.
  await s.runs.get(caller, runId)
  const sse = openSse(req, res)
  try {
    // Stored JSON is forwarded as is, one write per page of events.
    for await (const page of s.runs.eventFrames(caller, runId, after, sse.signal)) {
      if (!res.write(page.map((f) => `id: ${f.seq}\ndata: ${f.json}\n\n`).join(''))) await sse.drained()
    }
  } finally {
    sse.end()
  }
}

export async function streamUiMessages(s: Services, caller: Caller, runId: string, after: number, req: Request, res: Response, headers: Record<string, string> = {}) {
  const sse = openSse(req, res, { ...UI_MESSAGE_STREAM_HEADERS, ...headers })
  const projection = new UiMessageProjection(runId)
  try {
    // The projection is stateful, so it always starts at seq 1; frames up to `after` are not sent.
    for await (const e of s.runs.events(caller, runId, 0, sse.signal)) {
      const chunks = projection.next(e as StoredRunEvent)
      if (e.seq <= after) continue
      let frames = chunks.map((c) => `id: ${e.seq}\ndata: ${JSON.stringify(c)}\n\n`).join('')
      if (e.event.type === 'done') frames += 'data: [DONE]\n\n'
      // One write per event, so a client never holds half of an event's chunks under its id.
      if (frames && !res.write(frames)) await sse.drained()
    }
  } finally {
    sse.end()
  }
}
