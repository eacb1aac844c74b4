// An OpenAPI-driven fuzzer over every API surface of a real server (keys mode, two accounts with
// real data): every documented operation of /openapi.json with valid and hostile inputs
// (path ids, query strings, JSON bodies, content types, keys and headers), the undocumented
// methods of its paths, unknown paths under /api, /api/v1 and /v1, every tRPC procedure (queries,
// mutations, batches, subscriptions, wrong methods, unknown procedures) and /openapi.json.
//
// Every response must: not be a 5xx; not be HTML; carry no stack trace or database message; and
// match the contract — a documented operation's response is valid against /openapi.json (status,
// content type, body; status and content type only for event streams), an undocumented
// method/path answers a JSON 404/405 in its surface's error shape, tRPC answers tRPC JSON.
//
// Requests come from a seeded PRNG: RUNYARD_FUZZ_SEED=<seed> replays a run, RUNYARD_FUZZ_ONLY=<n,…>
// sends only those requests of it, RUNYARD_FUZZ_REQUESTS=<count> changes how many are made, and
// RUNYARD_FUZZ_REPORT=<file> also writes the report to a file.
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { createTestDb } from '@runyard/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { appRouter } from '@runyard/api'
import { buildReport, createChecker, describeRequest, redactor, type Violation } from './support/fuzz/checks.ts'
import { seedFixtures } from './support/fuzz/fixtures.ts'
import { buildModel, buildRequest, type Fixtures, type FuzzRequest, type Procedure } from './support/fuzz/generate.ts'
import { send } from './support/fuzz/http.ts'
import { seedTwoAccounts, startTestServer, type TestServer } from './support/server.ts'

const SEED = process.env.RUNYARD_FUZZ_SEED ? Number(process.env.RUNYARD_FUZZ_SEED) : crypto.randomInt(1, 2 ** 31)
const TOTAL = Number(process.env.RUNYARD_FUZZ_REQUESTS ?? 12_000)
const ONLY = process.env.RUNYARD_FUZZ_ONLY
  ? process.env.RUNYARD_FUZZ_ONLY.split(',').map((x) => Number(x.replace('#', '').trim()))
  : undefined
/** With RUNYARD_FUZZ_REPORT: also list every request whose target contains this text, with its answer. */
const TRACE = process.env.RUNYARD_FUZZ_TRACE
const CONCURRENCY = 8
/** No new request is started after this; the run is sized to finish well before (test timeout: 300 s). */
const BUDGET_MS = 210_000

/** Every tRPC procedure, with its input as JSON Schema. */
function procedures(): Procedure[] {
  const procs = (
    appRouter as unknown as {
      _def: { procedures: Record<string, { _def: { type: Procedure['type']; inputs: unknown[] } }> }
    }
  )._def.procedures
  return Object.entries(procs).map(([path, p]) => {
    const schema = p._def.inputs[0]
    let input: unknown
    if (schema) {
      try {
        input = z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' })
      } catch {
        input = {}
      }
    }
    return { path, type: p._def.type, input }
  })
}

describe('API fuzzing', () => {
  let s: TestServer
  let fx: Fixtures
  // Data, managed workspaces and the folders clients may name (RUNYARD_WORKSPACE_ROOTS) stay in a temporary folder.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runyard-fuzz-'))

  beforeAll(async () => {
    const testDb = await createTestDb()
    const keys = await seedTwoAccounts(testDb)
    const env = {
      RUNYARD_AUTH: 'keys',
      RUNYARD_RESPONSES_TIMEOUT_MS: '5000',
      RUNYARD_DATA_DIR: path.join(dir, 'data'),
      RUNYARD_WORKSPACES_DIR: path.join(dir, 'workspaces'),
      RUNYARD_WORKSPACE_ROOTS: path.join(dir, 'projects'),
    }
    fs.mkdirSync(env.RUNYARD_WORKSPACE_ROOTS, { recursive: true })
    s = await startTestServer({ testDb, env })
    fx = await seedFixtures(s, testDb, keys, fs.realpathSync(env.RUNYARD_WORKSPACE_ROOTS))
  }, 120_000)

  afterAll(async () => {
    await s?.stop()
    await s?.testDb.drop()
    fs.rmSync(dir, { recursive: true, force: true })
  }, 60_000)

  it('answers every generated request without a 5xx, HTML, a leak or a contract violation', async () => {
    expect(s.authMode).toBe('keys')
    const model = buildModel(s.openapi.document, procedures())
    const checker = createChecker(s.openapi, fx)
    const agent = new http.Agent({ keepAlive: false, maxSockets: CONCURRENCY * 2 })
    const port = Number(new URL(s.url).port)
    const indices = ONLY ?? Array.from({ length: TOTAL }, (_, i) => i)
    const statuses = new Map<string, number>()
    const perTarget = new Map<string, Map<string, number>>()
    const traced: string[] = []
    const violations: Violation[] = []
    const started = Date.now()
    let next = 0
    let made = 0
    let cutShort = false
    const worker = async () => {
      while (next < indices.length) {
        if (Date.now() - started > BUDGET_MS) {
          cutShort = true
          return
        }
        const n = indices[next++]!
        let r: FuzzRequest
        try {
          r = buildRequest(model, fx, SEED, n)
        } catch (err) {
          throw new Error(`fuzz: building request #${n} (seed ${SEED}) failed: ${(err as Error).stack}`)
        }
        const options = { port, agent, timeoutMs: 15_000, sseReadMs: 300, maxBodyBytes: 16 * 1024 * 1024 }
        const outcomes = await Promise.all(Array.from({ length: r.repeat ?? 1 }, () => send(r, options)))
        for (const o of outcomes) {
          made++
          const key = o.status ? String(o.status) : `no response (${o.error})`
          statuses.set(key, (statuses.get(key) ?? 0) + 1)
          const t = perTarget.get(r.target) ?? perTarget.set(r.target, new Map()).get(r.target)!
          t.set(key, (t.get(key) ?? 0) + 1)
          violations.push(...checker.check(r, o))
          if (TRACE && r.target.includes(TRACE))
            traced.push(
              `#${n} → ${key} ${o.contentType} ${o.bodyText.slice(0, 160)}\n    ${describeRequest(r, redactor(fx))}`,
            )
        }
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    agent.destroy()
    const seconds = (Date.now() - started) / 1000

    // The server is still up and healthy after all that.
    const health = await fetch(`${s.url}/api/v1/health`)
    const alive = health.status === 200

    const report = buildReport(violations, { seed: SEED, fx, total: made })
    // Self-check of the generator: every documented operation and every tRPC procedure was called.
    const expected = [...model.ops.map((o) => `${o.method} ${o.template}`), ...model.procs.map((p) => `trpc ${p.path}`)]
    const missed = ONLY ? [] : expected.filter((t) => !perTarget.has(t))
    const perStatus = [...statuses.entries()]
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')
    const only = ONLY
      ? `\n${ONLY.map((n) => `  #${n}: ${describeRequest(buildRequest(model, fx, SEED, n), redactor(fx))}`).join('\n')}`
      : ''
    console.log(
      `API fuzzing, seed ${SEED}: ${made} requests in ${seconds.toFixed(1)} s (${(made / seconds).toFixed(0)}/s, ${CONCURRENCY} in flight)${cutShort ? `, stopped after ${BUDGET_MS / 1000} s of ${indices.length} planned` : ''}\n` +
        `  statuses: ${perStatus}\n` +
        `  ${perTarget.size} targets: ${model.ops.length} documented operations, ${model.procs.length} tRPC procedures, batches, undocumented methods, unknown paths, /openapi.json${missed.length ? ` (not reached: ${missed.join(', ')})` : ''}\n` +
        `  ${violations.length} violation(s) in ${report.groups} distinct group(s); server healthy afterwards: ${alive}${only}`,
    )
    if (process.env.RUNYARD_FUZZ_REPORT) {
      const table = [...perTarget.entries()]
        .sort(([x], [y]) => x.localeCompare(y))
        .map(
          ([t, m]) =>
            `  ${t}: ${[...m.entries()]
              .sort(([x], [y]) => x.localeCompare(y))
              .map(([k, v]) => `${k}×${v}`)
              .join(' ')}`,
        )
      fs.writeFileSync(
        process.env.RUNYARD_FUZZ_REPORT,
        `${report.text}\n\nStatuses per target:\n${table.join('\n')}\n${traced.length ? `\nTraced (${TRACE}):\n${traced.join('\n')}\n` : ''}`,
      )
    }
    expect(alive, `GET /api/v1/health answered ${health.status} after fuzzing (seed ${SEED})`).toBe(true)
    expect(missed, `targets the fuzzer never requested (seed ${SEED})`).toEqual([])
    if (violations.length) expect.fail(report.text)
  }, 300_000)
})
