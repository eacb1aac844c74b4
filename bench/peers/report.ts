// The peer benchmark's section of docs/benchmarks.md: every figure is the median of the rounds
// with their range (min–max), never the best round; ratios are taken round by round against the
// best peer of that round, then summarised the same way.
import { describeTree, mb, type TreeMemory } from '../lib/pss.ts'
import { machine, median } from '../lib/report.ts'
import type { Measurement } from './measure.ts'
import { WORD_DELAY_MS } from './model.ts'
import type { ServerKind } from './server.ts'
import { COMMAND } from './task.ts'

export interface Settings {
  runs: number
  concurrency: number
  warmup: number
  rounds: number
  sampleMs: number
  idleS: number
  command: string
}

export interface ColdStart {
  ms: number
  idle: TreeMemory
}

export type Rounds = Map<ServerKind, Measurement[]>
type Figure = (m: Measurement) => number

const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`)
const megabytes = (x: number) => `${Math.round(mb(x))} MB`
const perSecond = (x: number) => x.toFixed(1)
const times = (x: number) => `${x.toFixed(2)}×`
const ok = (met: boolean) => (met ? '✅' : '❌')

/** "9.5 (9.2–9.7)": the median, then the range when there is more than one value. */
function spread(xs: number[], show: (x: number) => string): string {
  const s = [...xs].sort((a, b) => a - b)
  return s.length > 1 ? `${show(median(s))} (${show(s[0]!)}–${show(s.at(-1)!)})` : show(s[0] ?? NaN)
}

const highest = (xs: number[]) => Math.max(...xs)
const lowest = (xs: number[]) => Math.min(...xs)
const runsPerSecond: Figure = (m) => m.runsPerSecond
const latencyP50: Figure = (m) => m.latencyP50
const peakPss: Figure = (m) => m.peak.pssBytes
const firstStart: Figure = (m) => m.firstStartMs

/** Runyard's figure over the best peer's, round by round. */
function ratios(rounds: Rounds, runyard: ServerKind, figure: Figure, best: (xs: number[]) => number): number[] {
  const peers = [...rounds].filter(([s]) => !s.isRunyard).map(([, m]) => m)
  return rounds.get(runyard)!.map((m, round) => figure(m) / best(peers.map((p) => figure(p[round]!))))
}

function serverRow(s: ServerKind, measurements: Measurement[], runsPerRound: number): string {
  const cell = (f: Figure, show: (x: number) => string) => spread(measurements.map(f), show)
  const runs = measurements.length * runsPerRound
  const checked = measurements.reduce((n, m) => n + m.ok, 0)
  const calls = measurements.reduce((n, m) => n + m.modelCalls, 0)
  const processes = median(measurements.map((m) => m.peakProcesses))
  return [
    s.label,
    cell(runsPerSecond, perSecond),
    cell(latencyP50, ms),
    cell((m) => m.firstEventP50, ms),
    `${cell(peakPss, megabytes)} (${processes} process${processes === 1 ? '' : 'es'})`,
    cell((m) => m.idleServer.pssBytes, megabytes),
    cell((m) => m.startMs, ms),
    cell(firstStart, ms),
    `${checked}/${runs}${checked === runs ? '' : ' ❌'}, ${calls} model calls`,
  ].join(' | ')
}

function ratioRow(rounds: Rounds, s: ServerKind): string {
  const throughput = ratios(rounds, s, runsPerSecond, highest)
  const latency = ratios(rounds, s, latencyP50, lowest)
  const pss = ratios(rounds, s, peakPss, lowest)
  return [
    s.label,
    `${spread(throughput, times)} ${ok(median(throughput) >= 2)}`,
    `${spread(latency, times)} ${ok(median(latency) <= 0.5)}`,
    `${spread(pss, times)} ${ok(median(pss) <= 0.5)}`,
  ].join(' | ')
}

function startRow(s: ServerKind, measurements: Measurement[]): string {
  const starts = measurements.map((m) => m.startMs)
  const byIdle = [...measurements].sort((a, b) => a.idleServer.pssBytes - b.idleServer.pssBytes)
  const medianRound = byIdle[Math.floor(byIdle.length / 2)]!
  const serverIdle = measurements.map((m) => m.idleServer.pssBytes)
  return [
    s.label,
    `${spread(starts, ms)} ${ok(median(starts) <= 1000)}`,
    spread(measurements.map(firstStart), ms),
    `${spread(serverIdle, megabytes)} ${ok(median(serverIdle) <= 100 * 2 ** 20)}`,
    s.isLauncher
      ? spread(
          measurements.map((m) => m.idle.pssBytes),
          megabytes,
        )
      : 'the same',
    describeTree(medianRound.idle),
  ].join(' | ')
}

const table = (head: string[], rows: string[]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r} |`)].join('\n')

function startUpSection(rounds: Rounds, settings: Settings, cold: ColdStart | undefined): string {
  const runyard = [...rounds].filter(([s]) => s.isRunyard)
  if (!runyard.length) return ''
  const coldLine = cold
    ? `Cold first start (a fresh \`git clone\` of HEAD, then \`npm start\`: pnpm, \`pnpm install\` from this machine's pnpm store, the Prisma client, the builds, the embedded PostgreSQL's first start): **${ms(cold.ms)}** to healthy; idle ${settings.idleS} s later ${describeTree(cold.idle)}.`
    : 'Cold first start: not measured in this invocation (`--skip-cold`).'
  return `### Start-up and idle memory (Runyard)

Goals: warm start → healthy ≤ 1 s, idle ≤ 100 MB PSS (issue #21's tree: the server and its embedded PostgreSQL). Idle: ${settings.idleS} s after the warm start was healthy, before any run, the median of 5 readings 200 ms apart (as in "Start-up and idle memory"); *server + PostgreSQL* leaves out \`npm start\`'s npm, which only launches the server (it runs in the launcher's node), and *whole tree* counts it too.

${table(
  [
    'Runyard',
    'warm start → healthy',
    'first start (new data folder)',
    'idle PSS, server + PostgreSQL',
    'idle PSS, whole tree',
    'idle tree, median round',
  ],
  runyard.map(([s, m]) => startRow(s, m)),
)}

${coldLine}
`
}

export function peersSection(rounds: Rounds, settings: Settings, cold: ColdStart | undefined): string {
  const servers = [...rounds]
  const runyard = servers.filter(([s]) => s.isRunyard).map(([s]) => s)
  const ratioTable =
    runyard.length && servers.some(([s]) => !s.isRunyard)
      ? `Runyard against the best peer of each round (the highest runs/s, the lowest latency, the lightest peak PSS), median of the rounds (min–max). Goals: throughput ≥ 2×, latency ≤ ½, peak PSS ≤ ½.

${table(
  ['Runyard', 'runs/s ÷ best peer', 'latency p50 ÷ best peer', 'peak PSS ÷ lightest peer'],
  runyard.map((s) => ratioRow(rounds, s)),
)}
`
      : ''

  return `## Peers: the same agent task on Runyard, opencode and LangGraph

${new Date().toISOString().slice(0, 10)} · ${machine()} · \`${settings.command}\`

One run = a new session (thread) and one user message. The scripted OpenAI-compatible model (\`packages/testkit\`'s fake OpenAI server, in the benchmark's process) asks for \`bash\` running \`${COMMAND}\`; the server runs it; the model answers quoting the output line (\`Done. The tool said: runyard-proof\`, streamed ${WORD_DELAY_MS} ms per chunk, one chunk per word). 2 model calls per run. Every run is checked through the server's own API: the \`bash\` call completed with \`runyard-proof\` in its output and the answer quotes it; the model calls are counted.

Per server and round: a first start on a fresh state folder, stopped; a second start on the same folder (measured: start → healthy, then idle memory ${settings.idleS} s later); ${settings.warmup} warm-up run; then ${settings.runs} runs, ${settings.concurrency} at a time. ${settings.rounds} round${settings.rounds === 1 ? '' : 's'}, the servers interleaved (the order rotates each round). Latency: from the run's first request until the client knows it has finished (Runyard: the terminal \`run_status\` on its event stream; opencode: \`session.status\` idle on \`/event\`; LangGraph: the end of \`runs/stream\`). First event: the first streamed event of that run. Memory: PSS of the server's whole process tree (shared pages split, not double-counted), sampled every ${settings.sampleMs} ms from the measured start to the last run. Idle PSS (server): the tree ${settings.idleS} s after the warm start, before any run, without \`npm start\`'s npm (the launcher; the server runs in its child). Each cell: the median of the rounds (min–max).

${table(
  [
    'server',
    'runs/s',
    'latency p50',
    'first event p50',
    'peak PSS (tree)',
    'idle PSS (server)',
    'start → healthy',
    'first start (fresh state)',
    'runs checked',
  ],
  servers.map(([s, m]) => serverRow(s, m, settings.runs)),
)}

${ratioTable}
${startUpSection(rounds, settings, cold)}`
}
