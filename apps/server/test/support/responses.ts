// Helpers for the Responses API tests: the official `openai` SDK pointed at a test server, with
// every response it receives (JSON bodies and SSE frames) validated against /openapi.json; a
// scripted executor that records what each run received; a TCP proxy to cut the database.
import net from 'node:net'
import path from 'node:path'
import type { RunContext, UIMessage } from '@runyard/contract'
import { createApiKey } from '@runyard/services'
import { createTestDb, readSse, scriptFromMessages, ScriptedExecutor, type ScriptStep } from '@runyard/testkit'
import OpenAI from 'openai'
import { startTestServer, type TestServer } from './server.ts'

/** Problems found by the validating fetch (asserted empty by the tests, via `settledOpenapiProblems`). */
export const openapiProblems: Error[] = []
/** SSE frame checks still reading their copy of a stream. */
const pendingFrameChecks = new Set<Promise<void>>()

/** Waits for every SSE frame check started so far (a stream's last frames are checked after the SDK is done with it), then takes the problems found. */
export async function settledOpenapiProblems(): Promise<Error[]> {
  while (pendingFrameChecks.size) await Promise.all(pendingFrameChecks)
  return openapiProblems.splice(0)
}

/** A fetch that validates what the server answered, then hands the response to the SDK untouched. */
export function validatingFetch(s: Pick<TestServer, 'openapi'>): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init)
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url)
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase()
    const type = res.headers.get('content-type')
    const record = (err: unknown) => {
      if (err instanceof Error && err.message.startsWith('OpenAPI')) openapiProblems.push(err)
    }
    try {
      if ((type ?? '').includes('text/event-stream')) {
        s.openapi.check(method, url.pathname, res.status, type, undefined)
        const copy = res.clone()
        const check = (async () => {
          for await (const frame of readSse(copy))
            if (frame.data && frame.data !== '[DONE]')
              s.openapi.checkSseFrame(method, url.pathname, JSON.parse(frame.data))
        })()
          .catch(record)
          .finally(() => pendingFrameChecks.delete(check))
        pendingFrameChecks.add(check)
      } else {
        const text = await res.clone().text()
        const body = text && (type ?? '').includes('json') ? JSON.parse(text) : text || undefined
        s.openapi.check(method, url.pathname, res.status, type, body)
      }
    } catch (err) {
      record(err)
    }
    return res
  }
}

export function sdk(s: TestServer, apiKey: string): OpenAI {
  return new OpenAI({ baseURL: `${s.url}/v1`, apiKey, maxRetries: 0, fetch: validatingFetch(s) })
}

/**
 * A test server (`opts` as startTestServer's) with one account, its personal key `sdk`, and an
 * `openai` client holding that key; `stop()` stops the server and drops its database.
 */
export async function startSdkServer(
  account: { id: string; name: string },
  opts: Omit<NonNullable<Parameters<typeof startTestServer>[0]>, 'testDb'> = {},
): Promise<{ server: TestServer; client: OpenAI; key: string; stop(): Promise<void> }> {
  const testDb = await createTestDb()
  await testDb.prisma.account.create({ data: account })
  const key = (await createApiKey(testDb.prisma, { accountId: account.id, name: 'sdk', kind: 'personal' })).secret
  const server = await startTestServer({ ...opts, testDb })
  const stop = async () => {
    await server.stop()
    await testDb.drop()
  }
  return { server, client: sdk(server, key), key, stop }
}

export interface Received {
  ctx: RunContext
  /** The chat transcript when the run started (earlier turns + this turn). */
  transcript: Promise<UIMessage[]>
}

/**
 * A scripted executor whose script is the JSON in the new user message, after an optional
 * `[Context: …]` line (x_context); records every run's context and starting transcript.
 */
export function recordingExecutor(): { executor: ScriptedExecutor; received: Map<string, Received> } {
  const received = new Map<string, Received>()
  const executor = new ScriptedExecutor({
    onStart: (ctx) => received.set(ctx.run.id, { ctx, transcript: ctx.loadMessages() }),
    script: (ctx) => {
      const last = [...(ctx.run.input.messages ?? [])].reverse().find((m) => m.role === 'user')
      const part = last?.parts.find((p): p is { type: 'text'; text: string } => p.type === 'text')
      if (!part || !part.text.startsWith('[Context:')) return scriptFromMessages(ctx)
      try {
        return (JSON.parse(part.text.slice(part.text.indexOf('\n') + 1)) as { script?: ScriptStep[] }).script
      } catch {
        return undefined
      }
    },
  })
  return { executor, received }
}

export const runIdOf = (responseId: string) => `run_${responseId.slice('resp_'.length)}`

/** Polls `fn` (sync or async) until it returns a truthy value; fails naming `what` after `timeoutMs`. */
export async function until<T>(
  what: string,
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** A TCP proxy in front of PostgreSQL: `cut()` makes the database unreachable, `restore()` undoes it. */
export async function startTcpProxy(
  target: string,
): Promise<{ port: number; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const t = new URL(target)
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    // as node-postgres does: `?host=<dir>` is a Unix socket directory (the embedded server's)
    const socketDir = t.searchParams.get('host')
    const port = Number(t.port || 5432)
    const upstream = socketDir?.startsWith('/')
      ? net.connect(path.join(socketDir, `.s.PGSQL.${port}`))
      : net.connect(port, t.hostname)
    for (const sock of [client, upstream]) {
      sockets.add(sock)
      sock.on('close', () => sockets.delete(sock))
      sock.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream)
    upstream.pipe(client)
  })
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()))
  await listen(0)
  const port = (server.address() as net.AddressInfo).port
  const stop = async () => {
    for (const sock of sockets) sock.destroy()
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  return { port, cut: stop, restore: () => listen(port), close: stop }
}
