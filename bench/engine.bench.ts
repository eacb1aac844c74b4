// Engine benchmark (not a test): 202 admission latency at a fixed 200 req/s, and events/s of one
// run streamed over SSE compared with a bare Node http server writing the same frames.
// Targets: the embedded default and an external PostgreSQL. Results → docs/benchmarks.md.
//   pnpm bench            (or: node --import tsx bench/engine.bench.ts [--seconds 10] [--events 50000])
import fs from 'node:fs/promises'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { EventSourceParserStream } from 'eventsource-parser/stream'
import { scriptPrompt } from '@runyard/testkit/scripted-executor'
import { spawnRunyard } from '@runyard/testkit/runyard-process'
import { externalPostgres } from './lib/postgres.ts'
import { fmt, machine, median, percentile, writeSection } from './lib/report.ts'

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, rate: { type: 'string', default: '200' }, events: { type: 'string', default: '50000' }, repeat: { type: 'string', default: '3' } } })
const SECONDS = Number(values.seconds)
const RATE = Number(values.rate)
const EVENTS = Number(values.events)
const REPEAT = Number(values.repeat)

interface AdmissionResult { p50: number; p99: number; max: number; errors: number; sent: number; achievedRate: number }

/** Open-loop load: request i is sent at t0 + i/RATE regardless of earlier responses. */
async function admission(url: string): Promise<AdmissionResult> {
  // warm-up (JIT, pools, first-use paths)
  for (let i = 0; i < 50; i++) await post(url)
  const total = SECONDS * RATE
  const latencies: number[] = []
  let errors = 0
  const t0 = performance.now()
  const pending: Promise<void>[] = []
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / RATE
    const wait = due - performance.now()
    if (wait > 1) await new Promise((r) => setTimeout(r, wait))
    pending.push(
      post(url).then(
        (ms) => void latencies.push(ms),
        () => void errors++,
      ),
    )
  }
  await Promise.all(pending)
  const elapsed = (performance.now() - t0) / 1000
  latencies.sort((a, b) => a - b)
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN, errors, sent: total, achievedRate: total / elapsed }
}

async function post(url: string): Promise<number> {
  const t = performance.now()
  const res = await fetch(`${url}/api/chat/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"hi"}' })
  await res.arrayBuffer()
  if (res.status !== 202) throw new Error(`status ${res.status}`)
  return performance.now() - t
}

/** Reads an SSE response to its end, counting frames with the same parser for both servers. */
async function countFrames(res: Response): Promise<number> {
  let n = 0
  const reader = res.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader()
  for (;;) {
    const { done } = await reader.read()
    if (done) return n
    n++
  }
}

async function streamRun(url: string): Promise<{ eventsPerSecond: number; frames: string }> {
  const started = (await (await fetch(`${url}/api/chat/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: scriptPrompt([{ burst: EVENTS, size: 16 }]) }) })).json()) as { runId: string }
  const t = performance.now()
  const res = await fetch(`${url}/api/chat/runs/${started.runId}/events`)
  const n = await countFrames(res)
  const seconds = (performance.now() - t) / 1000
  // the exact bytes of the finished log, for the bare server to replay
  const frames = await (await fetch(`${url}/api/chat/runs/${started.runId}/events`)).text()
  return { eventsPerSecond: n / seconds, frames }
}

async function bareServer(frames: string): Promise<number> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    // write frame by frame, as a streaming server would
    const parts = frames.split('\n\n').filter(Boolean)
    let i = 0
    const pump = () => {
      while (i < parts.length) if (!res.write(parts[i++] + '\n\n')) return void res.once('drain', pump)
      res.end()
    }
    pump()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const port = (server.address() as { port: number }).port
  const t = performance.now()
  const n = await countFrames(await fetch(`http://127.0.0.1:${port}/`))
  const eps = n / ((performance.now() - t) / 1000)
  await new Promise((r) => server.close(r))
  return eps
}

/** Each phase gets a fresh database (`freshEnv`), so runs left by one phase don't load the next. */
async function benchTarget(label: string, freshEnv: () => Promise<Record<string, string>>) {
  console.log(`\n== ${label}`)
  const start = async () => spawnRunyard('start', { RUNYARD_PORT: '0', RUNYARD_LOG_LEVEL: 'error', RUNYARD_WORKER_CONCURRENCY: '8', ...(process.env.BENCH_NO_WORKERS ? { RUNYARD_WORKERS: 'false' } : {}), ...(await freshEnv()) })
  let server = await start()
  let adm: AdmissionResult
  try {
    adm = await admission(server.url)
    console.log(`admission @${RATE}/s: p50 ${fmt(adm.p50, 2)} ms, p99 ${fmt(adm.p99, 2)} ms, max ${fmt(adm.max, 1)} ms, errors ${adm.errors}/${adm.sent}`)
  } finally {
    await server.stop()
  }
  // A fresh server process for streaming, so the runs admitted above do not compete with it.
  server = await start()
  try {
    const runyard: number[] = []
    const bare: number[] = []
    for (let i = 0; i < REPEAT; i++) {
      const r = await streamRun(server.url)
      runyard.push(r.eventsPerSecond)
      bare.push(await bareServer(r.frames))
    }
    const ratio = median(runyard) / median(bare)
    console.log(`SSE: runyard ${fmt(median(runyard), 0)} events/s, bare http ${fmt(median(bare), 0)} events/s → ${fmt(ratio * 100)} %`)
    return { label, adm, runyard: median(runyard), bare: median(bare), ratio }
  } finally {
    await server.stop()
  }
}

const results = []
const cleanups: (() => Promise<unknown>)[] = []
try {
  results.push(
    await benchTarget('embedded PostgreSQL (default)', async () => {
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'runyard-bench-'))
      cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }))
      return { RUNYARD_DATA_DIR: dataDir }
    }),
  )
  let label: string | undefined
  const external = async () => {
    const ext = await externalPostgres()
    if (!ext) throw new Error('no external PostgreSQL')
    label = ext.label
    cleanups.push(() => ext.cleanup())
    return { DATABASE_URL: ext.url }
  }
  if (process.env.BENCH_DATABASE_URL || (await externalPostgres().then((e) => (e ? (cleanups.push(() => e.cleanup()), true) : false)))) {
    const r = await benchTarget('external PostgreSQL', external)
    results.push({ ...r, label: label ?? r.label })
  } else console.log('external PostgreSQL: skipped (set BENCH_DATABASE_URL or install postgresql-15)')
} finally {
  for (const c of cleanups) await c().catch(() => {})
}

const ok = (b: boolean) => (b ? '✅' : '❌')
const rows = results.map(
  (r) =>
    `| ${r.label} | ${fmt(r.adm.p50, 2)} ${ok(r.adm.p50 <= 5)} | ${fmt(r.adm.p99, 2)} ${ok(r.adm.p99 <= 20)} | ${fmt(r.adm.max, 1)} | ${r.adm.errors}/${r.adm.sent} | ${fmt(r.adm.achievedRate, 0)} | ${fmt(r.runyard, 0)} | ${fmt(r.bare, 0)} | ${fmt(r.ratio * 100)} % ${ok(r.ratio >= 0.7)} |`,
)
writeSection(
  'engine',
  `## Engine: admission latency and SSE throughput

${new Date().toISOString().slice(0, 10)} · ${machine()} · \`node --import tsx bench/engine.bench.ts --seconds ${SECONDS} --rate ${RATE} --events ${EVENTS} --repeat ${REPEAT}\`

- **Admission**: \`POST /api/chat/runs\` (new session + chat + run + ephemeral key + first event + queue job, one transaction each) sent open-loop at a fixed ${RATE} req/s for ${SECONDS} s from a separate process over loopback, with the server's workers executing the runs at the same time. Latency is client-side, request to 202. Targets: p50 ≤ 5 ms, p99 ≤ 20 ms.
- **SSE throughput**: one run emitting ${EVENTS} text deltas as fast as it can; \`GET /api/chat/runs/{runId}/events\` read to the end (events/s from request to last frame), against a bare \`node:http\` server writing the identical frames, both read with the same SSE parser. Median of ${REPEAT}. Target ≥ 70 % of bare.

| target | admission p50 ms | p99 ms | max ms | errors | achieved req/s | Runyard events/s | bare events/s | ratio |
|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}
`,
)
process.exit(0)
