// Logs for people and machines: the format (pretty on a terminal, JSON otherwise or when asked),
// request lines at debug with method, path, status and ms only, and one info line per run end.
import { PassThrough } from 'node:stream'
import { scriptPrompt } from '@runyard/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.ts'
import { createLogger, resolveLogFormat } from '../src/logger.ts'
import { startTestServer, type TestServer } from './support/server.ts'

/** A destination that keeps what is written; `tty` makes it look like a terminal. */
function capture(tty = false) {
  const stream = Object.assign(new PassThrough(), { isTTY: tty })
  let text = ''
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()))
  return {
    stream,
    text: () => text,
    lines: () =>
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  }
}

async function until<T>(what: string, fn: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = fn()
    if (v !== undefined) return v
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('the log format', () => {
  it('auto is pretty on a terminal and JSON anywhere else; pretty and json are what they say', () => {
    expect(resolveLogFormat('auto', { isTTY: true })).toBe('pretty')
    expect(resolveLogFormat('auto', { isTTY: false })).toBe('json')
    expect(resolveLogFormat('auto', {})).toBe('json')
    expect(resolveLogFormat('json', { isTTY: true })).toBe('json')
    expect(resolveLogFormat('pretty', {})).toBe('pretty')
  })

  it('writes one JSON object per line for machines, one readable line per entry for people', async () => {
    const json = capture(true)
    createLogger('info', { format: 'json', destination: json.stream }).info({ runId: 'run_1' }, 'run completed')
    const [line] = await until('the JSON line', () => (json.text() ? json.lines() : undefined))
    expect(line).toMatchObject({ level: 30, msg: 'run completed', runId: 'run_1', service: 'runyard' })

    const tty = capture(true)
    createLogger('info', { destination: tty.stream }).info({ runId: 'run_2' }, 'run completed')
    const pretty = await until('the pretty line', () => tty.text() || undefined)
    expect(pretty.trimEnd().split('\n')).toHaveLength(1)
    expect(pretty).toContain('INFO')
    expect(pretty).toContain('run completed')
    expect(pretty).toContain('"runId":"run_2"')
    expect(() => JSON.parse(pretty)).toThrow()

    const file = capture(false)
    createLogger('info', { destination: file.stream }).info('to a file')
    expect(await until('the line', () => (file.text() ? file.lines() : undefined))).toMatchObject([
      { msg: 'to a file' },
    ])

    // forced pretty without a terminal: no colour codes
    const piped = capture(false)
    createLogger('info', { format: 'pretty', destination: piped.stream }).warn('careful')
    const plain = await until('the pretty line', () => piped.text() || undefined)
    expect(plain).toContain('WARN')
    expect(plain).not.toContain('\u001b[')
  })

  it('RUNYARD_LOG_FORMAT chooses it (auto by default; config.test.ts has its mistakes)', () => {
    expect(loadConfig({}, '/srv').server.logFormat).toBe('auto')
    expect(loadConfig({ RUNYARD_LOG_FORMAT: 'JSON' }, '/srv').server.logFormat).toBe('json')
    expect(loadConfig({ RUNYARD_LOG_FORMAT: 'pretty' }, '/srv').server.logFormat).toBe('pretty')
  })
})

describe('what a server logs', () => {
  const out = capture()
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer({ log: createLogger('debug', { format: 'json', destination: out.stream }) })
  })
  afterAll(async () => s?.stop())

  it('logs each request at debug with its method, path, status and ms only: no headers, no query string', async () => {
    const secret = 'ry_secret_that_must_not_be_logged'
    const res = await fetch(`${s.url}/api/sessions?token=${secret}`, {
      headers: { 'x-api-key': secret, authorization: `Bearer ${secret}`, cookie: `c=${secret}` },
    })
    expect(res.status).toBe(200)
    const line = await until('the request line', () =>
      out.lines().find((l) => l.msg === 'request' && l.path === '/api/sessions'),
    )
    expect(line).toEqual({
      level: 20,
      time: expect.any(Number),
      service: 'runyard',
      method: 'GET',
      path: '/api/sessions',
      status: 200,
      ms: expect.any(Number),
      msg: 'request',
    })
    expect(out.text()).not.toContain(secret)
    expect(out.text()).not.toContain('user-agent')
    // probes are not logged
    await fetch(`${s.url}/healthz`)
    await fetch(`${s.url}/api/v1/health`)
    await s.api('/api/sessions')
    await until(
      'a later request line',
      () => out.lines().filter((l) => l.path === '/api/sessions').length === 2 || undefined,
    )
    expect(out.lines().filter((l) => l.path === '/healthz' || l.path === '/api/v1/health')).toEqual([])
  })

  it('logs a failed run once, at info, with its error code, ids, duration and tokens', async () => {
    const started = await s.api('/api/chat/runs', {
      method: 'POST',
      json: {
        prompt: scriptPrompt([
          { text: 'calling the model' },
          { step: { input: 12, output: 3 } },
          { fail: 'llm', message: '401 Incorrect API key provided' },
        ]),
      },
    })
    const { runId, chatId, sessionId } = started.body as { runId: string; chatId: string; sessionId: string }
    const line = await until('the run-end line', () =>
      out.lines().find((l) => l.runId === runId && String(l.msg).startsWith('run ')),
    )
    expect(line).toMatchObject({
      level: 30,
      msg: 'run failed',
      runId,
      chatId,
      sessionId,
      accountId: expect.stringMatching(/^acct_/),
      status: 'failed',
      errorCode: 'llm',
      error: '401 Incorrect API key provided',
      durationMs: expect.any(Number),
      tokens: { input: 12, output: 3, cacheRead: 0, cacheWrite: 0 },
    })
    // exactly one, from the process that finished the run
    await new Promise((r) => setTimeout(r, 200))
    expect(out.lines().filter((l) => l.runId === runId && String(l.msg).startsWith('run '))).toHaveLength(1)
  })

  it('writes no request lines at the default level', async () => {
    const info = capture()
    const quiet = await startTestServer({ log: createLogger('info', { format: 'json', destination: info.stream }) })
    try {
      expect((await quiet.api('/api/sessions')).status).toBe(200)
      const run = await quiet.api('/api/chat/runs', { method: 'POST', json: { prompt: 'hi' } })
      await until('the run-end line', () =>
        info.lines().find((l) => l.runId === run.body.runId && l.msg === 'run completed'),
      )
      expect(info.lines().filter((l) => l.msg === 'request')).toEqual([])
    } finally {
      await quiet.stop()
    }
  })
})
