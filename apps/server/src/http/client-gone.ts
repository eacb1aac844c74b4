// A signal for handlers that wait before answering (a non-streaming /v1/responses or Chat
// Completions call waiting for its run): aborted when the client goes away first, so the wait
// stops instead of polling a run nobody will be told about.
import type { Response } from 'express'

export function clientGone(res: Response): AbortSignal {
  const gone = new AbortController()
  res.once('close', () => {
    if (!res.writableFinished) gone.abort()
  })
  return gone.signal
}
