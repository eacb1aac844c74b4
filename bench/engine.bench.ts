// Engine benchmark (not a test): 202 admission latency at a fixed 200 req/s against a bare baseline
// (the same transaction from a plain node:http handler), whether in-process workers keep up with the
// runs admitted, and events/s of one run streamed over SSE compared with a bare Node http server
// writing the same frames.
// Targets: the embedded default and an external PostgreSQL. Results → docs/benchmarks.md.
//   pnpm bench            (or: node --import tsx bench/engine.bench.ts [--seconds 30] [--events 50000])
import fs from 'node:fs/promises'
import { spawn } from 'node:child_process'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { EventSourceParserStream } from 'eventsource-parser/stream'
import { scriptPrompt } from '@runyard/testkit/scripted-executor'
import { spawnRunyard, type RunyardProcess } from '@runyard/testkit/runyard-process'
import { externalPostgres } from '@runyard/testkit/system-postgres'
import pg from 'pg'
import { SERVER_NODE_FLAGS } from '../apps/server/bin/node-flags.mjs'
import { DEFAULT_ENGINE_CONFIG } from '../packages/engine/src/config.ts'
import { postgresCpuMs, postmasterPid, processCpuMs } from './lib/cpu.ts'
import { fmt, machine, median, percentile, writeSection } from './lib/report.ts'

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    rate: { type: 'string', default: '200' },
    events: { type: 'string', default: '50000' },
    repeat: { type: 'string', default: '3' },
    only: { type: 'string' },
    target: { type: 'string' },
  },
})
const SECONDS = Number(values.seconds)
const RATE = Number(values.rate)
const EVENTS = Number(values.events)
const REPEAT = Number(values.repeat)
/**
 * `--only sse`, `--only admission` or `--only workers` (the phase with in-process workers alone): that
 * part alone, printed and not written to docs/benchmarks.md.
 */
const ONLY = values.only
if (ONLY !== undefined && ONLY !== 'sse' && ONLY !== 'admission' && ONLY !== 'workers')
  throw new Error('--only takes sse, admission or workers')
/** `--target embedded` or `--target external`: that PostgreSQL alone (printed, not written). */
const TARGET = values.target
if (TARGET !== undefined && TARGET !== 'embedded' && TARGET !== 'external')
  throw new Error('--target takes embedded or external')
const PRINT_ONLY = ONLY !== undefined || TARGET !== undefined
/** Runs the in-process workers execute at once: the server's default unless the environment sets it. */
const WORKER_CONCURRENCY = Number(process.env.RUNYARD_WORKER_CONCURRENCY ?? DEFAULT_ENGINE_CONFIG.concurrency)
const concurrencySource =
  process.env.RUNYARD_WORKER_CONCURRENCY === undefined
    ? `\`RUNYARD_WORKER_CONCURRENCY\`'s default`
    : 'set in the environment'

/** Other work shares this machine: its 1-minute load average, sampled every 5 s while the benchmark runs. */
const loadAverages: number[] = []
setInterval(() => loadAverages.push(os.loadavg()[0]!), 5000).unref()

/** One load phase's client-side latencies, and what the admitted runs cost and took. */
interface AdmissionResult {
  p50: number
  p99: number
  max: number
  errors: number
  sent: number
  achievedRate: number
  /** With workers: how the admitted runs got executed. */
  lag: RunLag | null
  /** CPU ms per admitted run, from the first request until the last run finished (or the last 202). */
  cpu: { node: number; pg: number }
}
/** With workers: admission (createdAt) → finishedAt of each admitted run, and the rate they finished at. */
interface RunLag {
  p50: number
  p99: number
  unfinished: number
  finishedRate: number
}

/** How one phase reaches its database and measures CPU: the process under load, the PostgreSQL cluster. */
interface Probe {
  db: pg.Pool
  nodePid: number
  postmaster: number | undefined
}

const cpuNow = (probe: Probe) => ({
  node: processCpuMs(probe.nodePid),
  pg: probe.postmaster ? postgresCpuMs(probe.postmaster) : NaN,
})

/** A few requests first (JIT, pools, first-use paths); not measured. */
async function warmUp(url: string) {
  for (let i = 0; i < 50; i++) await post(url)
}

/** Open-loop load: request i is sent at t0 + i/RATE regardless of earlier responses. */
async function admission(url: string, executed: boolean, probe: Probe): Promise<AdmissionResult> {
  const total = SECONDS * RATE
  const latencies: number[] = []
  const runIds: string[] = []
  let errors = 0
  const cpu0 = cpuNow(probe)
  const t0 = performance.now()
  const pending: Promise<void>[] = []
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / RATE
    const wait = due - performance.now()
    if (wait > 1) await new Promise((r) => setTimeout(r, wait))
    pending.push(
      post(url).then(
        ({ ms, location }) => void (latencies.push(ms), runIds.push(location.slice(location.lastIndexOf('/') + 1))),
        () => void errors++,
      ),
    )
  }
  await Promise.all(pending)
  const elapsed = (performance.now() - t0) / 1000
  latencies.sort((a, b) => a - b)
  const lag = executed ? await runLag(probe.db, runIds) : null
  const cpu1 = cpuNow(probe)
  const n = Math.max(1, latencies.length)
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    errors,
    sent: total,
    achievedRate: total / elapsed,
    lag,
    cpu: { node: (cpu1.node - cpu0.node) / n, pg: (cpu1.pg - cpu0.pg) / n },
  }
}

/**
 * Waits (up to three minutes) until no run is queued or running, then reads the admitted runs'
 * times from the database (not through the API, whose requests would load the server measured).
 */
async function runLag(db: pg.Pool, runIds: string[]): Promise<RunLag> {
  const deadline = Date.now() + 180_000
  while (Date.now() < deadline) {
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Run" WHERE status IN ('queued', 'running')`,
    )
    if (rows[0]!.n === 0) break
    await new Promise((r) => setTimeout(r, 100))
  }
  const { rows } = await db.query<{ lag: number | null; created: number; finished: number | null }>(
    `SELECT (extract(epoch FROM "finishedAt" - "createdAt") * 1000)::float8 AS lag, (extract(epoch FROM "createdAt") * 1000)::float8 AS created,
       (extract(epoch FROM "finishedAt") * 1000)::float8 AS finished FROM "Run" WHERE id = ANY($1)`,
    [runIds],
  )
  const lags = rows.flatMap((r) => (r.lag === null ? [] : [r.lag])).sort((a, b) => a - b)
  const first = Math.min(...rows.map((r) => r.created))
  const last = Math.max(...rows.flatMap((r) => (r.finished === null ? [] : [r.finished])))
  return {
    p50: percentile(lags, 50),
    p99: percentile(lags, 99),
    unfinished: runIds.length - lags.length,
    finishedRate: lags.length / ((last - first) / 1000),
  }
}

/**
 * The bare admission baseline (lib/bare-admission-server.mjs) in its own process with the server's
 * Node flags, against the given database.
 */
async function startBareAdmission(dbUrl: string): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [...SERVER_NODE_FLAGS, path.join(import.meta.dirname, 'lib/bare-admission-server.mjs')],
    {
      env: { ...process.env, BARE_DATABASE_URL: dbUrl },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(String(d).trim()))
    child.once('exit', (code) => reject(new Error(`bare admission server exited with ${code}`)))
  })
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      child.kill()
      await exited
    },
  }
}

// node:http with keep-alive rather than fetch: the load generator shares the cores with what it
// measures, and this client needs ~0.35 ms of CPU per request where fetch needed ~0.85 ms.
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 })
const ADMIT_BODY = '{"prompt":"hi"}'

/** One admission: its latency, and the run's path from the Location header. */
function post(url: string): Promise<{ ms: number; location: string }> {
  const t = performance.now()
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/api/chat/runs`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': ADMIT_BODY.length } },
      (res) => {
        res.resume()
        res.on('end', () =>
          res.statusCode === 202 && res.headers.location
            ? resolve({ ms: performance.now() - t, location: res.headers.location })
            : reject(new Error(`status ${res.statusCode}`)),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(ADMIT_BODY)
  })
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

/** Live: the run is written while it is read. Replay: the same finished log read again. */
const startBurst = async (url: string) =>
  (await (
    await fetch(`${url}/api/chat/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: scriptPrompt([{ burst: EVENTS, size: 16 }]) }),
    })
  ).json()) as { runId: string }

/**
 * The ceiling of a live stream: a run's events/s with nobody reading them, from its start to its
 * end (polled every 5 ms: at most ~2 % early or late on these runs).
 */
async function commitOnly(url: string): Promise<number> {
  const t = performance.now()
  const { runId } = await startBurst(url)
  for (;;) {
    const run = (await (await fetch(`${url}/api/chat/runs/${runId}`)).json()) as { status: string }
    if (run.status === 'completed') return EVENTS / ((performance.now() - t) / 1000)
    if (run.status !== 'queued' && run.status !== 'running') throw new Error(`burst run ended ${run.status}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

async function streamRun(url: string): Promise<{ live: number; replay: number; frames: string }> {
  const started = await startBurst(url)
  const eventsPerSecond = async () => {
    const t = performance.now()
    const n = await countFrames(await fetch(`${url}/api/chat/runs/${started.runId}/events`))
    return n / ((performance.now() - t) / 1000)
  }
  const live = await eventsPerSecond()
  const replay = await eventsPerSecond()
  // the exact bytes of the finished log, for the bare server to write
  const frames = await (await fetch(`${url}/api/chat/runs/${started.runId}/events`)).text()
  return { live, replay, frames }
}

/**
 * The same frames from a bare node:http server in its own process, started with the server's Node
 * flags; each `read()` streams them once. One process serves every read, so that, like the Runyard
 * server, it is measured warm: a fresh one is ~2-4x slower on its first reads while V8 compiles.
 */
async function startBareServer(frames: string): Promise<{ read: () => Promise<number>; stop: () => Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'runyard-bare-'))
  const file = path.join(dir, 'frames.txt')
  await fs.writeFile(file, frames)
  const child = spawn(
    process.execPath,
    [...SERVER_NODE_FLAGS, path.join(import.meta.dirname, 'lib/bare-sse-server.mjs'), file],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(String(d).trim()))
    child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)))
  })
  return {
    async read() {
      const t = performance.now()
      const n = await countFrames(await fetch(`http://127.0.0.1:${port}/`))
      return n / ((performance.now() - t) / 1000)
    },
    async stop() {
      child.kill()
      await fs.rm(dir, { recursive: true, force: true })
    },
  }
}

/** One round: the bare baseline and the API process on one database, then a process with workers on a fresh one. */
interface Round {
  bare: AdmissionResult
  apiOnly: AdmissionResult
  withWorkers: AdmissionResult
}
interface TargetResult {
  label: string
  rounds: Round[]
  live: number
  replay: number
  bare: number
  unread: number
}

/** A fresh database for one phase: the server's settings, and how to reach it once the server is up. */
interface FreshDatabase {
  env: Record<string, string>
  url: () => Promise<string>
  postmaster: () => number | undefined
}

const describe = (r: AdmissionResult) =>
  `p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms, max ${fmt(r.max, 1)} ms, errors ${r.errors}/${r.sent}, CPU per run ${fmt(r.cpu.node, 2)} ms node + ${fmt(r.cpu.pg, 2)} ms PostgreSQL` +
  (r.lag
    ? `; runs admitted → finished p50 ${fmt(r.lag.p50, 0)} ms, p99 ${fmt(r.lag.p99, 0)} ms, finished at ${fmt(r.lag.finishedRate, 0)}/s, unfinished ${r.lag.unfinished}`
    : '')

/**
 * Rounds of three phases, interleaved: (1) on one fresh database, an API process (no workers) and the
 * bare baseline, one after the other in alternating order; (2) on another fresh database, a process
 * whose in-process workers execute what it admits. The bare baseline runs against the API process's
 * database because its queued runs would otherwise be executed by the workers.
 */
async function benchTarget(label: string, freshDatabase: () => Promise<FreshDatabase>): Promise<TargetResult> {
  console.log(`\n== ${label}`)
  const start = (workers: boolean, db: FreshDatabase) =>
    spawnRunyard('start', {
      RUNYARD_PORT: '0',
      RUNYARD_LOG_LEVEL: 'error',
      RUNYARD_WORKERS: String(workers),
      ...db.env,
    })
  const withServer = async <T>(
    workers: boolean,
    fn: (server: RunyardProcess, db: FreshDatabase, pool: pg.Pool) => Promise<T>,
  ): Promise<T> => {
    const db = await freshDatabase()
    const server = await start(workers, db)
    const pool = new pg.Pool({ connectionString: await db.url(), max: 2 })
    try {
      return await fn(server, db, pool)
    } finally {
      await pool.end()
      await server.stop()
    }
  }
  /** A fresh server whose in-process workers execute the runs it admits. */
  const measureWithWorkers = () =>
    withServer(true, async (server, db, pool) => {
      await warmUp(server.url)
      return admission(server.url, true, { db: pool, nodePid: server.proc.pid!, postmaster: db.postmaster() })
    })
  const rounds: Round[] = []
  for (let i = 0; i < (ONLY === 'sse' ? 0 : REPEAT); i++) {
    console.log(`-- round ${i + 1}/${REPEAT}`)
    if (ONLY === 'workers') {
      const withWorkers = await measureWithWorkers()
      console.log(`with in-process workers @${RATE}/s: ${describe(withWorkers)}`)
      continue
    }
    const { bare, apiOnly } = await withServer(false, async (server, db, pool) => {
      await warmUp(server.url) // also gives the bare server the account and session settings to copy
      const bareServer = await startBareAdmission(await db.url())
      try {
        await warmUp(bareServer.url)
        const measureServer = () =>
          admission(server.url, false, { db: pool, nodePid: server.proc.pid!, postmaster: db.postmaster() })
        const measureBare = () =>
          admission(bareServer.url, false, { db: pool, nodePid: bareServer.pid, postmaster: db.postmaster() })
        const [first, second] = i % 2 === 0 ? [measureServer, measureBare] : [measureBare, measureServer]
        const a = await first()
        const b = await second()
        return i % 2 === 0 ? { apiOnly: a, bare: b } : { apiOnly: b, bare: a }
      } finally {
        await bareServer.stop()
      }
    })
    console.log(`bare baseline @${RATE}/s: ${describe(bare)}`)
    console.log(`API process only @${RATE}/s: ${describe(apiOnly)}; p99 ${fmt(apiOnly.p99 / bare.p99, 2)}× bare`)
    const withWorkers = await measureWithWorkers()
    console.log(
      `with in-process workers @${RATE}/s: ${describe(withWorkers)}; p99 ${fmt(withWorkers.p99 / bare.p99, 2)}× bare`,
    )
    rounds.push({ bare, apiOnly, withWorkers })
  }
  if (ONLY === 'admission' || ONLY === 'workers')
    return { label, rounds, live: NaN, replay: NaN, bare: NaN, unread: NaN }
  const db = await freshDatabase()
  const start1 = () => start(true, db)
  const server = await start1()
  let bareServer: Awaited<ReturnType<typeof startBareServer>> | undefined
  try {
    const live: number[] = []
    const replay: number[] = []
    const bare: number[] = []
    const unread: number[] = []
    // Warm-up, not counted: one live and replay read and one bare read, so that neither side (nor
    // this reader) is measured while V8 is still compiling its hot path.
    bareServer = await startBareServer((await streamRun(server.url)).frames)
    await bareServer.read()
    for (let i = 0; i < REPEAT; i++) {
      const r = await streamRun(server.url)
      live.push(r.live)
      replay.push(r.replay)
      bare.push(await bareServer.read())
      unread.push(await commitOnly(server.url))
    }
    const result = {
      label,
      rounds,
      live: median(live),
      replay: median(replay),
      bare: median(bare),
      unread: median(unread),
    }
    console.log(
      `SSE events/s: live ${fmt(result.live, 0)}, replay ${fmt(result.replay, 0)}, bare http ${fmt(result.bare, 0)}; the run alone, unread: ${fmt(result.unread, 0)}`,
    )
    return result
  } finally {
    await bareServer?.stop()
    await server.stop()
  }
}

const results: TargetResult[] = []
const cleanups: (() => Promise<unknown>)[] = []
try {
  if (TARGET !== 'external')
    results.push(
      await benchTarget('embedded PostgreSQL (default)', async () => {
        const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'runyard-bench-'))
        cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }))
        const cluster = path.join(dataDir, 'pg')
        return {
          env: { RUNYARD_DATA_DIR: dataDir },
          // the server's own connection: the Unix socket in the cluster directory (packages/db/src/embedded.ts)
          url: async () => {
            const { port, password } = JSON.parse(await fs.readFile(path.join(dataDir, 'embedded.json'), 'utf8')) as {
              port: number
              password: string
            }
            return `postgresql://postgres:${encodeURIComponent(password)}@localhost:${port}/runyard?host=${encodeURIComponent(cluster)}`
          },
          postmaster: () => postmasterPid(cluster),
        }
      }),
    )
  // BENCH_DATABASE_URL, else a throwaway cluster of the machine's PostgreSQL (if installed)
  // durable: PostgreSQL's defaults (fsync, synchronous commit), like the embedded server and production
  const external =
    TARGET === 'embedded'
      ? undefined
      : externalPostgres({ DATABASE_URL: process.env.BENCH_DATABASE_URL }, { durable: true })
  if (external) {
    const server = await external.start()
    cleanups.push(() => server.stop())
    // a throwaway cluster's directory (startSystemPostgres) gives its CPU; a given URL's server is not measured
    const clusterDir = (server as { dataDir?: string }).dataDir
    let n = 0
    const freshDatabase = async (): Promise<FreshDatabase> => {
      const name = `runyard_bench_${process.pid}_${n++}`
      const admin = new pg.Client({ connectionString: server.url })
      await admin.connect()
      await admin.query(`CREATE DATABASE ${name}`)
      await admin.end()
      cleanups.unshift(async () => {
        const c = new pg.Client({ connectionString: server.url })
        await c.connect()
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        await c.end()
      })
      const u = new URL(server.url)
      u.pathname = `/${name}`
      return {
        env: { DATABASE_URL: u.toString() },
        url: async () => u.toString(),
        postmaster: () => (clusterDir ? postmasterPid(clusterDir) : undefined),
      }
    }
    results.push(await benchTarget(`external PostgreSQL (${external.label})`, freshDatabase))
  } else console.log('external PostgreSQL: skipped (set BENCH_DATABASE_URL or install the postgresql package)')
} finally {
  for (const c of cleanups) await c().catch(() => {})
}

if (PRINT_ONLY) {
  console.log(`--only/--target given: docs/benchmarks.md not updated`)
  process.exit(0)
}

const ok = (b: boolean) => (b ? '✅' : '❌')
/** The median of the rounds, with their spread. */
const spread = (xs: number[], digits: number, unit = '') => {
  const sorted = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b)
  return sorted.length
    ? `${fmt(median(sorted), digits)}${unit} (${fmt(sorted[0]!, digits)}–${fmt(sorted.at(-1)!, digits)})`
    : '—'
}
const latency = (r: AdmissionResult) => `${fmt(r.p50, 2)} / ${fmt(r.p99, 2)}`
// Runs still unfinished at the deadline did not cost their execution yet: no CPU per run then.
const cpuCell = (r: AdmissionResult) =>
  r.lag?.unfinished ? 'n/a (unfinished runs)' : `${fmt(r.cpu.node, 2)} + ${fmt(r.cpu.pg, 2)}`
const lagOf = (r: AdmissionResult) => r.lag ?? { p50: NaN, p99: NaN, unfinished: NaN, finishedRate: NaN }
const roundRows = results.flatMap((t) =>
  t.rounds.map(
    (r, i) =>
      `| ${t.label} | ${i + 1} | ${latency(r.bare)} | ${latency(r.apiOnly)} | ${fmt(r.apiOnly.p99 / r.bare.p99, 2)}× | ${latency(r.withWorkers)} | ${fmt(r.withWorkers.p99 / r.bare.p99, 2)}× | ${fmt(lagOf(r.withWorkers).p50, 0)} / ${fmt(lagOf(r.withWorkers).p99, 0)}${lagOf(r.withWorkers).unfinished ? ` (${lagOf(r.withWorkers).unfinished} unfinished)` : ''} | ${fmt(r.withWorkers.achievedRate, 0)} → ${fmt(lagOf(r.withWorkers).finishedRate, 0)} | ${cpuCell(r.bare)} | ${cpuCell(r.apiOnly)} | ${cpuCell(r.withWorkers)} | ${[r.bare, r.apiOnly, r.withWorkers].reduce((n, x) => n + x.errors, 0)} |`,
  ),
)
const summaryRows = results.flatMap((t) => {
  const col = (f: (r: Round) => number, digits: number, unit = '') => spread(t.rounds.map(f), digits, unit)
  const apiRatio = median(t.rounds.map((r) => r.apiOnly.p99 / r.bare.p99))
  const workersRatio = median(t.rounds.map((r) => r.withWorkers.p99 / r.bare.p99))
  const lagP99 = median(t.rounds.map((r) => lagOf(r.withWorkers).p99))
  return [
    `| ${t.label} | bare baseline (one statement, plain \`node:http\` + \`pg\`) | ${col((r) => r.bare.p50, 2)} | ${col((r) => r.bare.p99, 2)} | 1× | — | ${col((r) => r.bare.cpu.node, 2)} + ${col((r) => r.bare.cpu.pg, 2)} |`,
    `| ${t.label} | Runyard, API process only (\`RUNYARD_WORKERS=false\`) | ${col((r) => r.apiOnly.p50, 2)} | ${col((r) => r.apiOnly.p99, 2)} | ${col((r) => r.apiOnly.p99 / r.bare.p99, 2, '×')} ${ok(apiRatio <= 2)} | — | ${col((r) => r.apiOnly.cpu.node, 2)} + ${col((r) => r.apiOnly.cpu.pg, 2)} |`,
    `| ${t.label} | Runyard with in-process workers executing the runs (${WORKER_CONCURRENCY} at once) | ${col((r) => r.withWorkers.p50, 2)} | ${col((r) => r.withWorkers.p99, 2)} | ${col((r) => r.withWorkers.p99 / r.bare.p99, 2, '×')} ${ok(workersRatio <= 2)} | ${col((r) => lagOf(r.withWorkers).p50, 0)} / ${col((r) => lagOf(r.withWorkers).p99, 0)} ${ok(lagP99 <= 250)} | ${t.rounds.some((r) => lagOf(r.withWorkers).unfinished) ? 'n/a (unfinished runs)' : `${col((r) => r.withWorkers.cpu.node, 2)} + ${col((r) => r.withWorkers.cpu.pg, 2)}`} |`,
  ]
})
const ratio = (x: number, bare: number) => `${fmt((x / bare) * 100)} % ${ok(x / bare >= 0.7)}`
const sseRows = results.map(
  (r) =>
    `| ${r.label} | ${fmt(r.live, 0)} (${ratio(r.live, r.bare)}) | ${fmt(r.replay, 0)} (${ratio(r.replay, r.bare)}) | ${fmt(r.bare, 0)} | ${fmt(r.unread, 0)} |`,
)
const load = [...loadAverages].sort((a, b) => a - b)
writeSection(
  'engine',
  `## Engine: admission latency against a bare baseline, workers keeping up, SSE throughput

${new Date().toISOString().slice(0, 10)} · ${machine()} · \`node --import tsx bench/engine.bench.ts --seconds ${SECONDS} --rate ${RATE} --events ${EVENTS} --repeat ${REPEAT}\` (\`pnpm bench --only engine\`)

The load generator, the server, PostgreSQL and the workers share the same ${os.cpus().length} cores, **and so does other work on this machine**: its 1-minute load average, sampled every 5 s during the benchmark, was ${fmt(load[0] ?? NaN, 1)}–${fmt(load.at(-1) ?? NaN, 1)} (median ${fmt(median(load), 1)}). Absolute latencies move with that load; the targets are ratios to a baseline measured in the same round, and CPU per run moves far less than latency.

**Admission**: \`POST /api/chat/runs\` (new session + chat + run + ephemeral key + first event + queue job, one transaction) sent open-loop at a fixed ${RATE} req/s for ${SECONDS} s from a separate process over loopback (node:http, keep-alive); latency is client-side, request to 202. The **bare baseline** (\`bench/lib/bare-admission-server.mjs\`) is a plain \`node:http\` handler in its own process with the server's Node flags that writes the same rows (session, chat, run, ephemeral key, first event batch, the pg-boss job) as one statement on a plain \`pg\` pool and sends both notifications after the commit as the server does (batched, on a connection that does not wait for the WAL flush) — no framework, validation or auth — against the same PostgreSQL as the Runyard API process of that round, driven by the same load generator; the two take turns (alternating which goes first). In each of ${REPEAT} rounds: the API process alone and the bare baseline on one fresh database, then a fresh server whose in-process workers execute the ${RATE} runs/s it admits (the no-op scripted executor: one text delta and a step; ${WORKER_CONCURRENCY} runs at once, ${concurrencySource}; their statements ${os.availableParallelism() + 1} at a time, \`RUNYARD_WORKER_STATEMENT_CONCURRENCY\`'s default). *Admitted → finished* is each admitted run's \`finishedAt − createdAt\`, read from the database once no run is left queued or running (waiting up to 3 minutes after the load; runs still unfinished then are counted, not timed); *finished rate* is the runs over (last finish − first admission). *CPU per run* is the server process's (or the bare process's) CPU and the whole PostgreSQL cluster's (every backend and helper process), from the first request until the last run finished, over the runs admitted.

Targets, each the median of the rounds: admission p99 ≤ 2× the bare baseline's p99; with workers, admitted → finished p99 ≤ 250 ms.

| target | process | p50 ms | p99 ms | p99 / bare p99 | admitted → finished p50 / p99 ms | CPU ms per run: node + PostgreSQL |
|---|---|---|---|---|---|---|
${summaryRows.join('\n')}

Median of the ${REPEAT} rounds, the spread (min–max) in parentheses. Each round:

| target | round | bare p50 / p99 ms | API only p50 / p99 ms | ratio p99 | with workers p50 / p99 ms | ratio p99 | admitted → finished p50 / p99 ms | admitted → finished runs/s | CPU ms/run bare | CPU ms/run API only | CPU ms/run with workers | errors |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
${roundRows.join('\n')}

**SSE throughput**: one run emitting ${EVENTS} text deltas as fast as it can, read through \`GET /api/chat/runs/{runId}/events\` to the end (events/s from request to last frame): *live* while the worker is still writing it (bounded by how fast the run's events are committed), *replay* of the finished log; against a bare \`node:http\` server writing the identical frames from its own process (as the Runyard server is; same Node flags; one process serves all its reads, so it is measured warm too), all read by the same fetch-based SSE parser. The last column is the same run with nobody reading it (events/s from its start to its end): how fast one run's events are committed, which a live reader cannot exceed. Median of ${REPEAT}, after one run of each that is not counted (V8 warm-up on both sides). Target ≥ 70 % of bare.

| target | live events/s | replay events/s | bare http events/s | the run alone, unread (live's ceiling) |
|---|---|---|---|---|
${sseRows.join('\n')}
`,
)
process.exit(0)
