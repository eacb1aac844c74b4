#!/usr/bin/env node
// Runs every bench/*.bench.ts (or, when there are none, every bench/*.ts) one after the other
// with `node --import tsx`, passing this script's arguments through to each. Each benchmark
// writes its own section of docs/benchmarks.md. `--only <name>` naming a bench/<name>.bench.ts
// runs that one alone (other `--only` values are the benchmarks' own, e.g. engine's `--only sse`).
import fs from 'node:fs'
import path from 'node:path'
import { ROOT, log, run, seconds } from './lib/proc.mjs'

let args = process.argv.slice(2)
const dir = path.join(ROOT, 'bench')
const files = fs.existsSync(dir)
  ? fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .sort()
  : []
let benches = files.some((f) => f.endsWith('.bench.ts')) ? files.filter((f) => f.endsWith('.bench.ts')) : files
const only = args.indexOf('--only')
if (only >= 0 && benches.includes(`${args[only + 1]}.bench.ts`)) {
  benches = [`${args[only + 1]}.bench.ts`]
  args = args.filter((_, i) => i !== only && i !== only + 1)
}

if (!benches.length) {
  log('nothing to run: bench/ has no *.bench.ts (or *.ts) files')
  process.exit(0)
}

let interrupted = false
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => (interrupted = true))

const ran = []
for (const file of benches) {
  if (interrupted) break
  log(`bench: running bench/${file}${args.length ? ` ${args.join(' ')}` : ''}`)
  const t0 = Date.now()
  const r = await run(process.execPath, ['--import', 'tsx', path.join('bench', file), ...args])
  ran.push({ file, code: r.code, time: seconds(t0) })
  log(`bench: bench/${file} ${r.code === 0 ? 'done' : `FAILED (exit ${r.code})`} in ${ran.at(-1).time}`)
}

log(`benchmarks run (${ran.length}/${benches.length}):`)
for (const b of ran) log(`  ${b.code === 0 ? '✓' : '✗'} bench/${b.file} (${b.time})`)
if (ran.length < benches.length) log(`  not run (interrupted): ${benches.slice(ran.length).join(', ')}`)
process.exitCode = ran.length === benches.length && ran.every((b) => b.code === 0) ? 0 : 1
