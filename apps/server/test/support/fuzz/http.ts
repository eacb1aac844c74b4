// Sends one fuzz request with node:http (raw paths and headers, no URL normalisation, unlike
// fetch), to 127.0.0.1 only. Event streams are read briefly and then cut; every request has a
// deadline so nothing can hang the run.
import http from 'node:http'
import type { FuzzRequest } from './generate.ts'

export interface Outcome {
  /** 0 when no response arrived (see `error`). */
  status: number
  contentType: string
  headers: http.IncomingHttpHeaders
  bodyText: string
  /** The body was longer than what was kept. */
  truncated: boolean
  sse: boolean
  error?: string
}

export interface SendOptions {
  port: number
  agent: http.Agent
  /** No response (headers) by then: the request is abandoned and reported. */
  timeoutMs: number
  /** How long an event stream is read before it is cut. */
  sseReadMs: number
  maxBodyBytes: number
}

export function send(r: FuzzRequest, o: SendOptions): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false
    let responded = false
    const finish = (out: Outcome) => {
      if (settled) return
      settled = true
      clearTimeout(deadline)
      resolve(out)
    }
    const empty = { contentType: '', headers: {}, bodyText: '', truncated: false, sse: false }
    // node:http frames a body without a length only for POST/PUT/PATCH; say it for every method.
    const headers = { ...r.headers }
    if (r.body && r.chunked) headers['transfer-encoding'] = 'chunked'
    else if (r.body) headers['content-length'] = String(r.body.length)
    const req = http.request({
      host: '127.0.0.1',
      port: o.port,
      method: r.method,
      path: r.path,
      headers,
      agent: o.agent,
    })
    const deadline = setTimeout(() => {
      finish({
        status: 0,
        ...empty,
        error: responded
          ? `the response body did not end within ${o.timeoutMs} ms`
          : `no response within ${o.timeoutMs} ms`,
      })
      req.destroy()
    }, o.timeoutMs)
    req.on('response', (res) => {
      responded = true
      const contentType = String(res.headers['content-type'] ?? '')
      const sse = contentType.includes('text/event-stream')
      const chunks: Buffer[] = []
      let size = 0
      let truncated = false
      let sseTimer: NodeJS.Timeout | undefined
      const done = () => {
        clearTimeout(sseTimer)
        finish({
          status: res.statusCode ?? 0,
          contentType,
          headers: res.headers,
          bodyText: Buffer.concat(chunks).toString('utf8'),
          truncated,
          sse,
        })
      }
      if (sse) {
        sseTimer = setTimeout(() => {
          done()
          res.destroy()
          req.destroy()
        }, o.sseReadMs)
      }
      res.on('data', (c: Buffer) => {
        if (size < o.maxBodyBytes) chunks.push(c)
        else truncated = true
        size += c.length
        if (sse && size > 32 * 1024) {
          done()
          res.destroy()
          req.destroy()
        }
      })
      res.on('end', done)
      res.on('error', done)
      res.on('close', done)
    })
    req.on('error', (err: NodeJS.ErrnoException) => {
      // After the response started, the response's own events settle it (e.g. the server
      // answered before reading a large body and closed: EPIPE while still writing).
      if (!responded) finish({ status: 0, ...empty, error: err.code ?? err.message })
    })
    if (r.body && r.chunked && r.body.length > 1) {
      const half = Math.floor(r.body.length / 2)
      req.write(r.body.subarray(0, half))
      setImmediate(() => req.end(r.body!.subarray(half)))
    } else req.end(r.body)
  })
}
