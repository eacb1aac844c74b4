// What the protocol projections share: each turns a run's stored events, fed in log order from
// seq 1, into the SSE frames of its protocol. A pure function of the log prefix, so a stream
// resumed after any frame continues exactly where the client left off.
import type { StoredRunEvent } from '@runyard/contract'
import type { SseFrame } from '../http/sse.ts'

export interface SseProjection {
  /** The frames one stored event projects to (possibly none), sent together. */
  frames(stored: StoredRunEvent): SseFrame[]
}

/** `events` through `projection`: one page of frames per stored event, for the SSE writer. */
export async function* projectEvents(
  events: AsyncIterable<StoredRunEvent>,
  projection: SseProjection,
): AsyncGenerator<SseFrame[]> {
  for await (const stored of events) yield projection.frames(stored)
}
