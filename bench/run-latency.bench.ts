// Latency of one run, phase by phase (not a test): the peers benchmark's task (bench/peers/task.ts:
// a new session + one user message; the scripted model asks for `bash`, then answers quoting its
// output; 2 model calls) sent to the compiled server on an idle machine, one run at a time and 4
// at a time, each run's wall time broken into phases from timestamps that need no change to the
// server:
//  - the client's own clock: POST sent, 202 received, first SSE frame, the terminal frame;
//  - the stored events' `createdAt` (the transaction time of the statement that wrote them, on
//    the same machine's clock): `queued` (admission), `running` (the claim), the terminal status
//    (the finish);
//  - the scripted model (in this process): when each of the run's two requests arrived and when
//    its reply ended (each run's prompt carries a tag, so concurrent runs' requests are told apart).
// Between the first model reply's end and the second request lie the tool call and the step's
// writes; the tool's own cost (bubblewrap spawn to exit of the same command, through the same
// sandbox provider the server uses) is measured alone in this process for comparison.
// A/B: `--builds label=path,label=…` runs several compiled servers side by side, each with its own
// data folder, all started before the first round; each round measures them in turn, the order
// rotating. A path is a compiled entry (apps/server/dist/cli.mjs) or a build folder: to compare
// commits, build each (`node scripts/bootstrap.mjs build`) and copy its apps/server/dist/builds/<id>
// to apps/server/dist/ab/<name> (the same depth, so its node_modules links resolve) before the
// next build prunes it, then `--builds before=apps/server/dist/ab/<old>,after=apps/server/dist/ab/<new>`.
// Each figure is the median of the rounds (each round's median over its runs), with the rounds'
// min–max. `--timeline` prints each one-at-a-time run's stored events and model requests
// relative to its POST.
// Results → docs/benchmarks.md (section "run-latency").
//   pnpm bench --only run-latency   (or: node --import tsx bench/run-latency.bench.ts [--rounds 5] [--runs 20] [--builds …] [--sandbox local|host] [--timeline] [--no-write])
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { repoRoot } from '@runyard/testkit/runyard-process'
import type { FakeOpenAI, FakeRequest } from '@runyard/testkit/fake-openai/index'
import { SERVER_NODE_FLAGS } from '../apps/server/bin/node-flags.mjs'
import { LocalSandboxProvider } from '../packages/agent-runtime/src/sandbox/local.ts'
import { fmt, machine, median, writeSection } from './lib/report.ts'
import { startScriptedModel, MODEL_ID } from './peers/model.ts'
import { freePort, start, waitHealthy, type Started } from './peers/process.ts'
import { baseEnv } from './peers/server.ts'
import { postJson, sseFrames } from './peers/sse.ts'
import { checkRun, COMMAND, PROMPT } from './peers/task.ts'

const { values } = parseArgs({
  strict: false,
  options: {
    rounds: { type: 'string', default: '5' },
    runs: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '4' },
    builds: { type: 'string' },
    sandbox: { type: 'string', default: 'local' },
    only: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    /** Prints each sequential run's timeline (every stored event, the model's requests) relative to its POST. */
    timeline: { type: 'boolean', default: false },
  },
})
if (values.only !== undefined && values.only !== 'run-latency') {
  console.log(`run-latency: skipped (--only ${String(values.only)})`)
  process.exit(0)
}
const ROUNDS = Number(values.rounds)
const RUNS = Number(values.runs)
const CONCURRENCY = Number(values.concurrency)
const SANDBOX = String(values.sandbox)
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error('--rounds takes a whole number ≥ 1')
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('--runs takes a whole number ≥ 1')
if (!Number.isInteger(CONCURRENCY) || CONCURRENCY < 2) throw new Error('--concurrency takes a whole number ≥ 2')
if (SANDBOX !== 'local' && SANDBOX !== 'host') throw new Error('--sandbox takes local (bubblewrap) or host')

interface Build {
  label: string
  cli: string
}
const BUILDS: Build[] = (values.builds ? String(values.builds).split(',') : ['current=apps/server/dist/cli.mjs']).map(
  (spec) => {
    const [label, file] = spec.includes('=') ? (spec.split('=', 2) as [string, string]) : [spec, spec]
    const target = path.resolve(repoRoot, file)
    if (!fs.existsSync(target))
      throw new Error(`--builds: ${target} does not exist (build it: node scripts/bootstrap.mjs build)`)
    // A build folder (dist/builds/<id>, or a copy of one at the same depth under apps/server/dist,
    // where its node_modules links still resolve) runs its server.mjs; SERVER_NODE_FLAGS has the V8
    // flags the entry would set.
    return { label, cli: fs.statSync(target).isDirectory() ? path.join(target, 'server.mjs') : target }
  },
)

/** Epoch milliseconds with sub-millisecond precision, the clock the scripted model stamps its requests with. */
const now = () => performance.timeOrigin + performance.now()

/** The phases of one run, in order; together they add up to its latency. */
const PHASES = [
  ['post', 'POST → 202'],
  ['firstFrame', '202 → first SSE frame'],
  ['queued', 'admission → claim (`queued` → `running` event)'],
  ['claimToModel', 'claim → first model request'],
  ['model1', 'model call 1 (asks for `bash`)'],
  ['between', 'model call 1 end → model call 2 request (tool call, step writes)'],
  ['model2', 'model call 2 (the answer, streamed)'],
  ['toFinish', 'model call 2 end → finished (terminal event stored)'],
  ['toClient', 'finished → the client has the terminal frame'],
] as const
type Phase = (typeof PHASES)[number][0]
type RunPhases = Record<Phase | 'latency' | 'acceptedToFirstFrame', number>

interface StoredFrame {
  createdAt: string
  event: { type: string; status?: string; tool?: string; output?: string; delta?: string; parentToolCallId?: string }
}

let tagCounter = 0

async function oneRun(base: string, model: FakeOpenAI, print = false): Promise<RunPhases> {
  const tag = `probe-${++tagCounter}`
  const prompt = `${PROMPT} (${tag})`
  const tPost = now()
  const { runId } = await postJson<{ runId: string }>(`${base}/api/chat/runs`, { prompt }, 202)
  const t202 = now()
  let tFirst: number | undefined
  let queuedAt: number | undefined
  let runningAt: number | undefined
  let finishedAt: number | undefined
  let toolOutput: string | undefined
  let answer = ''
  const timeline: [number, string][] = []
  for await (const frame of await sseFrames(await fetch(`${base}/api/chat/runs/${runId}/events`))) {
    tFirst ??= now()
    const { createdAt, event } = JSON.parse(frame.data) as StoredFrame
    const at = Date.parse(createdAt)
    timeline.push([
      at,
      `stored ${event.type}${event.status ? ` ${event.status}` : ''} (client got it at ${fmt(now() - tPost)})`,
    ])
    if (event.type === 'run_status' && event.status === 'queued') queuedAt ??= at
    else if (event.type === 'run_status' && event.status === 'running') runningAt ??= at
    else if (event.type === 'tool_result' && event.tool === 'bash') toolOutput = event.output
    else if (event.type === 'text_delta' && !event.parentToolCallId && toolOutput !== undefined) answer += event.delta
    else if (event.type === 'run_status' && ['completed', 'failed', 'cancelled'].includes(event.status ?? '')) {
      if (event.status !== 'completed') throw new Error(`run ${runId} ended ${event.status}`)
      finishedAt = at
      break
    }
  }
  const tEnd = now()
  checkRun({ toolOutput, answer })
  const calls = model.requests.filter((r) => r.lastUserText.includes(tag))
  const [m1, m2] = calls as [FakeRequest | undefined, FakeRequest | undefined]
  if (calls.length !== 2 || !m1?.closedAt || !m2?.closedAt)
    throw new Error(`run ${runId}: expected 2 finished model calls, saw ${calls.length}`)
  if (tFirst === undefined || queuedAt === undefined || runningAt === undefined || finishedAt === undefined)
    throw new Error(`run ${runId}: its stream lacked the queued, running or terminal status`)
  if (values.timeline && print) {
    timeline.push([t202, '202'], [m1.receivedAt, 'model 1 request'], [m1.closedAt, 'model 1 end'])
    timeline.push([m2.receivedAt, 'model 2 request'], [m2.closedAt, 'model 2 end'], [tEnd, 'client: terminal frame'])
    console.log(`run ${runId}, POST at ${tPost.toFixed(1)} (epoch ms):`)
    console.log(
      timeline
        .sort((a, b) => a[0] - b[0])
        .map(([t, what]) => `  ${fmt(t - tPost).padStart(7)} ${what}`)
        .join('\n'),
    )
  }
  return {
    post: t202 - tPost,
    firstFrame: tFirst - t202,
    queued: runningAt - queuedAt,
    claimToModel: m1.receivedAt - runningAt,
    model1: m1.closedAt - m1.receivedAt,
    between: m2.receivedAt - m1.closedAt,
    model2: m2.closedAt - m2.receivedAt,
    toFinish: finishedAt - m2.closedAt,
    toClient: tEnd - finishedAt,
    latency: tEnd - tPost,
    acceptedToFirstFrame: tFirst - t202,
  }
}

// The phases measured against database timestamps (millisecond precision) don't add up exactly to
// the client's 202 and terminal frame: admission's transaction starts before the 202, so
// `post + firstFrame` and the database phases overlap by the admission's own time. The table
// shows each phase as measured; the latency column is the client's.

interface Sample {
  build: string
  mode: 'sequential' | 'concurrent'
  round: number
  runs: RunPhases[]
  wallMs: number
}

async function measure(base: string, model: FakeOpenAI, mode: Sample['mode']) {
  const t0 = performance.now()
  const runs: RunPhases[] = []
  if (mode === 'sequential') for (let i = 0; i < RUNS; i++) runs.push(await oneRun(base, model, true))
  else {
    let next = 0
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next++ < RUNS) runs.push(await oneRun(base, model))
      }),
    )
  }
  return { runs, wallMs: performance.now() - t0 }
}

/** The tool's own cost: `bash -c COMMAND` under the same provider, spawn to exit, in a scratch workspace. */
async function toolAlone(times: number): Promise<number[]> {
  if (SANDBOX !== 'local') return []
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runyard-latency-tool-'))
  try {
    const { sandbox } = await new LocalSandboxProvider({ searchPath: process.env.PATH }).open({
      sessionId: 'probe',
      workspaceDir: dir,
    })
    const out: number[] = []
    for (let i = 0; i < times; i++) {
      const t0 = performance.now()
      const r = await sandbox.exec(COMMAND)
      out.push(performance.now() - t0)
      if (r.exitCode !== 0) throw new Error(`the tool alone failed: ${r.stderr}`)
    }
    await sandbox.close()
    return out
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

interface Running {
  build: Build
  base: string
  server: Started
  state: string
}

async function startServer(build: Build, modelUrl: string, i: number): Promise<Running> {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), `runyard-latency-${i}-`))
  const port = await freePort()
  const env = baseEnv({
    RUNYARD_HOST: '127.0.0.1',
    RUNYARD_PORT: String(port),
    RUNYARD_DATA_DIR: path.join(state, 'data'),
    RUNYARD_WORKSPACES_DIR: path.join(state, 'workspaces'),
    RUNYARD_LOG_LEVEL: 'warn',
    RUNYARD_SANDBOX: SANDBOX,
    OPENAI_COMPATIBLE_BASE_URL: modelUrl,
    OPENAI_COMPATIBLE_API_KEY: 'sk-bench',
    RUNYARD_MODEL: `openai-compatible/${MODEL_ID}`,
  })
  const server = start(
    { cmd: process.execPath, args: [...SERVER_NODE_FLAGS, build.cli, 'start'], cwd: repoRoot, env },
    path.join(state, 'server.log'),
  )
  const base = `http://127.0.0.1:${port}`
  await waitHealthy(`${base}/api/v1/health`, performance.now(), server)
  return { build, base, server, state }
}

type Stat = { median: number; min: number; max: number }
const stat = (xs: number[]): Stat => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) })
const cell = (s: Stat, digits = 1) => `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`

function report(samples: Sample[], tool: number[], loads: number[]): string {
  const modes: Sample['mode'][] = ['sequential', 'concurrent']
  const header = `| phase | ${BUILDS.flatMap((b) => modes.map((m) => `${b.label}, ${m === 'sequential' ? 'one at a time' : `${CONCURRENCY} at a time`}`)).join(' | ')} |`
  const rule = `|---|${BUILDS.flatMap(() => modes.map(() => '---')).join('|')}|`
  const of = (b: Build, m: Sample['mode']) => samples.filter((s) => s.build === b.label && s.mode === m)
  const roundMedians = (b: Build, m: Sample['mode'], key: keyof RunPhases) =>
    stat(of(b, m).map((s) => median(s.runs.map((r) => r[key]))))
  const rows = [
    ...PHASES.map(
      ([key, label]) =>
        `| ${label} | ${BUILDS.flatMap((b) => modes.map((m) => cell(roundMedians(b, m, key)))).join(' | ')} |`,
    ),
    `| **latency p50** (POST → terminal frame) | ${BUILDS.flatMap((b) => modes.map((m) => `**${cell(roundMedians(b, m, 'latency'))}**`)).join(' | ')} |`,
    `| runs/s | ${BUILDS.flatMap((b) => modes.map((m) => cell(stat(of(b, m).map((s) => (s.runs.length / s.wallMs) * 1000)), 2))).join(' | ')} |`,
  ]
  const toolLine = tool.length
    ? `The tool alone (\`bash -c '${COMMAND}'\` under bubblewrap through the server's own \`LocalSandboxProvider\`, spawn to exit, in this process, ${tool.length} times): median ${fmt(median(tool))} ms (${fmt(Math.min(...tool))}–${fmt(Math.max(...tool))}).`
    : 'Sandbox `host`: the tool is not measured alone.'
  return [
    '## Latency of one run, phase by phase',
    '',
    `${new Date().toISOString().slice(0, 10)} · ${machine()} · \`node --import tsx bench/run-latency.bench.ts --rounds ${ROUNDS} --runs ${RUNS}${values.builds ? ` --builds ${String(values.builds)}` : ''} --sandbox ${SANDBOX}\` (\`pnpm bench --only run-latency\`) · 1-minute load average during the rounds ${fmt(Math.min(...loads), 2)}–${fmt(Math.max(...loads), 2)}`,
    '',
    `The peers benchmark's task (a new session + one user message; the scripted model asks for \`bash\`, then answers quoting its output, 5 ms per word; 2 model calls) on the compiled server started as \`node <server flags> ${BUILDS.length > 1 ? '<build>' : 'apps/server/dist/cli.mjs'} start\`, sandbox \`${SANDBOX}\`, ${RUNS} runs one at a time (the server idle between them) and ${RUNS} runs ${CONCURRENCY} at a time, in each of ${ROUNDS} rounds${BUILDS.length > 1 ? `; the builds run side by side, each on its own data folder, taking turns within each round (the order rotates)` : ''}. Phases from the client's clock (POST, 202, frames), the stored events' \`createdAt\` (the writing statement's transaction time: \`queued\` at admission, \`running\` at the claim, the terminal status at the finish) and the scripted model's (each request's arrival and its reply's end). Database timestamps have millisecond precision and admission's transaction starts before its 202, so the phases overlap slightly and do not add up exactly to the latency. Each cell: the median of the rounds' medians (min–max of the rounds), ms.`,
    '',
    header,
    rule,
    ...rows,
    '',
    toolLine,
  ].join('\n')
}

const model = await startScriptedModel()
const servers: Running[] = []
const samples: Sample[] = []
const loads: number[] = []
try {
  const modelUrl = model.url
  for (const [i, b] of BUILDS.entries()) servers.push(await startServer(b, modelUrl, i))
  for (const s of servers) {
    await oneRun(s.base, model) // warm-up, not counted
    await new Promise((r) => setTimeout(r, 500))
  }
  for (let round = 1; round <= ROUNDS; round++) {
    for (let k = 0; k < servers.length; k++) {
      const s = servers[(round + k) % servers.length]!
      for (const mode of ['sequential', 'concurrent'] as const) {
        loads.push(os.loadavg()[0]!)
        const { runs, wallMs } = await measure(s.base, model, mode)
        samples.push({ build: s.build.label, mode, round, runs, wallMs })
        const p = median(runs.map((r) => r.latency))
        console.log(
          `round ${round} ${s.build.label} ${mode}: latency p50 ${fmt(p)} ms, ${fmt((runs.length / wallMs) * 1000, 2)} runs/s · ${PHASES.map(([key]) => `${key} ${fmt(median(runs.map((r) => r[key])))}`).join(' · ')}`,
        )
      }
    }
  }
} finally {
  for (const s of servers) await s.server.stop()
  await model.close()
  for (const s of servers) fs.rmSync(s.state, { recursive: true, force: true })
}
const tool = await toolAlone(20)
const markdown = report(samples, tool, loads)
console.log(markdown)
if (!values['no-write']) writeSection('run-latency', markdown)
