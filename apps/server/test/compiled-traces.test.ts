// Traces from the compiled server (apps/server/dist), not the sources: the build bundles
// @opentelemetry/api and the tracing SDK into one copy (apps/server/scripts/build.mjs). Were the
// SDK to register its provider with another copy of the API than the one the engine's and the
// HTTP server's module-level tracers were made from, the server would run and export nothing of
// its own: no request span, no run.admit, no run.attempt. traces.test.ts covers the spans in
// detail, from the sources.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from '@runyard/db'
import { createTestDb, fakeTurn, startFakeOpenAI, type FakeOpenAI, type TestDb } from '@runyard/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildServerIfStale } from './support/build-server.ts'
import { eventually } from './support/eventually.ts'
import { spawnCompiledStart } from './support/source-cli.ts'
import { startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver.ts'

const SERVER = 2 // OTLP SpanKind
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'runyard-compiled-traces-'))
let db: TestDb | undefined
let fake: FakeOpenAI | undefined
let receiver: OtlpReceiver | undefined

beforeAll(async () => {
  buildServerIfStale()
  db = await createTestDb()
  fake = await startFakeOpenAI()
  receiver = await startOtlpReceiver()
}, 120_000)

afterAll(async () => {
  await receiver?.close()
  await fake?.close()
  await db?.drop()
  fs.rmSync(scratch, { recursive: true, force: true })
})

describe('the compiled server with tracing on', () => {
  it('exports the HTTP request span and the engine’s run.admit and run.attempt spans in one trace', async () => {
    const port = await freePort()
    const { proc, output, exited } = spawnCompiledStart({
      cwd: scratch,
      env: {
        DATABASE_URL: db!.url,
        RUNYARD_PORT: String(port),
        RUNYARD_LOG_LEVEL: 'warn',
        RUNYARD_SANDBOX: 'host',
        RUNYARD_WORKSPACES_DIR: path.join(scratch, 'workspaces'),
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: fake!.url,
        RUNYARD_MODEL: 'openai/gpt-test',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver!.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_SERVICE_NAME: 'runyard-compiled',
      },
    })
    const base = `http://127.0.0.1:${port}`
    try {
      await eventually(
        async () => (await fetch(`${base}/api/v1/health`).catch(() => undefined))?.ok || undefined,
        () => `the compiled server did not become healthy:\n${output()}`,
      )
      fake!.enqueue(fakeTurn.text('Traced.'))
      const traceId = crypto.randomBytes(16).toString('hex')
      const callerSpanId = crypto.randomBytes(8).toString('hex')
      const res = await fetch(`${base}/api/chat/runs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${callerSpanId}-01` },
        body: JSON.stringify({ prompt: 'Say traced.' }),
      })
      expect(res.status).toBe(202)
      const { runId } = (await res.json()) as { runId: string }

      const attempt = await receiver!.waitFor('the run.attempt span', (spans) =>
        spans.find((s) => s.name === 'run.attempt' && s.attributes['runyard.run.id'] === runId),
      )
      const inTrace = receiver!.spans.filter((s) => s.traceId === traceId)
      const request = inTrace.find((s) => s.kind === SERVER && s.parentSpanId === callerSpanId)
      expect(request).toMatchObject({ name: 'POST /api/chat/runs', resource: { 'service.name': 'runyard-compiled' } })
      const admit = inTrace.find((s) => s.name === 'run.admit')
      expect(admit).toMatchObject({ parentSpanId: request!.spanId, attributes: { 'runyard.run.id': runId } })
      expect(attempt).toMatchObject({
        traceId,
        parentSpanId: admit!.spanId,
        attributes: { 'runyard.run.status': 'completed' },
      })
    } finally {
      proc.kill('SIGTERM')
      expect(await exited, output()).toBe(0)
    }
  }, 180_000)
})
