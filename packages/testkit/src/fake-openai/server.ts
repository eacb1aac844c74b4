// The fake OpenAI HTTP server: plain node:http on 127.0.0.1, one scripted turn per model request.
import http from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { chatJson, chatStream } from './chat-api.ts'
import { inspectBody } from './inspect.ts'
import { responsesJson, responsesStream } from './responses-api.ts'
import { formatSse, type RenderContext, type StreamPlan } from './sse.ts'
import type { FakeApi, FakeOpenAI, FakeOpenAIOptions, FakeRequest, FakeTurn, JsonObject, JsonValue } from './types.ts'

interface Waiter {
  check(): void
  reject(err: Error): void
}

/**
 * Sent with scripted errors: the AI SDK honours retry-after-ms, so its automatic retries of
 * retryable errors (408/409/429/5xx) happen at once instead of after 2 s and 4 s.
 */
const NO_RETRY_WAIT = { 'retry-after-ms': '0' }

function openaiError(message: string, type: string, code: string | null): JsonObject {
  return { error: { message, type, param: null, code } }
}

function sendJson(
  res: http.ServerResponse,
  record: FakeRequest,
  status: number,
  body: JsonValue,
  headers: Record<string, string> = {},
) {
  record.status = status
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

/** Resolves when the signal aborts (i.e. the client went away or the server closed). */
function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve()
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))
}

/** Sleeps unless aborted first; returns false if aborted (the timer is cleared either way). */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0) return !signal.aborted
  try {
    await sleep(ms, undefined, { signal })
    return true
  } catch {
    return false
  }
}

function apiOf(method: string, path: string): FakeApi {
  if (method !== 'POST') return 'other'
  if (path === '/v1/responses') return 'responses'
  if (path === '/v1/chat/completions') return 'chat'
  return 'other'
}

async function readJson(req: http.IncomingMessage): Promise<JsonObject | null> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') return null
  try {
    const parsed = JSON.parse(text) as JsonValue
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : null
  } catch {
    return null
  }
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const script: FakeTurn[] = [...(options.script ?? [])]
  const requests: FakeRequest[] = []
  const waiters = new Set<Waiter>()
  const openReplies = new Set<Promise<void>>() // resolved on each reply's 'close'; close() awaits them
  let counter = 0
  const id = (prefix: string) => `${prefix}fake${String(++counter).padStart(4, '0')}`
  const notify = () => {
    for (const w of [...waiters]) w.check()
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const method = req.method ?? 'GET'
    const path = new URL(req.url ?? '/', 'http://fake').pathname
    const api = apiOf(method, path)
    const record: FakeRequest = {
      index: requests.length,
      method,
      path,
      api,
      headers: req.headers,
      body: null,
      // What a request without a body inspects to, until the body has been read.
      ...inspectBody(api, null),
      turn: undefined,
      status: undefined,
      outcome: 'pending',
      receivedAt: performance.timeOrigin + performance.now(),
      closedAt: undefined,
    }
    requests.push(record)

    // 'close' fires both after a complete reply and when the connection drops mid-reply;
    // aborting the controller stops writers and clears their timers.
    const ac = new AbortController()
    const closed = new Promise<void>((resolve) =>
      res.on('close', () => {
        record.outcome = res.writableFinished ? 'completed' : 'aborted'
        record.closedAt = performance.timeOrigin + performance.now()
        ac.abort()
        notify()
        resolve()
      }),
    )
    openReplies.add(closed)
    void closed.then(() => openReplies.delete(closed))
    res.on('error', () => {}) // writes racing a disconnect must not crash the test process

    record.body = await readJson(req)
    Object.assign(record, inspectBody(api, record.body))

    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendJson(
        res,
        record,
        401,
        openaiError('fake-openai: incorrect API key provided', 'invalid_request_error', 'invalid_api_key'),
      )
    }
    if (api === 'other') {
      return sendJson(
        res,
        record,
        404,
        openaiError(`fake-openai: invalid URL (${method} ${path})`, 'invalid_request_error', null),
      )
    }
    if (record.body === null) {
      return sendJson(
        res,
        record,
        400,
        openaiError('fake-openai: request body is not a JSON object', 'invalid_request_error', null),
      )
    }
    const turn = script.shift() ?? options.respond?.(record)
    if (turn === undefined) {
      const body = openaiError('fake-openai: no scripted turn left', 'server_error', 'fake_openai_script_exhausted')
      return sendJson(res, record, 500, body, NO_RETRY_WAIT)
    }
    record.turn = turn

    const delay = turn.chunkDelayMs ?? 0
    if (turn.error) {
      if (!(await pause(delay, ac.signal))) return
      const { status, message, type, code, headers } = turn.error
      return sendJson(res, record, status, openaiError(message, type ?? 'server_error', code ?? null), {
        ...NO_RETRY_WAIT,
        ...headers,
      })
    }

    const ctx: RenderContext = { model: record.model ?? 'fake-model', id, created: Math.floor(Date.now() / 1000) }
    const requestId = id('req_')
    if (!record.stream) {
      if (turn.hang) {
        record.status = 200
        res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': requestId })
        res.flushHeaders()
        return untilAborted(ac.signal)
      }
      if (!(await pause(delay, ac.signal))) return
      const body = api === 'responses' ? responsesJson(turn, ctx) : chatJson(turn, ctx)
      return sendJson(res, record, 200, body, { 'x-request-id': requestId })
    }

    const streamOptions = record.body.stream_options
    const includeUsage =
      typeof streamOptions === 'object' &&
      streamOptions !== null &&
      !Array.isArray(streamOptions) &&
      streamOptions.include_usage === true
    const plan: StreamPlan = api === 'responses' ? responsesStream(turn, ctx) : chatStream(turn, ctx, includeUsage)
    record.status = 200
    const sseHeaders = {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-request-id': requestId,
    }
    // An early stream error becomes an APICallError carrying these headers, so retries apply to it too.
    res.writeHead(200, turn.streamError === undefined ? sseHeaders : { ...sseHeaders, ...NO_RETRY_WAIT })
    res.flushHeaders()
    for (const [i, event] of plan.events.entries()) {
      if (i > 0 && !(await pause(delay, ac.signal))) return
      if (ac.signal.aborted) return
      res.write(formatSse(event))
    }
    if (plan.stall) return untilAborted(ac.signal)
    res.end()
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy()
      res.writeHead(500, { 'content-type': 'application/json' })
      res.end(JSON.stringify(openaiError(`fake-openai: internal error: ${String(err)}`, 'server_error', null)))
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('fake-openai: unexpected server address')

  let closing: Promise<void> | undefined
  return {
    url: `http://127.0.0.1:${address.port}/v1`,
    requests,
    get remainingTurns() {
      return script.length
    },
    enqueue(...turns: FakeTurn[]) {
      script.push(...turns)
    },
    settled(index: number) {
      return new Promise<FakeRequest>((resolve, reject) => {
        const waiter: Waiter = {
          check() {
            const r = requests[index]
            if (r && r.outcome !== 'pending') {
              waiters.delete(waiter)
              resolve(r)
            }
          },
          reject(err) {
            waiters.delete(waiter)
            reject(err)
          },
        }
        waiters.add(waiter)
        waiter.check()
      })
    },
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
        // Cuts hanging replies and idle keep-alive sockets; their 'close' handlers mark them aborted.
        server.closeAllConnections()
        await Promise.all([stopped, ...openReplies])
        for (const w of [...waiters]) w.reject(new Error('fake-openai: server closed before the request settled'))
      })()
      return closing
    },
  }
}
