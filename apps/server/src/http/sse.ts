import { badRequest } from '@runyard/contract'
import type { Request, Response } from 'express'

/**
 * The `Last-Event-ID` header as the number of the last event the client has (`what` names it in
 * the error); undefined when absent. Anything else is a 400: ignoring it would replay from the
 * start what the client already has.
 */
export function lastEventId(req: Request, what: string): number | undefined {
  const header = req.header('last-event-id')?.trim()
  if (!header) return undefined
  if (!/^\d+$/.test(header)) throw badRequest(`Last-Event-ID must be ${what} (a non-negative integer), got "${header.slice(0, 50)}".`, { param: 'Last-Event-ID' })
  return Number(header)
}

export interface SseStream {
  /** Aborts when the client disconnects. */
  signal: AbortSignal
  send(frame: { data: string; id?: string | number; event?: string }): boolean
  comment(text: string): void
  /** Resolves once the socket buffer drained (call when `send` returned false). */
  drained(): Promise<void>
  end(): void
}

/** Starts a `text/event-stream` response with keep-alive comments; `signal` fires on disconnect. */
export function openSse(req: Request, res: Response, extraHeaders: Record<string, string> = {}, keepAliveMs = 15_000): SseStream {
  const controller = new AbortController()
  res.status(200)
  res.set({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no', ...extraHeaders })
  res.flushHeaders()
  res.socket?.setNoDelay(true)
  const timer = setInterval(() => res.write(': keep-alive\n\n'), keepAliveMs)
  const close = () => {
    clearInterval(timer)
    controller.abort()
  }
  req.on('close', close)
  res.on('close', close)
  return {
    signal: controller.signal,
    send({ data, id, event }) {
      if (res.writableEnded || controller.signal.aborted) return false
      let out = ''
      if (event) out += `event: ${event}\n`
      if (id !== undefined) out += `id: ${id}\n`
      out += `data: ${data}\n\n`
      return res.write(out)
    },
    drained() {
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
    },
    comment(text) {
      if (!res.writableEnded) res.write(`: ${text}\n\n`)
    },
    end() {
      clearInterval(timer)
      if (!res.writableEnded) res.end()
    },
  }
}
