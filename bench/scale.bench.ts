// Scale benchmark (not a test), on one server process on 127.0.0.1 with in-process workers and
// testkit's scripted executor (no model, no sandbox: what is measured is the server's own work):
//  - streaming: RUNS runs admitted at once (new session + chat + run each), every one read from its
//    admission to its end by its own SSE reader; each run emits DELTAS text deltas DELAY_MS apart
//    (20 s by default, longer than admitting them all takes, so that all RUNS streams are open
//    together: the peak is measured and reported). At most WORKERS run at once (the setting's
//    maximum is 256); the rest wait queued, their readers connected. Every stream is checked:
//    consecutive ids from 1, all deltas, `completed`. Reported: errors, the server process's peak
//    RSS (VmHWM), the tree's peak PSS.
//  - replay: a finished run of REPLAY_EVENTS events read again from the start: request → last byte.
// Results → docs/benchmarks.md (section "scale").
//   pnpm bench --only scale   (or: node --import tsx bench/scale.bench.ts [--runs 1000] [--workers 256] …)
import fs from 'node:fs/promises'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { scriptPrompt, type ScriptStep } from '@runyard/testkit/scripted-executor'
import { spawnRunyard, type RunyardProcess } from '@runyard/testkit/runyard-process'
import { readSseFrames } from './lib/http-sse.ts'
import { describeTree, mb, TreeSampler } from './lib/pss.ts'
import { fmt, machine, median, writeSection } from './lib/report.ts'

// strict: false, because `pnpm bench` passes every benchmark the same arguments (others' are ignored)
const { values } = parseArgs({
  strict: false,
  options: {
    runs: { type: 'string', default: '1000' },
    workers: { type: 'string', default: '256' },
    deltas: { type: 'string', default: '50' },
    'delay-ms': { type: 'string', default: '400' },
    'replay-events': { type: 'string', default: '10000' },
    replays: { type: 'string', default: '5' },
    only: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
})
if (values.only !== undefined && values.only !== 'scale') {
  console.log(`scale: skipped (--only ${String(values.only)})`)
  process.exit(0)
}
const number = (name: keyof typeof values) => {
  const n = Number(values[name])
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a whole number ≥ 1`)
  return n
}
const RUNS = number('runs')
const WORKERS = number('workers')
const DELTAS = number('deltas')
const DELAY_MS = number('delay-ms')
const REPLAY_EVENTS = number('replay-events')
const REPLAYS = number('replays')
/** Admissions in flight at once while the runs are started (the readers are not limited). */
const ADMITTING = 64
/** No stream may take longer than this; the whole phase is bounded by it too. */
const STREAM_TIMEOUT_MS = 10 * 60_000
const RSS_LIMIT = 2 ** 30
const REPLAY_LIMIT_MS = 150

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity })

function post(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const text = JSON.stringify(body)
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
      },
      (res) => {
        let answer = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (answer += c))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: answer ? (JSON.parse(answer) as unknown) : null }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(text)
  })
}

async function admit(url: string, script: ScriptStep[]): Promise<string> {
  const { status, json } = await post(`${url}/api/chat/runs`, { prompt: scriptPrompt(script) })
  if (status !== 202) throw new Error(`admission answered ${status}: ${JSON.stringify(json).slice(0, 200)}`)
  return (json as { runId: string }).runId
}

interface StoredEvent {
  event: { type: string; status?: string }
}

/** Concurrency gauges shared by the readers: streams open now, runs a reader saw running now; and their peaks. */
const gauges = { open: 0, peakOpen: 0, running: 0, peakRunning: 0 }
const gauge = (name: 'open' | 'running', by: number) => {
  gauges[name] += by
  const peak = name === 'open' ? 'peakOpen' : 'peakRunning'
  gauges[peak] = Math.max(gauges[peak], gauges[name])
}

/** Reads one run's stream to its end and checks it: ids 1, 2, 3… without gaps, every delta, `completed`. */
async function streamRun(url: string, runId: string, deltas: number): Promise<void> {
  let expectedId = 1
  let gap: string | undefined
  let seen = 0
  let final: string | undefined
  let running = false
  gauge('open', +1)
  try {
    const read = await readSseFrames(
      `${url}/api/chat/runs/${runId}/events`,
      agent,
      ({ id, data }) => {
        if (Number(id) !== expectedId) gap ??= `frame id ${id} where ${expectedId} was due`
        expectedId++
        const { event } = JSON.parse(data) as StoredEvent
        if (event.type === 'text_delta') seen++
        if (event.type === 'run_status') {
          if (event.status === 'running' && !running) {
            running = true
            gauge('running', +1)
          }
          if (['completed', 'failed', 'cancelled'].includes(event.status ?? '')) {
            final = event.status
            if (running) gauge('running', -1)
            running = false
          }
        }
      },
      STREAM_TIMEOUT_MS,
    )
    if (read.status !== 200) throw new Error(`events answered ${read.status}`)
    if (gap) throw new Error(gap)
    if (final !== 'completed' || seen !== deltas)
      throw new Error(`ended ${final ?? 'without a final status'} after ${seen}/${deltas} deltas`)
  } finally {
    gauge('open', -1)
    if (running) gauge('running', -1)
  }
}

interface StreamingResult {
  errors: string[]
  seconds: number
  peakRssBytes: number
  peakTree: string
  peakPssBytes: number
}

async function streaming(server: RunyardProcess): Promise<StreamingResult> {
  const script: ScriptStep[] = [
    { text: 'x'.repeat(DELTAS), chunks: DELTAS, delayMs: DELAY_MS },
    { step: { input: 1, output: DELTAS } },
  ]
  // warm-up, not counted: the first runs compile the hot paths on both sides
  await Promise.all(
    Array.from({ length: 8 }, async () => streamRun(server.url, await admit(server.url, script), DELTAS)),
  )
  const sampler = new TreeSampler(server.proc.pid!, 100).start()
  const errors: string[] = []
  const streams: Promise<void>[] = []
  const t0 = performance.now()
  let next = 0
  const admitter = async () => {
    while (next < RUNS) {
      const i = next++
      try {
        const runId = await admit(server.url, script)
        streams.push(
          streamRun(server.url, runId, DELTAS).catch(
            (err: Error) => void errors.push(`run ${i} (${runId}): ${err.message}`),
          ),
        )
      } catch (err) {
        errors.push(`run ${i}: ${(err as Error).message}`)
      }
    }
  }
  await Promise.all(Array.from({ length: ADMITTING }, admitter))
  await Promise.all(streams)
  const seconds = (performance.now() - t0) / 1000
  const { peak } = sampler.stop()
  return {
    errors,
    seconds,
    peakRssBytes: await peakRss(server.proc.pid!),
    peakTree: describeTree(peak),
    peakPssBytes: peak.pssBytes,
  }
}

/** The process's peak resident set since it started (the kernel's high-water mark, not a sample). */
async function peakRss(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8')
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]) * 1024
}

/** Frames of a run's whole stream (read to its end). */
async function countFrames(url: string, runId: string): Promise<{ frames: number; ms: number }> {
  let frames = 0
  const t0 = performance.now()
  const r = await readSseFrames(`${url}/api/chat/runs/${runId}/events`, agent, () => frames++, 60_000)
  if (r.status !== 200) throw new Error(`events answered ${r.status}`)
  return { frames, ms: r.endedAt - t0 }
}

/**
 * A finished run of exactly REPLAY_EVENTS events (its deltas plus the events every run has, counted
 * on a one-delta run), read REPLAYS times after one read not counted: request → last byte.
 */
async function replay(url: string): Promise<number[]> {
  const overhead = (await countFrames(url, await admit(url, [{ burst: 1, size: 16 }]))).frames - 1
  const runId = await admit(url, [{ burst: REPLAY_EVENTS - overhead, size: 16 }])
  await countFrames(url, runId) // live: the run is written while this reads it; then the log is complete
  const times: number[] = []
  for (let i = 0; i <= REPLAYS; i++) {
    const r = await countFrames(url, runId)
    if (r.frames !== REPLAY_EVENTS) throw new Error(`the replay read ${r.frames} events, not ${REPLAY_EVENTS}`)
    if (i > 0) times.push(r.ms)
  }
  return times
}

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'runyard-bench-scale-'))
const server = await spawnRunyard('start', {
  RUNYARD_HOST: '127.0.0.1',
  RUNYARD_PORT: '0',
  RUNYARD_DATA_DIR: dataDir,
  RUNYARD_LOG_LEVEL: 'error',
  RUNYARD_WORKER_CONCURRENCY: String(WORKERS),
})
let result: StreamingResult
let replays: number[]
try {
  console.log(
    `streaming: ${RUNS} runs of ${DELTAS} deltas ${DELAY_MS} ms apart, one SSE reader each, ${WORKERS} workers`,
  )
  result = await streaming(server)
  console.log(
    `streaming: ${RUNS - result.errors.length}/${RUNS} ok in ${fmt(result.seconds)} s; streams open at once ≤ ${gauges.peakOpen}, runs running at once ≤ ${gauges.peakRunning}; ` +
      `server peak RSS ${mb(result.peakRssBytes)} MB; tree peak ${result.peakTree}`,
  )
  for (const e of result.errors.slice(0, 20)) console.log(`  ✗ ${e}`)
  replays = await replay(server.url)
  console.log(`replay: last byte after ${replays.map((ms) => fmt(ms, 1)).join(', ')} ms`)
} finally {
  await server.stop()
  await fs.rm(dataDir, { recursive: true, force: true })
}

const ok = (met: boolean) => (met ? '✅' : '❌')
const sorted = [...replays].sort((a, b) => a - b)
const replayMedian = median(sorted)
const section = `## Scale: ${RUNS} streaming runs on one process, and a ${REPLAY_EVENTS}-event replay

${new Date().toISOString().slice(0, 10)} · ${machine()} · \`node --import tsx bench/scale.bench.ts --runs ${RUNS} --workers ${WORKERS} --deltas ${DELTAS} --delay-ms ${DELAY_MS} --replay-events ${REPLAY_EVENTS} --replays ${REPLAYS}\`

One \`runyard start\` process on 127.0.0.1 (embedded PostgreSQL, in-process workers, \`RUNYARD_WORKER_CONCURRENCY=${WORKERS}\`), running testkit's scripted executor, so that what is measured is the server's own work (admission, queue, event log, streams), not a model's or a sandbox's. The benchmark's client, the server and PostgreSQL share the same ${os.cpus().length} cores.

**Streaming**: ${RUNS} runs started at once (\`POST /api/chat/runs\`, a new session and chat each, ${ADMITTING} admissions in flight), each read from its admission to its end by its own SSE reader (\`GET /api/chat/runs/{runId}/events\`); each run streams ${DELTAS} text deltas ${DELAY_MS} ms apart. A run is an error unless its stream has every event (ids 1, 2, 3… without a gap), all ${DELTAS} deltas and ends \`completed\`. Peak RSS is the server process's high-water mark (\`VmHWM\`); peak PSS is its whole tree (server and embedded PostgreSQL) sampled every 100 ms. After 8 warm-up runs.

| runs | errors | SSE streams open at once (peak) | runs running at once (peak, as readers saw them) | wall time | server peak RSS | tree peak PSS |
|---|---|---|---|---|---|---|
| ${RUNS} | ${result.errors.length} ${ok(result.errors.length === 0)} | ${gauges.peakOpen} | ${gauges.peakRunning} | ${fmt(result.seconds)} s | ${Math.round(mb(result.peakRssBytes))} MB ${ok(result.peakRssBytes <= RSS_LIMIT)} | ${result.peakTree} |

Targets: 0 errors, RSS ≤ 1 GiB. Runs execute ${WORKERS} at a time at most (\`RUNYARD_WORKER_CONCURRENCY\` allows 1–256 per process); the others wait \`queued\` with their readers connected.

**Replay**: one finished run of ${REPLAY_EVENTS} events (text deltas of 16 characters, and the run's status events and \`done\`) read again from the start over SSE; request → last byte, ${REPLAYS} reads after one not counted. Target ≤ ${REPLAY_LIMIT_MS} ms.

| events | last byte, median | min–max |
|---|---|---|
| ${REPLAY_EVENTS} | ${fmt(replayMedian, 1)} ms ${ok(replayMedian <= REPLAY_LIMIT_MS)} | ${fmt(sorted[0]!, 1)}–${fmt(sorted.at(-1)!, 1)} ms |
`
if (values['dry-run']) console.log(`\n${section}\n--dry-run: docs/benchmarks.md not updated`)
else writeSection('scale', section)
process.exit(result.errors.length ? 1 : 0)
