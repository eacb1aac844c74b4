// temporary probe (not committed)
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import http from 'node:http'
import { spawn } from 'node:child_process'
import { EventSourceParserStream } from 'eventsource-parser/stream'
import { createParser } from 'eventsource-parser'
import { scriptPrompt } from '@runyard/testkit/scripted-executor'
import { SCRIPTED_EXECUTOR_MODULE, repoRoot } from '@runyard/testkit/runyard-process'
const EVENTS = 50000
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'runyard-probe-'))
const proc = spawn(process.execPath, [...(process.env.SRV_FLAGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', path.join(repoRoot, 'apps/server/src/cli.ts'), 'start'], { cwd: repoRoot, env: { ...process.env, RUNYARD_EXECUTOR_MODULE: SCRIPTED_EXECUTOR_MODULE, RUNYARD_PORT: '7834', RUNYARD_LOG_LEVEL: 'error', RUNYARD_WORKERS: 'true', RUNYARD_DATA_DIR: dataDir }, stdio: ['ignore', 'inherit', 'inherit'] })
const exited = new Promise((r) => proc.once('exit', r))
for (;;) { try { if ((await fetch('http://127.0.0.1:7834/api/v1/health')).ok) break } catch {} await new Promise((r) => setTimeout(r, 300)) }
const url = 'http://127.0.0.1:7834'
async function countFetch(u: string) {
  const t = performance.now(); let n = 0
  const reader = (await fetch(u)).body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader()
  for (;;) { const { done } = await reader.read(); if (done) break; n++ }
  return n / ((performance.now() - t) / 1000)
}
function countHttp(u: string): Promise<number> {
  const t = performance.now(); let n = 0
  const parser = createParser({ onEvent: () => void n++ })
  return new Promise((resolve, reject) => http.get(u, (res) => { res.setEncoding('utf8'); res.on('data', (d: string) => parser.feed(d)); res.on('end', () => resolve(n / ((performance.now() - t) / 1000))); res.on('error', reject) }).on('error', reject))
}
const count = process.env.READER === 'http' ? countHttp : countFetch
const r = (x: number) => Math.round(x / 1000) + 'k'
const started = (await (await fetch(`${url}/api/chat/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: scriptPrompt([{ burst: EVENTS, size: 16 }]) }) })).json()) as { runId: string }
await count(`${url}/api/chat/runs/${started.runId}/events`)
import fss from 'node:fs'
function cpu() {
  const out: Record<string, number> = {}
  for (const pid of fss.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = fss.readFileSync(`/proc/${pid}/stat`, 'utf8')
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const t = (Number(f[11]) + Number(f[12])) * 10
      const key = Number(pid) === proc.pid ? 'server' : Number(pid) === process.pid ? 'client' : comm.startsWith('postgres') ? 'postgres' : null
      if (key) out[key] = (out[key] ?? 0) + t
    } catch {}
  }
  return out
}
const c0 = cpu()
const reps: number[] = []
for (let k = 0; k < 12; k++) reps.push(await count(`${url}/api/chat/runs/${started.runId}/events`))
const c1 = cpu(); console.log('cpu µs/event', JSON.stringify(Object.fromEntries(Object.keys(c1).map((k) => [k, ((c1[k]! - (c0[k] ?? 0)) * 1000 / (12 * EVENTS)).toFixed(2)]))))
reps.sort((a, b) => a - b)
console.log('replay median', r(reps[6]!), 'all', reps.map(r).join(' '))
proc.kill('SIGTERM'); await exited
await fs.rm(dataDir, { recursive: true, force: true })
process.exit(0)
