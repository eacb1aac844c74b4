// `pnpm bench:peers`: the same agent task on Runyard (`npm start` with bubblewrap, and the server
// CLI alone with the host sandbox), opencode and the LangGraph JS API server, measured side by side
// in one invocation, and the result written to docs/benchmarks.md (section "peers").
//
//   pnpm bench:peers [--runs 20] [--concurrency 4] [--warmup 1] [--rounds 3] [--sample-ms 100] [--idle-s 12]
//                    [--only runyard,runyard-cli,opencode,langgraph] [--skip-cold] [--dry-run] [--keep-state]
//
// The peers are installed at pinned versions into ~/.cache/runyard-bench-peers (install.ts) and
// run offline: everything talks to 127.0.0.1 only (the model is the benchmark's scripted one).
import { parseArgs } from 'node:util'
import { describeTree } from '../lib/pss.ts'
import { writeSection } from '../lib/report.ts'
import { coldStart, prepareRunyard } from './cold.ts'
import { installPeers } from './install.ts'
import { measure, type Measurement } from './measure.ts'
import { peersSection, type ColdStart, type Rounds } from './report.ts'
import type { ServerKind } from './server.ts'
import { langgraphServer } from './servers/langgraph.ts'
import { opencodeServer } from './servers/opencode.ts'
import { runyardCliHost, runyardNpmStart } from './servers/runyard.ts'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '3' },
    'sample-ms': { type: 'string', default: '100' },
    'idle-s': { type: 'string', default: '12' },
    only: { type: 'string' },
    'skip-cold': { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    'keep-state': { type: 'boolean', default: false },
  },
})
const count = (name: keyof typeof values, min: number) => {
  const n = Number(values[name])
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} takes a whole number ≥ ${min}`)
  return n
}
const options = {
  runs: count('runs', 1),
  concurrency: count('concurrency', 1),
  warmup: count('warmup', 0),
  sampleMs: count('sample-ms', 10),
  idleS: count('idle-s', 0),
  keepState: values['keep-state'],
}
const ROUNDS = count('rounds', 1)
const log = (line: string) => console.log(`[bench:peers] ${line}`)

const install = await installPeers(log)
const every: ServerKind[] = [runyardNpmStart(), runyardCliHost, opencodeServer(install), langgraphServer(install)]
const only = values.only?.split(',').map((s) => s.trim())
const unknown = only?.filter((id) => !every.some((s) => s.id === id))
if (unknown?.length)
  throw new Error(`--only: unknown server(s) ${unknown.join(', ')}; known: ${every.map((s) => s.id).join(', ')}`)
const servers = only ? every.filter((s) => only.includes(s.id)) : every

if (servers.some((s) => s.id === 'runyard' || s.id === 'runyard-cli')) {
  log('npm start once, so that no round counts what its first start builds')
  await prepareRunyard(log)
}

const rounds: Rounds = new Map(servers.map((s) => [s, [] as Measurement[]]))
for (let round = 0; round < ROUNDS; round++) {
  // interleaved, each round starting one server later, so no server always follows the same one
  const order = servers.map((_, i) => servers[(i + round) % servers.length]!)
  for (const server of order) {
    log(`round ${round + 1}/${ROUNDS}: ${server.label}`)
    const m = await measure(server, options, log)
    rounds.get(server)!.push(m)
    log(
      `  ${m.ok}/${options.runs} ok, ${m.runsPerSecond.toFixed(2)} runs/s, latency p50 ${Math.round(m.latencyP50)} ms, first event p50 ${Math.round(m.firstEventP50)} ms, ` +
        `start ${Math.round(m.startMs)} ms (first ${Math.round(m.firstStartMs)} ms), ${m.modelCalls} model calls; peak ${describeTree(m.peak)}; idle after ${options.idleS} s ${describeTree(m.idle)}`,
    )
  }
}

let cold: ColdStart | undefined
if (!values['skip-cold'] && servers.some((s) => s.id === 'runyard')) {
  log('cold start: fresh clone, then npm start')
  cold = await coldStart(log, options.idleS)
  log(`cold start: healthy after ${Math.round(cold.ms)} ms; idle ${describeTree(cold.idle)}`)
}

const args = process.argv.slice(2)
const section = peersSection(
  rounds,
  { ...options, rounds: ROUNDS, command: `pnpm bench:peers${args.length ? ` ${args.join(' ')}` : ''}` },
  cold,
)
if (values['dry-run']) console.log(`\n${section}\n--dry-run: docs/benchmarks.md not updated`)
else writeSection('peers', section)
const failures = [...rounds.values()].flat().reduce((n, m) => n + m.errors.length, 0)
if (failures) log(`${failures} run(s) failed their check (see above)`)
process.exit(failures ? 1 : 0)
