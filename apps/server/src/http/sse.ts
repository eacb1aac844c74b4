// The one module that writes server-sent events to a response. Every stream Runyard serves (a
// run's event log, the AI SDK UI-message stream, CometCode, OpenAI Responses) is an async
// iterable of frames handed to `pipeSse`.
import { badRequest, type AppError } from '@runyard/contract'
import type { Request, Response } from 'express'
import { toAppError } from './errors.ts'
import { sseStreamOpened } from '../observability/http-metrics.ts'

/**
 * The `Last-Event-ID` header as the number of the last event the client has (`what` names it in
 * the error); undefined when absent. Anything else is a 400: ignoring it would replay from the
 * start what the client already has.
 */
export function lastEventId(req: Request, what: string): number | undefined {
  const header = req.header('last-event-id')?.trim()
  if (!header) return undefined
  if (!/^\d+$/.test(header))
    throw badRequest(`Last-Event-ID must be ${what} (a non-negative integer), got "${header.slice(0, 50)}".`, {
      param: 'Last-Event-ID',
    })
  return Number(header)
}

/** One server-sent event. `data` is a single line: JSON, or a literal such as `[DONE]`. */
export interface SseFrame {
  data: string
  id?: string | number
  event?: string
}

/** Frames written at once, so a client never holds only part of them (e.g. of one run event's chunks under its id). */
export type SsePage = readonly SseFrame[]

export interface PipeSseOptions {
  /** Response headers besides the SSE ones (protocol markers, run ids); they may override them. */
  headers?: Record<string, string>
  /**
   * How the protocol reports a failure once its stream is open (CometCode's `error` + `done`,
   * OpenAI's `event: error`). Without it the error is rethrown: the route answers with its status
   * when nothing was sent yet, else ends the stream.
   */
  inBandError?: (error: AppError) => SsePage
  keepAliveMs?: number
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
}
const KEEP_ALIVE = ': keep-alive\n\n'

/**
 * Writes `source` to the response as `text/event-stream`, each item (a frame or a page of frames)
 * in one write, waiting for the socket to drain when it is full. `signal` aborts when the client
 * disconnects, which ends the iteration; a run goes on, it belongs to the engine.
 *
 * The response opens (200 + headers) with its first bytes: the source's first item, a keep-alive
 * comment or the end. So a source that fails at once, e.g. its own ownership check finding the run
 * is not the caller's, still answers with its HTTP status.
 */
export async function pipeSse(
  req: Request,
  res: Response,
  source: (signal: AbortSignal) => AsyncIterable<SseFrame | SsePage>,
  { headers, inBandError, keepAliveMs = 15_000 }: PipeSseOptions = {},
): Promise<void> {
  const disconnect = new AbortController()
  const { signal } = disconnect
  const onClose = () => disconnect.abort()
  req.on('close', onClose)
  res.on('close', onClose)
  let streamClosed: (() => void) | undefined
  const open = () => {
    if (res.headersSent) return
    res.status(200)
    res.set({ ...SSE_HEADERS, ...headers })
    res.flushHeaders()
    res.socket?.setNoDelay(true)
    streamClosed = sseStreamOpened(req)
  }
  const write = async (text: string) => {
    open()
    if (!text || signal.aborted || res.writableEnded) return
    if (!res.write(text)) await drained(res)
  }
  const keepAlive = setInterval(() => void write(KEEP_ALIVE), keepAliveMs)
  try {
    for await (const item of source(signal)) {
      if (signal.aborted) break
      await write(isPage(item) ? item.map(formatFrame).join('') : formatFrame(item))
    }
    open()
  } catch (err) {
    if (!inBandError) throw err
    if (signal.aborted) return
    const error = toAppError(err)
    if (error.status >= 500) req.log?.error({ err, code: error.code }, 'stream failed')
    await write(inBandError(error).map(formatFrame).join(''))
  } finally {
    clearInterval(keepAlive)
    req.off('close', onClose)
    res.off('close', onClose)
    if (res.headersSent && !res.writableEnded) res.end()
    streamClosed?.()
  }
}

const isPage = (item: SseFrame | SsePage): item is SsePage => Array.isArray(item)

function formatFrame({ data, id, event }: SseFrame): string {
  return `${event ? `event: ${event}\n` : ''}${id === undefined ? '' : `id: ${id}\n`}data: ${data}\n\n`
}

/** Resolves once the socket buffer drained, or the response closed. */
function drained(res: Response): Promise<void> {
  if (res.writableEnded || !res.writableNeedDrain) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.once('drain', done)
    res.once('close', done)
  })
}
