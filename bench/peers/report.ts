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
  command: string
}

export interface ColdStart {
  ms: number
  idle: TreeMemory
}

export type Rounds = Map<ServerKind, Measurement[]>

const range = (xs: number[], show: (x: number) => string) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length > 1 ? `${show(median(s))} (${show(s[0]!)}–${show(s.at(-1)!)})` : show(s[0] ?? NaN)
}
const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`)
const megabytes = (x: number) => `${Math.round(mb(x))} MB`
const perSecond = (x: number) => x.toFixed(1)
const times = (x: number) => `${x.toFixed(2)}×`
const ok = (met: boolean) => (met ? '✅' : '❌')

/** Runyard's figure over the best peer's, round by round. */
function ratios(
  rounds: Rounds,
  runyard: ServerKind,
  figure: (m: Measurement) => number,
  best: (xs: number[]) => number,
): number[] {
  const own = rounds.get(runyard)!
  const peers = [...rounds].filter(([s]) => !s.isRunyard).map(([, ms]) => ms)
  return own.map((m, round) => figure(m) / best(peers.map((p) => figure(p[round]!))))
}

export function peersSection(rounds: Rounds, settings: Settings, cold: ColdStart | undefined): string {
  const servers = [...rounds.keys()]
  const all = (s: ServerKind, f: (m: Measurement) => number) => rounds.get(s)!.map(f)
  const checked = (s: ServerKind) => {
    const ms = rounds.get(s)!
    const runs = ms.length * settings.runs
    const ok = ms.reduce((n, m) => n + m.ok, 0)
    const calls = ms.reduce((n, m) => n + m.modelCalls, 0)
    return `${ok}/${runs}${ok === runs ? '' : ' ❌'}, ${calls} model calls`
  }
  const mainRows = servers.map(
    (s) =>
      `| ${s.label} | ${range(
        all(s, (m) => m.runsPerSecond),
        perSecond,
      )} | ${range(
        all(s, (m) => m.latencyP50),
        ms,
      )} | ${range(
        all(s, (m) => m.firstEventP50),
        ms,
      )} | ${range(
        all(s, (m) => m.peak.pssBytes),
        megabytes,
      )} (${range(
        all(s, (m) => m.peakProcesses),
        String,
      )} processes) | ${range(
        all(s, (m) => m.idle.pssBytes),
        megabytes,
      )} | ${range(
        all(s, (m) => m.startMs),
        ms,
      )} | ${range(
        all(s, (m) => m.firstStartMs),
        ms,
      )} | ${checked(s)} |`,
  )
  const hasPeers = servers.some((s) => !s.isRunyard)
  const ratioRows = hasPeers
    ? servers
        .filter((s) => s.isRunyard)
        .map((s) => {
          const thr = ratios(
            rounds,
            s,
            (m) => m.runsPerSecond,
            (xs) => Math.max(...xs),
          )
          const lat = ratios(
            rounds,
            s,
            (m) => m.latencyP50,
            (xs) => Math.min(...xs),
          )
          const pss = ratios(
            rounds,
            s,
            (m) => m.peak.pssBytes,
            (xs) => Math.min(...xs),
          )
          return `| ${s.label} | ${range(thr, times)} ${ok(median(thr) >= 2)} | ${range(lat, times)} ${ok(median(lat) <= 0.5)} | ${range(pss, times)} ${ok(median(pss) <= 0.5)} |`
        })
    : []

  const runyard = servers.filter((s) => s.isRunyard)
  const startRows = runyard.map((s) => {
    const idle = rounds.get(s)!.map((m) => m.idle)
    const medianIdle = [...idle].sort((a, b) => a.pssBytes - b.pssBytes)[Math.floor(idle.length / 2)]!
    return `| ${s.label} | ${range(
      all(s, (m) => m.startMs),
      ms,
    )} ${ok(median(all(s, (m) => m.startMs)) <= 1000)} | ${range(
      all(s, (m) => m.firstStartMs),
      ms,
    )} | ${range(
      all(s, (m) => m.idle.pssBytes),
      megabytes,
    )} ${ok(median(all(s, (m) => m.idle.pssBytes)) <= 100 * 2 ** 20)} | ${describeTree(medianIdle)} |`
  })
  const coldLine = cold
    ? `Cold first start (a fresh \`git clone\` of HEAD, then \`npm start\`: pnpm, \`pnpm install\` from this machine's pnpm store, Prisma client, console build, embedded PostgreSQL's first start): **${ms(cold.ms)}** to healthy; idle then ${describeTree(cold.idle)}.`
    : 'Cold first start: not measured in this invocation (`--skip-cold`).'

  return `## Peers: the same agent task on Runyard, opencode and LangGraph

${new Date().toISOString().slice(0, 10)} · ${machine()} · \`${settings.command}\`

One run = a new session (thread) and one user message. The scripted OpenAI-compatible model (\`packages/testkit\`'s fake OpenAI server, in the benchmark's process) asks for \`bash\` running \`${COMMAND}\`; the server runs it; the model answers quoting the output line (\`Done. The tool said: runyard-proof\`, streamed ${WORD_DELAY_MS} ms per chunk, one chunk per word). 2 model calls per run. Every run is checked through the server's own API: the \`bash\` call completed with \`runyard-proof\` in its output and the answer quotes it; the model calls are counted.

Per server and round: a first start on a fresh state folder, stopped; a second start on the same folder (measured: start → healthy, idle memory once settled); ${settings.warmup} warm-up run; then ${settings.runs} runs, ${settings.concurrency} at a time. ${settings.rounds} rounds, the servers interleaved (the order rotates each round). Latency: from the run's first request until the client knows it has finished (Runyard: the terminal \`run_status\` on its event stream; opencode: \`session.status\` idle on \`/event\`; LangGraph: the end of \`runs/stream\`). First event: the first streamed event of that run. Memory: PSS of the server's whole process tree (shared pages split, not double-counted), sampled every ${settings.sampleMs} ms from the measured start to the last run. Each cell: the median of the rounds (min–max).

| server | runs/s | latency p50 | first event p50 | peak PSS (tree) | idle PSS | start → healthy | first start (fresh state) | runs checked |
|---|---|---|---|---|---|---|---|---|
${mainRows.join('\n')}
${
  ratioRows.length
    ? `
Runyard against the best peer of each round (the highest runs/s, the lowest latency, the lightest peak PSS), median of the rounds (min–max). Goals: throughput ≥ 2×, latency ≤ ½, peak PSS ≤ ½.

| Runyard | runs/s ÷ best peer | latency p50 ÷ best peer | peak PSS ÷ lightest peer |
|---|---|---|---|
${ratioRows.join('\n')}
`
    : ''
}
### Start-up and idle memory (Runyard)

Goals: warm start → healthy ≤ 1 s, idle ≤ 100 MB PSS (the whole tree: server and embedded PostgreSQL).

| Runyard | warm start → healthy | first start (new data folder) | idle PSS (tree) | idle tree, median round |
|---|---|---|---|---|
${startRows.join('\n')}

${coldLine}
`
}
