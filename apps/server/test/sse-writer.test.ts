// The SSE writer on its own (no Runyard server): frames and pages on the wire, when the response
// opens, in-band errors, client disconnects, keep-alive comments, back-pressure and Last-Event-ID.
import { notFound } from '@runyard/contract'
import express, { type Request, type Response } from 'express'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { rest } from '../src/http/error-shapes.ts'
import { sendError } from '../src/http/route.ts'
import { lastEventId, pipeSse, type PipeSseOptions, type SseFrame, type SsePage } from '../src/http/sse.ts'

type Source = (signal: AbortSignal) => AsyncIterable<SseFrame | SsePage>

const servers: http.Server[] = []
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => {
      s.closeAllConnections()
      return new Promise((r) => s.close(r))
    }),
  )
})

/** A server whose one route pipes `source`; errors reach the route as they do in Runyard's routes. */
async function serve(source: Source, options?: PipeSseOptions) {
  const routeErrors: unknown[] = []
  const app = express()
  app.get('/', (req: Request, res: Response) => {
    pipeSse(req, res, source, options).catch((err) => {
      routeErrors.push(err)
      sendError(res, rest, err)
    })
  })
  const server = app.listen(0, '127.0.0.1')
  servers.push(server)
  await new Promise((r) => server.once('listening', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, routeErrors }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('pipeSse', () => {
  it('writes frames and pages of frames as server-sent events, with the SSE headers and its own', async () => {
    const { url } = await serve(
      async function* () {
        yield { data: 'a' }
        yield [
          { id: 1, data: '{"x":1}' },
          { id: 1, event: 'e', data: 'b' },
        ]
        yield []
        yield { event: 'error', data: '{}' }
      },
      { headers: { 'x-test': 'yes', 'cache-control': 'no-store' } },
    )
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('x-accel-buffering')).toBe('no')
    expect(res.headers.get('x-test')).toBe('yes')
    expect(await res.text()).toBe(
      'data: a\n\nid: 1\ndata: {"x":1}\n\nevent: e\nid: 1\ndata: b\n\nevent: error\ndata: {}\n\n',
    )
  })

  it('answers with the status of a source that fails before its first item (the stream was never opened)', async () => {
    // eslint-disable-next-line require-yield -- a source that fails before its first item
    const { url } = await serve(async function* () {
      throw notFound('run_not_found', 'Run run_x was not found')
    })
    const res = await fetch(url)
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toMatch(/json/)
  })

  it('answers an empty source with an empty 200 stream', async () => {
    const { url } = await serve(async function* () {})
    const res = await fetch(url)
    expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([
      200,
      'text/event-stream; charset=utf-8',
      '',
    ])
  })

  it("reports a failure in-band, in the protocol's frames, when the protocol has them", async () => {
    const inBandError = (e: { code: string; message: string }) => [
      { event: 'error', data: JSON.stringify({ code: e.code }) },
      { data: 'done' },
    ]
    const failing = (framesFirst: number) =>
      async function* () {
        for (let i = 0; i < framesFirst; i++) yield { data: String(i) }
        throw new Error('boom')
      }
    const mid = await serve(failing(1), { inBandError })
    const res = await fetch(mid.url)
    expect([res.status, await res.text()]).toEqual([
      200,
      'data: 0\n\nevent: error\ndata: {"code":"internal"}\n\ndata: done\n\n',
    ])
    expect(mid.routeErrors).toEqual([])
    // Such a protocol reports even an immediate failure in-band (its clients read errors there).
    const first = await serve(failing(0), { inBandError })
    expect(await (await fetch(first.url)).text()).toBe('event: error\ndata: {"code":"internal"}\n\ndata: done\n\n')
  })

  it('without an in-band error, a failure mid-stream ends the stream and reaches the route', async () => {
    const { url, routeErrors } = await serve(async function* () {
      yield { id: 1, data: 'x' }
      throw new Error('boom')
    })
    const res = await fetch(url)
    expect([res.status, await res.text()]).toEqual([200, 'id: 1\ndata: x\n\n'])
    expect(routeErrors).toEqual([new Error('boom')])
  })

  it('aborts the signal and stops the iteration when the client disconnects', async () => {
    let finished!: () => void
    const ended = new Promise<void>((r) => (finished = r))
    const { url } = await serve(async function* (signal) {
      try {
        yield { data: 'first' }
        await new Promise((r) => signal.addEventListener('abort', r, { once: true }))
        yield { data: 'after the disconnect' }
      } finally {
        finished()
      }
    })
    const client = new AbortController()
    const res = await fetch(url, { signal: client.signal })
    const reader = res.body!.getReader()
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: first\n\n')
    client.abort()
    await expect(Promise.race([ended.then(() => 'ended'), sleep(2_000).then(() => 'still iterating')])).resolves.toBe(
      'ended',
    )
  })

  it('sends keep-alive comments while the source is quiet, which also open the response', async () => {
    // The source yields only once the client has the response: if keep-alives did not open it,
    // fetch would never resolve and the test would time out.
    let release!: () => void
    const released = new Promise<void>((r) => (release = r))
    const { url } = await serve(
      async function* () {
        await released
        yield { data: 'late' }
      },
      { keepAliveMs: 40 },
    )
    const res = await fetch(url)
    release()
    expect(await res.text()).toMatch(/^(: keep-alive\n\n)+data: late\n\n$/)
  })

  it('pulls no more from the source while the client does not read (back-pressure)', async () => {
    const page = [{ data: 'x'.repeat(64 * 1024) }]
    let pulled = 0
    const { url } = await serve(async function* (signal) {
      while (!signal.aborted && pulled < 2_000) {
        pulled++
        yield page
      }
    })
    const req = http.get(url)
    const res = await new Promise<http.IncomingMessage>((r) => req.once('response', r))
    res.pause()
    await sleep(300)
    // 2,000 pages are 128 MiB; only what fits in the socket buffers was pulled.
    expect(pulled).toBeGreaterThan(0)
    expect(pulled).toBeLessThan(500)
    let bytes = 0
    res.on('data', (chunk: Buffer) => (bytes += chunk.length))
    res.resume()
    await new Promise((r) => res.once('end', r))
    expect(pulled).toBe(2_000)
    expect(bytes).toBe(2_000 * (64 * 1024 + 'data: \n\n'.length))
  })
})

describe('lastEventId', () => {
  const req = (value?: string) =>
    ({ header: (name: string) => (name === 'last-event-id' ? value : undefined) }) as unknown as Request

  it('is the number of the last event the client has, undefined when absent', () => {
    expect(lastEventId(req('7'), 'an event seq')).toBe(7)
    expect(lastEventId(req(' 12 '), 'an event seq')).toBe(12)
    expect(lastEventId(req(), 'an event seq')).toBeUndefined()
    expect(lastEventId(req(''), 'an event seq')).toBeUndefined()
  })

  it('is a 400 naming what it must be when it is not a non-negative integer', () => {
    for (const bad of ['abc', '-1', '1.5', '0x10']) {
      expect(() => lastEventId(req(bad), 'a sequence_number')).toThrow(
        expect.objectContaining({ status: 400, message: expect.stringContaining('a sequence_number') }),
      )
    }
  })
})
