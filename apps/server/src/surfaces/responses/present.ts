// Turning a response record into wire output: the snapshot (JSON) or the SSE stream. Both are
// the same projection of the run's event log, so they always agree.
import { pipeSse } from '../../http/sse.ts'
import { projectResponse, ResponseProjection, type ResponseHeader } from '../../projections/responses.ts'
import { projectEvents } from '../../projections/sse-projection.ts'
import type { Caller } from '@runyard/services'
import type { ResponseRecord } from '@runyard/services'
import type { Services } from '@runyard/services'
import type { Request, Response } from 'express'
import type { ResponseObject } from './schemas.ts'

export function headerOf(r: ResponseRecord): ResponseHeader {
  return {
    id: r.responseId,
    runId: r.runId,
    chatId: r.chatId,
    sessionId: r.sessionId,
    createdAt: r.createdAt,
    model: r.model,
    instructions: r.instructions,
    metadata: r.metadata,
    previousResponseId: r.previousResponseId,
    background: r.background,
    store: r.store,
    settings: r.echo,
  }
}

/** The response as admitted (`background: true` answers with it): queued, nothing produced yet. */
export function admittedSnapshot(record: ResponseRecord): ResponseObject {
  return projectResponse(headerOf(record), [])
}

/** The response as of its stored log. */
export async function snapshotOf(s: Services, caller: Caller, record: ResponseRecord): Promise<ResponseObject> {
  return projectResponse(headerOf(record), await s.responses.events(caller, record))
}

/**
 * Streams the projection: the log is replayed from its first event (so sequence numbers are
 * always derived the same way), events numbered `<= startingAfter` are not sent, then the live
 * tail follows until the run's terminal event. A client disconnect only ends the stream; the run
 * goes on.
 */
export async function streamResponse(
  s: Services,
  caller: Caller,
  record: ResponseRecord,
  req: Request,
  res: Response,
  startingAfter = -1,
): Promise<undefined> {
  const projection = new ResponseProjection(headerOf(record), startingAfter)
  await pipeSse(req, res, (signal) => projectEvents(s.responses.streamEvents(caller, record, signal), projection), {
    inBandError: (error) => projection.failure(error),
  })
  return undefined
}
