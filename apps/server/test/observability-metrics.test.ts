// /metrics as Prometheus scrapes it, read with a real text-format parser after a few runs on the
// scripted executor: run, queue, token, tool, SSE and HTTP series with the counts the runs imply;
// and who may read it (keys mode, RUNYARD_METRICS_TOKEN, never a run's own key).
import { createTestDb, scriptPrompt, ScriptedExecutor, type ScriptStep } from '@runyard/testkit'
import type { RunContext } from '@runyard/contract'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createObservability } from '../src/observability/index.ts'
import { createLogger } from '../src/logger.ts'
import { withOpenTiming, type SandboxProvider } from '@runyard/agent-runtime'
import { Scrape, scrape } from './support/prometheus.ts'
import { seedTwoAccounts, startTestServer, type TestServer } from './support/server.ts'

async function waitForStatus(s: TestServer, runId: string, statuses: string[], key?: string) {
  for (let i = 0; i < 400; i++) {
    const r = await s.api(`/api/chat/runs/${runId}`, { key })
    if (statuses.includes(r.body.status)) return r.body as { status: string; chatId: string }
    await new Promise((res) => setTimeout(res, 50))
  }
  throw new Error(`run ${runId} never reached ${statuses.join('|')}`)
}

async function until<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await fn()
    if (v !== undefined) return v
    await new Promise((res) => setTimeout(res, 50))
  }
  throw new Error(`timed out waiting for ${what}`)
}

const start = (s: TestServer, script: ScriptStep[] | string, extra: Record<string, unknown> = {}) =>
  s.api('/api/chat/runs', {
    method: 'POST',
    json: { prompt: typeof script === 'string' ? script : scriptPrompt(script), ...extra },
  })

describe('/metrics after a few runs', () => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer()
  })
  afterAll(async () => s?.stop())

  it('has the run, token, tool, duration and event series with the counts of the runs', async () => {
    const completed = [
      [
        { text: 'hi' },
        { tool: 'bash', output: 'ok' },
        { tool: 'read', isError: true, output: 'no such file' },
        { step: { input: 10, output: 5 } },
        { text: 'done' },
        { step: { input: 3, output: 1, cacheRead: 2 } },
      ],
      [{ reasoning: 'hmm' }, { text: 'ok' }, { step: { input: 7, output: 4, cacheWrite: 1 } }],
    ] satisfies ScriptStep[][]
    const ids: string[] = []
    for (const script of completed) ids.push((await start(s, script)).body.runId)
    const failed = (
      await start(s, [
        { text: 'trying' },
        { step: { input: 1, output: 1 } },
        { fail: 'llm', message: 'provider said 401' },
      ])
    ).body.runId
    // through another surface: the OpenAI Responses API
    const response = await s.api('/v1/responses', {
      method: 'POST',
      json: { model: 'default', input: scriptPrompt([{ text: 'r' }, { step: { input: 2, output: 2 } }]) },
    })
    expect(response.status).toBe(200)
    for (const id of ids) await waitForStatus(s, id, ['completed'])
    await waitForStatus(s, failed, ['failed'])

    // counted by the finishing worker right after its statement committed
    const m = await until('the four runs to be counted finished', async () => {
      const scraped = await scrape(s.url)
      return scraped.value('runyard_runs_finished_total') === 4 ? scraped : undefined
    })
    expect(m.family('runyard_runs_started_total').type).toBe('COUNTER')
    expect(m.value('runyard_runs_started_total', { surface: 'chat', kind: 'async' })).toBe(3)
    expect(m.value('runyard_runs_started_total', { surface: 'responses', kind: 'response' })).toBe(1)
    expect(
      m.value('runyard_runs_finished_total', { status: 'completed', error_code: '', kind: 'async', surface: 'chat' }),
    ).toBe(2)
    expect(
      m.value('runyard_runs_finished_total', { status: 'failed', error_code: 'llm', kind: 'async', surface: 'chat' }),
    ).toBe(1)
    expect(
      m.value('runyard_runs_finished_total', { status: 'completed', kind: 'response', surface: 'responses' }),
    ).toBe(1)
    expect(m.count('runyard_run_duration_seconds', { status: 'completed' })).toBe(3)
    expect(m.count('runyard_run_duration_seconds', { status: 'failed' })).toBe(1)
    // every run wrote an event of its own before finishing
    expect(m.count('runyard_run_time_to_first_event_seconds')).toBe(4)
    expect(m.count('runyard_run_queue_wait_seconds')).toBe(4)

    // one model call per completed step, tokens summed per type
    expect(m.value('runyard_model_calls_total', { model: 'scripted' })).toBe(5)
    expect(m.value('runyard_model_tokens_total', { model: 'scripted', type: 'input' })).toBe(10 + 3 + 7 + 1 + 2)
    expect(m.value('runyard_model_tokens_total', { model: 'scripted', type: 'output' })).toBe(5 + 1 + 4 + 1 + 2)
    expect(m.value('runyard_model_tokens_total', { model: 'scripted', type: 'cache_read' })).toBe(2)
    expect(m.value('runyard_model_tokens_total', { model: 'scripted', type: 'cache_write' })).toBe(1)
    expect(m.value('runyard_tool_calls_total', { tool: 'bash', outcome: 'ok' })).toBe(1)
    expect(m.value('runyard_tool_calls_total', { tool: 'read', outcome: 'error' })).toBe(1)
    expect(m.samples('runyard_tool_calls_total')).toHaveLength(2)

    // every event in the logs, counted as written (admission, claim, execution and finish alike)
    const [stored] = await s.testDb.prisma.$queryRawUnsafe<{ n: number }[]>('SELECT count(*)::int AS n FROM "RunEvent"')
    expect(stored!.n).toBeGreaterThan(20)
    expect(m.value('runyard_run_events_written_total')).toBe(stored!.n)
    expect(m.family('runyard_run_events_written_total').type).toBe('COUNTER')
  })

  it('reports the queue (depth and oldest age) and the event streams open now', async () => {
    const busy = (await start(s, [{ hang: true }])).body
    await waitForStatus(s, busy.runId, ['running'])
    const waiting = (await start(s, 'after the busy one', { chatId: busy.chatId, ifBusy: 'enqueue' })).body
    expect((await s.api(`/api/chat/runs/${waiting.runId}`)).body.status).toBe('queued')
    let m = await scrape(s.url)
    expect(m.family('runyard_queue_depth').type).toBe('GAUGE')
    expect(m.value('runyard_queue_depth')).toBe(1)
    expect(m.value('runyard_queue_oldest_age_seconds')).toBeGreaterThanOrEqual(0)

    // a client on the chat's live stream
    const reading = new AbortController()
    const stream = await fetch(`${s.url}/api/chat/${busy.chatId}/stream`, { signal: reading.signal })
    expect(stream.headers.get('content-type')).toContain('text/event-stream')
    m = await scrape(s.url)
    expect(m.value('runyard_sse_streams_active')).toBe(1)
    reading.abort()
    await stream.body?.cancel().catch(() => {})
    await until('the stream to be counted closed', async () =>
      (await scrape(s.url)).value('runyard_sse_streams_active') === 0 ? true : undefined,
    )

    expect((await s.api(`/api/chat/runs/${busy.runId}/cancel`, { method: 'POST' })).status).toBe(200)
    await waitForStatus(s, waiting.runId, ['completed'])
    m = await until('both runs to be counted finished', async () => {
      const scraped = await scrape(s.url)
      return scraped.value('runyard_runs_finished_total', { status: 'cancelled' }) === 1 &&
        scraped.value('runyard_runs_finished_total') === 6
        ? scraped
        : undefined
    })
    expect(m.value('runyard_queue_depth')).toBe(0)
    expect(m.value('runyard_queue_oldest_age_seconds')).toBe(0)
    expect(
      m.value('runyard_runs_finished_total', { status: 'cancelled', error_code: 'cancelled', surface: 'chat' }),
    ).toBe(1)
  })

  it('times HTTP requests by route template, never by raw path', async () => {
    const run = (await start(s, [{ text: 'x' }])).body
    await waitForStatus(s, run.runId, ['completed'])
    expect((await s.api('/api/chat/runs/run_doesnotexist')).status).toBe(404)
    const m = await scrape(s.url)
    const routes = m.samples('runyard_http_request_duration_seconds_count').map((x) => x.labels!.route!)
    expect(routes).toContain('/api/chat/runs/:runId')
    expect(
      m.count('runyard_http_request_duration_seconds', { method: 'POST', route: '/api/chat/runs', status: '202' }),
    ).toBeGreaterThanOrEqual(1)
    expect(
      m.count('runyard_http_request_duration_seconds', {
        method: 'GET',
        route: '/api/chat/runs/:runId',
        status: '404',
      }),
    ).toBe(1)
    expect(routes.filter((r) => /run_|chat_|sess_/.test(r))).toEqual([])
    // an event stream is not a latency
    expect(routes).not.toContain('/api/chat/:chatId/stream')
  })

  it('keeps the HTTP series bounded whatever paths clients send', async () => {
    const series = async () => (await scrape(s.url)).samples('runyard_http_request_duration_seconds_count').length
    const paths = (i: number) => [
      `/nowhere/${i}`,
      `/api/sessions/sess_${i}x`,
      `/api/chat/runs/run_${i}/events/x`,
      `/trpc/made.up${i}`,
      `/v1/x${i}`,
      `/assets/${i}.js`,
      `/metrics/${i}`,
    ]
    // once each first, so every label combination these requests make exists
    for (const p of paths(0)) await (await fetch(`${s.url}${p}`)).arrayBuffer()
    const before = await series()
    for (let i = 1; i <= 150; i++)
      await Promise.all(paths(i).map(async (p) => (await fetch(`${s.url}${p}`)).arrayBuffer()))
    // the scrape itself may add its own route's series once
    expect(await series()).toBeLessThanOrEqual(before + 1)
  })

  it("a model calling made-up tools cannot crowd the agent's own tools out of the tool label, nor make long labels", async () => {
    // what a hostile model can do: call tools that do not exist (the AI SDK reports each as a
    // failed call under the name the model chose), 200 names, one of them 5,000 characters long
    const madeUp: ScriptStep[] = Array.from({ length: 200 }, (_, i) => ({
      tool: i === 0 ? 'x'.repeat(5000) : `made_up_${i}`,
      output: 'Model tried to call unavailable tool',
      isError: true,
    }))
    const run = (await start(s, [...madeUp, { tool: 'grep', output: 'found' }, { step: {} }])).body
    await waitForStatus(s, run.runId, ['completed'])
    const m = await scrape(s.url)
    expect(m.value('runyard_tool_calls_total', { tool: 'grep', outcome: 'ok' })).toBe(1)
    const tools = m.samples('runyard_tool_calls_total').map((x) => x.labels!.tool!)
    expect(tools.length).toBeLessThanOrEqual(64)
    expect(Math.max(...tools.map((t) => t.length))).toBeLessThanOrEqual(64)
    expect(m.value('runyard_tool_calls_total', { tool: 'other', outcome: 'error' })).toBeGreaterThan(0)
  })

  it("carries the process metrics (memory, CPU, event loop) beside Runyard's own", async () => {
    const m = await scrape(s.url)
    expect(m.value('process_resident_memory_bytes')).toBeGreaterThan(0)
    expect(m.families.has('nodejs_eventloop_lag_seconds')).toBe(true)
  })
})

describe('sandbox start time', () => {
  it('times each open of a sandbox provider, failures included', async () => {
    const observability = createObservability(createLogger('silent'), async () => ({
      queued: 0,
      oldestQueuedSeconds: 0,
    }))
    const provider: SandboxProvider = {
      kind: 'local',
      available: async () => ({ available: true }) as never,
      open: async (o) => {
        if (o.sessionId === 'bad') throw new Error('no bwrap')
        return { sandbox: {} as never, sandboxState: null }
      },
      hibernate: async () => {},
    }
    const timed = withOpenTiming(provider, observability.agentHooks.onSandboxOpened!)
    expect(typeof timed.hibernate).toBe('function')
    expect(timed.destroy).toBeUndefined()
    await timed.open({ sessionId: 'ok', env: {} })
    await timed.open({ sessionId: 'ok', env: {} })
    await expect(timed.open({ sessionId: 'bad', env: {} })).rejects.toThrow('no bwrap')
    const m = new Scrape((await observability.metrics.scrape()).body)
    expect(m.count('runyard_sandbox_start_seconds', { sandbox: 'local', outcome: 'ok' })).toBe(2)
    expect(m.count('runyard_sandbox_start_seconds', { sandbox: 'local', outcome: 'error' })).toBe(1)
  })
})

describe('who may read /metrics', () => {
  const token = 'metrics-token-0123456789'

  it("keys mode: a valid key, or the metrics token; not anonymous, not a wrong key, not a run's own key", async () => {
    const testDb = await createTestDb()
    const keys = await seedTwoAccounts(testDb)
    const runKeys: string[] = []
    const s = await startTestServer({
      testDb,
      env: { RUNYARD_METRICS_TOKEN: token },
      executor: new ScriptedExecutor({ onStart: (ctx: RunContext) => void runKeys.push(ctx.apiKey) }),
    })
    try {
      expect(s.authMode).toBe('keys')
      const get = (headers: Record<string, string> = {}) => fetch(`${s.url}/metrics`, { headers })
      const anonymous = await get()
      expect(anonymous.status).toBe(401)
      expect(anonymous.headers.get('content-type')).toContain('application/json')
      expect((await get({ 'x-api-key': 'ry_wrong' })).status).toBe(401)
      expect((await get({ authorization: 'Bearer not-the-token' })).status).toBe(401)
      expect((await get({ 'x-api-key': keys.a })).status).toBe(200)
      const withToken = await get({ authorization: `Bearer ${token}` })
      expect(withToken.status).toBe(200)
      expect(withToken.headers.get('content-type')).toContain('text/plain')
      // a run's ephemeral key, taken from inside its run
      const run = (
        await s.api('/api/chat/runs', { method: 'POST', json: { prompt: scriptPrompt([{ hang: true }]) }, key: keys.a })
      ).body
      await waitForStatus(s, run.runId, ['running'], keys.a)
      const runKey = await until('the run key', async () => runKeys[0])
      expect((await get({ 'x-api-key': runKey })).status).toBe(403)
      await s.api(`/api/chat/runs/${run.runId}/cancel`, { method: 'POST', key: keys.a })
    } finally {
      await s.stop()
    }
  })

  it('local mode: open without a token; with RUNYARD_METRICS_TOKEN set, the token is required', async () => {
    const open = await startTestServer()
    try {
      expect(open.authMode).toBe('local')
      expect((await fetch(`${open.url}/metrics`)).status).toBe(200)
    } finally {
      await open.stop()
    }
    const guarded = await startTestServer({ env: { RUNYARD_METRICS_TOKEN: token } })
    try {
      expect((await fetch(`${guarded.url}/metrics`)).status).toBe(401)
      expect(
        (await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer some-other-secret' } })).status,
      ).toBe(401)
      expect((await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
        200,
      )
    } finally {
      await guarded.stop()
    }
  })
})
