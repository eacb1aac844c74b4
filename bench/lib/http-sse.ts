// A low-overhead SSE reader on node:http, for benchmarks that hold many streams open from one
// process (fetch costs several times the CPU per stream): each frame's `id:` and `data:` lines,
// and when the last byte arrived.
import http from 'node:http'

export interface SseFrameLines {
  id: string | undefined
  data: string
}

export interface SseRead {
  status: number
  /** performance.now() when the response's last byte arrived. */
  endedAt: number
}

/**
 * GETs `url` and calls `onFrame` for every frame until the server ends the response. Rejects on a
 * network error or when the response has not ended within `timeoutMs`; a non-200 status resolves at once (no frames are read).
 */
export function readSseFrames(
  url: string,
  agent: http.Agent,
  onFrame: (frame: SseFrameLines) => void,
  timeoutMs: number,
): Promise<SseRead> {
  return new Promise<SseRead>((resolve, reject) => {
    const timer = setTimeout(
      () => req.destroy(new Error(`not finished after ${timeoutMs / 1000} s: ${url}`)),
      timeoutMs,
    )
    const done = (r: SseRead) => (clearTimeout(timer), resolve(r))
    const fail = (err: Error) => (clearTimeout(timer), reject(err))
    const req = http.get(url, { agent, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume()
        return done({ status: res.statusCode ?? 0, endedAt: performance.now() })
      }
      res.setEncoding('utf8')
      let buffer = ''
      res.on('data', (chunk: string) => {
        buffer += chunk
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          let id: string | undefined
          const data: string[] = []
          for (const line of block.split('\n')) {
            if (line.startsWith('id:')) id = line.slice(3).trim()
            else if (line.startsWith('data:')) data.push(line.slice(5).trimStart())
          }
          if (data.length) onFrame({ id, data: data.join('\n') })
        }
      })
      res.on('end', () => done({ status: 200, endedAt: performance.now() }))
      res.on('error', fail)
      res.on('close', () => res.complete || fail(new Error(`the stream closed before its end: ${url}`)))
    })
    req.on('error', fail)
  })
}
