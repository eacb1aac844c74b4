// OpenTelemetry traces end to end: real `runyard start` processes on one database, the real agent
// (the @ai-sdk/openai provider against the fake OpenAI server, a tool in a host sandbox), exporting
// OTLP/HTTP (JSON) to a test receiver. One trace per run: the HTTP request that admitted it (itself
// a child of the caller's traceparent), admission, the claim, every step, model call and tool call;
// a run whose worker is killed is resumed by another process in the same trace; the trace id is
// on GET /api/chat/runs/{id}. The SDK itself: protobuf export and flush on shutdown.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { trace } from '@opentelemetry/api'
import { createTestDb, fakeTurn, startFakeOpenAI, type FakeOpenAI, type TestDb } from '@runyard/testkit'
import { spawnRunyard, type RunyardProcess } from '@runyard/testkit/runyard-process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.ts'
import { createLogger } from '../src/logger.ts'
import { startTracing } from '../src/telemetry/index.ts'
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.ts'

const SERVER = 2 // OTLP SpanKind
let db: TestDb
let fake: FakeOpenAI
let receiver: OtlpReceiver
let tmp: string
const procs: RunyardProcess[] = []

function env(serviceName: string): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    RUNYARD_PORT: '0',
    RUNYARD_RUN_LEASE_MS: '3000',
    RUNYARD_EXECUTOR_MODULE: '', // the real agent, not the test suite's scripted executor
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: fake.url,
    RUNYARD_MODEL: 'openai/gpt-test',
    RUNYARD_SANDBOX: 'host',
    RUNYARD_WORKSPACES_DIR: path.join(tmp, 'workspaces'),
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_SERVICE_NAME: serviceName,
  }
}

beforeAll(async () => {
  db = await createTestDb()
  fake = await startFakeOpenAI()
  receiver = await startOtlpReceiver()
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'traces-'))
}, 60_000)

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop().catch(() => {})))
  await receiver?.close()
  await fake?.close()
  await db?.drop()
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

async function startRun(
  base: string,
  prompt: string,
  opts: { headers?: Record<string, string>; chatId?: string } = {},
): Promise<{ runId: string; chatId: string }> {
  const res = await fetch(`${base}/api/chat/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...opts.headers },
    body: JSON.stringify({ prompt, chatId: opts.chatId }),
  })
  expect(res.status).toBe(202)
  return (await res.json()) as { runId: string; chatId: string }
}

async function getRun(base: string, runId: string): Promise<{ status: string; traceId: string | null }> {
  const res = await fetch(`${base}/api/chat/runs/${runId}`)
  expect(res.status).toBe(200)
  return (await res.json()) as { status: string; traceId: string | null }
}

async function waitForStatus(base: string, runId: string, status: string) {
  const deadline = Date.now() + 90_000
  for (;;) {
    const run = await getRun(base, runId)
    if (run.status === status) return run
    if (Date.now() > deadline) throw new Error(`run ${runId} is ${run.status}, not ${status}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const childrenOf = (spans: ReceivedSpan[], parent: ReceivedSpan) =>
  spans.filter((s) => s.traceId === parent.traceId && s.parentSpanId === parent.spanId)
const one = (spans: ReceivedSpan[], what: string) => {
  expect(
    spans.map((s) => s.name),
    what,
  ).toHaveLength(1)
  return spans[0]!
}

describe('traces', () => {
  it(
    'one trace per run: the request, admission, claim, every step, model call and tool call',
    { timeout: 120_000 },
    async () => {
      const a = await spawnRunyard('start', env('runyard-a'))
      procs.push(a)
      fake.enqueue(
        fakeTurn.tool('bash', { command: 'echo traced' }, { id: 'call_echo', usage: { input: 50, output: 5 } }),
        fakeTurn.text('The tool said traced.', { usage: { input: 80, output: 4 } }),
      )
      // the caller's own trace: the request continues it
      const callerTraceId = crypto.randomBytes(16).toString('hex')
      const callerSpanId = crypto.randomBytes(8).toString('hex')
      const { runId, chatId } = await startRun(a.url, 'Run the echo.', {
        headers: { traceparent: `00-${callerTraceId}-${callerSpanId}-01` },
      })
      const done = await waitForStatus(a.url, runId, 'completed')
      expect(done.traceId).toBe(callerTraceId)

      // every span of the run, once the last one (the attempt, ended after the run's outcome) arrived
      const attempt = await receiver.waitFor('the run.attempt span', (spans) =>
        spans.find((s) => s.name === 'run.attempt' && s.attributes['runyard.run.id'] === runId),
      )
      const spans = receiver.spans.filter((s) => s.traceId === callerTraceId)
      // no span of this run in any other trace
      expect(
        receiver.spans.filter((s) => s.attributes['runyard.run.id'] === runId && s.traceId !== callerTraceId),
      ).toEqual([])

      const request = one(
        spans.filter((s) => s.kind === SERVER && s.parentSpanId === callerSpanId),
        'the HTTP server span',
      )
      expect(request).toMatchObject({
        name: 'POST /api/chat/runs',
        attributes: { 'http.request.method': 'POST', 'http.route': '/api/chat/runs', 'http.response.status_code': 202 },
      })
      expect(request.resource['service.name']).toBe('runyard-a')
      const admit = one(
        childrenOf(spans, request).filter((s) => s.name === 'run.admit'),
        'run.admit under the request',
      )
      expect(admit.attributes).toMatchObject({ 'runyard.run.id': runId, 'runyard.run.kind': 'async' })
      expect(attempt.parentSpanId).toBe(admit.spanId)
      expect(attempt.attributes).toMatchObject({
        'runyard.run.attempt': 1,
        'runyard.run.resumed': false,
        'runyard.run.status': 'completed',
      })
      one(
        childrenOf(spans, attempt).filter((s) => s.name === 'run.claim'),
        'run.claim under the attempt',
      )

      // the AI SDK's GenAI spans under the attempt: the agent, its two steps, a model call in each, the tool call in the first
      const agent = one(
        childrenOf(spans, attempt).filter((s) => s.name.startsWith('invoke_agent')),
        'invoke_agent under the attempt',
      )
      expect(agent.attributes['gen_ai.operation.name']).toBe('invoke_agent')
      const steps = childrenOf(spans, agent).filter((s) => s.attributes['gen_ai.operation.name'] === 'agent_step')
      expect(steps.map((s) => s.name).sort()).toEqual(['step 1', 'step 2'])
      const [step1, step2] = ['step 1', 'step 2'].map((n) => steps.find((s) => s.name === n)!)
      const chat1 = one(
        childrenOf(spans, step1!).filter((s) => s.attributes['gen_ai.operation.name'] === 'chat'),
        'the model call of step 1',
      )
      const chat2 = one(
        childrenOf(spans, step2!).filter((s) => s.attributes['gen_ai.operation.name'] === 'chat'),
        'the model call of step 2',
      )
      expect(chat1).toMatchObject({
        name: 'chat gpt-test',
        attributes: {
          'gen_ai.request.model': 'gpt-test',
          'gen_ai.usage.input_tokens': 50,
          'gen_ai.usage.output_tokens': 5,
        },
      })
      expect(chat2.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 80, 'gen_ai.usage.output_tokens': 4 })
      const tool = one(
        childrenOf(spans, step1!).filter((s) => s.attributes['gen_ai.operation.name'] === 'execute_tool'),
        'the tool call of step 1',
      )
      expect(tool).toMatchObject({
        name: 'execute_tool bash',
        attributes: { 'gen_ai.tool.name': 'bash', 'gen_ai.tool.call.id': 'call_echo' },
      })
      // content is not recorded unless OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT is set
      expect(JSON.stringify(spans)).not.toContain('echo traced')

      // the chat's next run (as a turn answering a client tool call would be) is a trace of its
      // own, linked to the run it continues
      fake.enqueue(fakeTurn.text('Again.'))
      const next = await startRun(a.url, 'Once more.', { chatId })
      const nextRun = await waitForStatus(a.url, next.runId, 'completed')
      expect(nextRun.traceId).toMatch(/^[0-9a-f]{32}$/)
      expect(nextRun.traceId).not.toBe(callerTraceId)
      const nextAdmit = await receiver.waitFor('the next run.admit span', (all) =>
        all.find((s) => s.name === 'run.admit' && s.attributes['runyard.run.id'] === next.runId),
      )
      expect(nextAdmit.traceId).toBe(nextRun.traceId)
      expect(nextAdmit.links).toEqual([
        { traceId: callerTraceId, spanId: admit.spanId, attributes: { 'runyard.link.kind': 'previous_run' } },
      ])
    },
  )

  it(
    'a run resumed by another process after its worker was lost continues the same trace',
    { timeout: 150_000 },
    async () => {
      const a = procs[0]!
      fake.enqueue(fakeTurn.hang('Working on'), fakeTurn.text('Resumed and done.'))
      const { runId } = await startRun(a.url, 'Resume me.')
      const admitted = await getRun(a.url, runId)
      expect(admitted.traceId).toMatch(/^[0-9a-f]{32}$/)
      // the admission span was exported, and the model call hangs under A's worker
      const admit = await receiver.waitFor('the run.admit span', (spans) =>
        spans.find((s) => s.name === 'run.admit' && s.attributes['runyard.run.id'] === runId),
      )
      expect(admit.traceId).toBe(admitted.traceId)
      await receiver.waitFor('the hanging model request', () =>
        fake.requests.some((r) => r.lastUserText === 'Resume me.' && r.outcome === 'pending'),
      )
      await a.kill()

      const b = await spawnRunyard('start', env('runyard-b'))
      procs.push(b)
      const done = await waitForStatus(b.url, runId, 'completed')
      expect(done.traceId).toBe(admitted.traceId)
      expect((await db.prisma.run.findUniqueOrThrow({ where: { id: runId } })).attempt).toBe(2)
      const resumed = await receiver.waitFor('the second attempt', (spans) =>
        spans.find(
          (s) =>
            s.name === 'run.attempt' &&
            s.attributes['runyard.run.id'] === runId &&
            s.attributes['runyard.run.attempt'] === 2,
        ),
      )
      expect(resumed).toMatchObject({
        traceId: admitted.traceId,
        parentSpanId: admit.spanId,
        resource: { 'service.name': 'runyard-b' },
      })
      expect(resumed.attributes).toMatchObject({ 'runyard.run.resumed': true, 'runyard.run.status': 'completed' })
      const agent = one(
        childrenOf(receiver.spans, resumed).filter((s) => s.name.startsWith('invoke_agent')),
        'invoke_agent under the resumed attempt',
      )
      expect(
        receiver.spans.filter(
          (s) =>
            s.traceId === admitted.traceId && s.parentSpanId !== '' && s.attributes['gen_ai.operation.name'] === 'chat',
        ).length,
      ).toBeGreaterThanOrEqual(1)
      expect(agent.resource['service.name']).toBe('runyard-b')
      expect(
        receiver.spans.filter((s) => s.attributes['runyard.run.id'] === runId && s.traceId !== admitted.traceId),
      ).toEqual([])
    },
  )

  it('exports protobuf by default and sends what is still batched when it shuts down', async () => {
    const before = receiver.binaryRequests.length
    // a batch delay far beyond the test: only the shutdown's flush can send the span
    const config = loadConfig({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
      OTEL_BSP_SCHEDULE_DELAY: '600000',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-token=abc',
    })
    expect(config.tracing).toMatchObject({ protocol: 'http/protobuf', headers: { 'x-token': 'abc' } })
    const tracing = await startTracing(config.tracing, createLogger('silent'))
    trace.getTracer('test').startSpan('flushed on shutdown').end()
    expect(receiver.binaryRequests.length).toBe(before)
    await tracing!.shutdown()
    expect(receiver.binaryRequests.slice(before)).toEqual([
      { path: '/v1/traces', contentType: 'application/x-protobuf', bytes: expect.any(Number) },
    ])
    // shut down, the API is a no-op again
    expect(trace.getTracer('test').startSpan('after').isRecording()).toBe(false)
  })
})
