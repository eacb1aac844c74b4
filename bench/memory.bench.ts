// Memory of the compiled server at idle and under the peers' task (not a test): A/B of builds,
// Node flags and environment variables, side by side. For each variant, in each round (variants
// take turns, the order rotating):
//  - a warm start on the variant's own data folder (initialised by a first start before the rounds);
//  - idle: IDLE_S seconds after healthy, the settled PSS (bench/lib/pss.ts) of the server process,
//    of its embedded PostgreSQL, and the PostgreSQL connections by application and state
//    (pg_stat_activity);
//  - load: 1 warm-up run, then RUNS runs CONCURRENCY at a time of the peers' task (bench/peers:
//    new session + one message, the scripted model asks for `bash`, then answers quoting it),
//    the tree's peak PSS sampled every 100 ms (and in that reading, the server's and PostgreSQL's
//    part), the most PostgreSQL connections open at once (pg_stat_activity every 250 ms, by
//    application), runs/s, latency p50, the CPU of the server process and of PostgreSQL per run;
//  - after the load: idle again IDLE_S seconds, PSS and connections once more.
// Each cell: the median of the rounds (min–max).
//
// A variant is `label=<build>[,NAME=value…][,--node-flag…]`: <build> is a compiled entry
// (apps/server/dist/cli.mjs) or a build folder copied under apps/server/dist (see
// run-latency.bench.ts); the server runs with SERVER_NODE_FLAGS, a `--flag=value` given here
// replacing the flag of the same name; NAME=value is set in its environment.
//   node --import tsx bench/memory.bench.ts --variant base=apps/server/dist/cli.mjs \
//     --variant arena2=apps/server/dist/cli.mjs,MALLOC_ARENA_MAX=2 [--rounds 3] [--runs 40] [--idle-s 12] [--sandbox host|local] [--write]
// With --write, the table replaces the "memory" section of docs/benchmarks.md.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { repoRoot } from '@runyard/testkit/runyard-process'
import { SERVER_NODE_FLAGS } from '../apps/server/bin/node-flags.mjs'
import { postgresCpuMs, postmasterPid, processCpuMs } from './lib/cpu.ts'
import { mb, settledTreeMemory, TreeSampler, type TreeMemory } from './lib/pss.ts'
import { fmt, machine, median, percentile, writeSection } from './lib/report.ts'
import { startScriptedModel } from './peers/model.ts'
import { freePort, start, waitHealthy, type Started } from './peers/process.ts'
import { runyardCliHost } from './peers/servers/runyard.ts'

const { values } = parseArgs({
  strict: false,
  options: {
    variant: { type: 'string', multiple: true },
    rounds: { type: 'string', default: '3' },
    runs: { type: 'string', default: '40' },
    concurrency: { type: 'string', default: '4' },
    'idle-s': { type: 'string', default: '12' },
    sandbox: { type: 'string', default: 'host' },
    only: { type: 'string' },
    write: { type: 'boolean', default: false },
  },
})
if (values.only !== undefined && values.only !== 'memory') {
  console.log(`memory: skipped (--only ${String(values.only)})`)
  process.exit(0)
}
const count = (name: 'rounds' | 'runs' | 'concurrency', min: number) => {
  const n = Number(values[name])
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} takes a whole number ≥ ${min}`)
  return n
}
const ROUNDS = count('rounds', 1)
const RUNS = count('runs', 1)
const CONCURRENCY = count('concurrency', 1)
const IDLE_S = Number(values['idle-s'])
if (!(IDLE_S >= 0)) throw new Error('--idle-s takes a number of seconds ≥ 0')
const SANDBOX = String(values.sandbox)
if (!['host', 'local'].includes(SANDBOX)) throw new Error('--sandbox takes host or local')

interface Variant {
  label: string
  cli: string
  flags: string[]
  env: Record<string, string>
  state: string
}

const variantSpecs = (values.variant as string[] | undefined) ?? ['current=apps/server/dist/cli.mjs']
const variants: Variant[] = variantSpecs.map((spec) => {
  const [head = '', ...rest] = spec.split(',')
  const [label, file] = head.includes('=') ? (head.split('=', 2) as [string, string]) : [head, head]
  const target = path.resolve(repoRoot, file)
  if (!fs.existsSync(target)) throw new Error(`--variant ${label}: ${target} does not exist`)
  const cli = fs.statSync(target).isDirectory() ? path.join(target, 'server.mjs') : target
  const flags = [...SERVER_NODE_FLAGS]
  const env: Record<string, string> = {}
  for (const item of rest) {
    if (item.startsWith('--')) {
      const name = item.split('=')[0]!
      const i = flags.findIndex((f) => f.split('=')[0] === name)
      if (i >= 0) flags.splice(i, 1)
      flags.push(item)
    } else if (item.includes('=')) {
      const [k, v] = item.split('=', 2) as [string, string]
      env[k] = v
    } else throw new Error(`--variant ${label}: ${item} is neither NAME=value nor --flag`)
  }
  return { label, cli, flags, env, state: fs.mkdtempSync(path.join(os.tmpdir(), `runyard-memory-${label}-`)) }
})

interface Connections {
  /** application_name / state → count, client backends only. */
  byApp: Map<string, number>
  total: number
}

interface Reading {
  idle: TreeMemory
  idleServer: number
  idlePg: number
  idleConnections: Connections
  peak: TreeMemory
  peakServer: number
  peakPg: number
  peakConnections: Connections
  afterServer: number
  afterPg: number
  after: TreeMemory
  afterConnections: Connections
  runsPerSecond: number
  latencyP50: number
  serverCpuPerRun: number
  pgCpuPerRun: number
  errors: number
}

const log = (line: string) => console.log(`[bench:memory] ${line}`)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const model = await startScriptedModel()

function command(v: Variant, port: number) {
  const base = runyardCliHost.command({ state: v.state, port, modelUrl: model.url })
  return {
    ...base,
    cmd: process.execPath,
    args: [...v.flags, v.cli, 'start'],
    env: { ...base.env, RUNYARD_SANDBOX: SANDBOX, ...v.env },
  }
}

function benchClient(v: Variant): pg.Client {
  const settings = JSON.parse(fs.readFileSync(path.join(v.state, 'data/embedded.json'), 'utf8')) as {
    port: number
    password: string
  }
  return new pg.Client({
    host: '127.0.0.1',
    port: settings.port,
    user: 'postgres',
    password: settings.password,
    database: 'postgres',
    application_name: 'bench-memory',
  })
}

/** Client backends by application (and state, unless `byState` is false), this benchmark's own left out. */
async function countConnections(client: pg.Client, byState = true): Promise<Connections> {
  const { rows } = await client.query<{ app: string; state: string; n: string }>(
    `SELECT coalesce(nullif(application_name, ''), '(none)') AS app, coalesce(state, '?') AS state, count(*) AS n
       FROM pg_stat_activity WHERE backend_type = 'client backend' AND application_name <> 'bench-memory'
      GROUP BY 1, 2 ORDER BY 1, 2`,
  )
  const byApp = new Map<string, number>()
  for (const r of rows) {
    const key = byState ? `${r.app} ${r.state}` : r.app
    byApp.set(key, (byApp.get(key) ?? 0) + Number(r.n))
  }
  return { byApp, total: [...byApp.values()].reduce((a, b) => a + b, 0) }
}

async function connections(v: Variant): Promise<Connections> {
  const client = benchClient(v)
  await client.connect()
  try {
    return await countConnections(client)
  } finally {
    await client.end()
  }
}

/** The most client backends open at once while it runs (polled every 250 ms), by application. */
function peakConnections(v: Variant) {
  const client = benchClient(v)
  let peak: Connections = { byApp: new Map(), total: 0 }
  let polling: Promise<void> = client.connect().then(() => {})
  const timer = setInterval(() => {
    polling = polling
      .then(() => countConnections(client, false))
      .then((now) => {
        if (now.total > peak.total) peak = now
      })
  }, 250)
  return {
    async stop(): Promise<Connections> {
      clearInterval(timer)
      await polling
      await client.end()
      return peak
    },
  }
}

const nodePss = (m: TreeMemory, pid: number) => m.detail.find((d) => d.pid === pid)?.pssBytes ?? NaN
const pgPss = (m: TreeMemory) => m.byName.find((n) => n.name === 'postgres')?.pssBytes ?? 0

async function measure(v: Variant): Promise<Reading> {
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const t0 = performance.now()
  const proc: Started = start(command(v, port), path.join(v.state, 'server.log'))
  try {
    await waitHealthy(`${base}/api/v1/health`, t0, proc)
    const driver = await runyardCliHost.connect(base)
    await sleep(IDLE_S * 1000)
    const idle = await settledTreeMemory(proc.pid)
    const idleConnections = await connections(v)
    const sampler = new TreeSampler(proc.pid, 100).start()
    const connectionsDuringLoad = peakConnections(v)
    await driver.run('warm-up')
    const postmaster = postmasterPid(path.join(v.state, 'data/pg'))
    const cpu0 = processCpuMs(proc.pid)
    const pg0 = postgresCpuMs(postmaster)
    const latencies: number[] = []
    let errors = 0
    let next = 0
    const t1 = performance.now()
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < RUNS) {
          next++
          try {
            latencies.push((await driver.run(String(next))).latencyMs)
          } catch (err) {
            errors++
            log(`  ✗ ${(err as Error).message}`)
          }
        }
      }),
    )
    const wallMs = performance.now() - t1
    const serverCpu = processCpuMs(proc.pid) - cpu0
    const pgCpu = postgresCpuMs(postmaster) - pg0
    const { peak } = sampler.stop()
    const loadConnections = await connectionsDuringLoad.stop()
    driver.close()
    await sleep(IDLE_S * 1000)
    const after = await settledTreeMemory(proc.pid)
    const afterConnections = await connections(v)
    return {
      idle,
      idleServer: nodePss(idle, proc.pid),
      idlePg: pgPss(idle),
      idleConnections,
      peak,
      peakServer: nodePss(peak, proc.pid),
      peakPg: pgPss(peak),
      peakConnections: loadConnections,
      after,
      afterServer: nodePss(after, proc.pid),
      afterPg: pgPss(after),
      afterConnections,
      runsPerSecond: latencies.length / (wallMs / 1000),
      latencyP50: percentile(
        [...latencies].sort((a, b) => a - b),
        50,
      ),
      serverCpuPerRun: serverCpu / RUNS,
      pgCpuPerRun: pgCpu / RUNS,
      errors,
    }
  } finally {
    await proc.stop()
  }
}

const cell = (xs: number[], digits = 1) =>
  `${fmt(median(xs), digits)} (${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)})`
const mbCell = (xs: number[]) => cell(xs.map(mb))
const describeConnections = (c: Connections) => `${c.total}: ${[...c.byApp].map(([k, n]) => `${k} ${n}`).join(', ')}`

log(`first start of each variant (initialises its data folder, not counted)`)
for (const v of variants) {
  const port = await freePort()
  const proc = start(command(v, port), path.join(v.state, 'server.log'))
  await waitHealthy(`http://127.0.0.1:${port}/api/v1/health`, performance.now(), proc)
  await proc.stop()
}

const results = new Map<Variant, Reading[]>(variants.map((v) => [v, []]))
for (let round = 0; round < ROUNDS; round++) {
  const order = variants.map((_, i) => variants[(i + round) % variants.length]!)
  for (const v of order) {
    const r = await measure(v)
    results.get(v)!.push(r)
    log(
      `round ${round + 1}/${ROUNDS} ${v.label}: idle server ${mb(r.idleServer)} + pg ${mb(r.idlePg)} = ${mb(r.idle.pssBytes)} MB ` +
        `(${r.idle.processes} processes; connections ${describeConnections(r.idleConnections)}); ` +
        `peak ${mb(r.peak.pssBytes)} MB (server ${mb(r.peakServer)}, pg ${mb(r.peakPg)}, ${r.peak.processes} processes; ` +
        `most connections at once ${describeConnections(r.peakConnections)}); ` +
        `after ${mb(r.after.pssBytes)} MB (server ${mb(r.afterServer)}, pg ${mb(r.afterPg)}; connections ${describeConnections(r.afterConnections)}); ` +
        `${fmt(r.runsPerSecond, 2)} runs/s, p50 ${Math.round(r.latencyP50)} ms, CPU/run server ${fmt(r.serverCpuPerRun)} pg ${fmt(r.pgCpuPerRun)} ms` +
        (r.errors ? `, ${r.errors} errors` : ''),
    )
  }
}
await model.close()

const rows = variants.map((v) => {
  const rs = results.get(v)!
  const pick = (f: (r: Reading) => number) => rs.map(f)
  return (
    `| ${v.label} | ${mbCell(pick((r) => r.idleServer))} | ${mbCell(pick((r) => r.idlePg))} | ${mbCell(pick((r) => r.idle.pssBytes))} | ` +
    `${median(pick((r) => r.idle.processes))} / ${median(pick((r) => r.idleConnections.total))} | ` +
    `${mbCell(pick((r) => r.peak.pssBytes))} | ${mbCell(pick((r) => r.peakServer))} | ${mbCell(pick((r) => r.peakPg))} | ` +
    `${median(pick((r) => r.peakConnections.total))} | ${mbCell(pick((r) => r.after.pssBytes))} | ` +
    `${cell(
      pick((r) => r.runsPerSecond),
      2,
    )} | ${cell(
      pick((r) => r.latencyP50),
      0,
    )} | ${cell(
      pick((r) => r.serverCpuPerRun),
      0,
    )} | ${cell(
      pick((r) => r.pgCpuPerRun),
      0,
    )} | ${rs.reduce((n, r) => n + r.errors, 0)} |`
  )
})
const describe = (v: Variant) =>
  `- ${v.label}: \`node ${v.flags.join(' ')} ${path.relative(repoRoot, v.cli)} start\`${
    Object.keys(v.env).length
      ? ` with ${Object.entries(v.env)
          .map(([k, val]) => `${k}=${val}`)
          .join(' ')}`
      : ''
  }`
const section = `## Memory at idle and under the peers' task (A/B)

${new Date().toISOString().slice(0, 10)} · ${machine()} · \`node --import tsx bench/memory.bench.ts ${process.argv.slice(2).join(' ')}\`

Per variant and round (variants interleaved): a warm start, idle ${IDLE_S} s, then 1 warm-up and ${RUNS} runs ${CONCURRENCY} at a time of the peers' task (sandbox \`${SANDBOX}\`), then idle ${IDLE_S} s again. PSS as in the sections above (settled: the median of 5 readings 200 ms apart; peak: the whole tree sampled every 100 ms). Connections: PostgreSQL client backends (pg_stat_activity); under load, the most open at once (polled every 250 ms). Peak: server and PostgreSQL at the reading where the tree peaked. CPU per run: the server process's and PostgreSQL's (all its processes) during the ${RUNS} runs, divided by ${RUNS}. Each cell: the median of ${ROUNDS} rounds (min–max).

${variants.map(describe).join('\n')}

| variant | idle: server MB | idle: PostgreSQL MB | idle: tree MB | idle: processes / connections | peak: tree MB | peak: server MB | peak: PostgreSQL MB | load: most connections | after load, idle: tree MB | runs/s | latency p50 ms | server CPU ms/run | PostgreSQL CPU ms/run | errors |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}
`
console.log(`\n${section}`)
if (values.write) writeSection('memory', section)
for (const v of variants) fs.rmSync(v.state, { recursive: true, force: true })
