// temporary probe (not committed)
import fs from 'node:fs/promises'
import fss from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { EventSourceParserStream } from 'eventsource-parser/stream'
import { scriptPrompt } from '@runyard/testkit/scripted-executor'
import { spawnRunyard } from '@runyard/testkit/runyard-process'
import { execSync } from 'node:child_process'
const EVENTS = Number(process.env.EVENTS ?? 50000)
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'runyard-probe-'))
import { spawn } from 'node:child_process'
import { SCRIPTED_EXECUTOR_MODULE, repoRoot } from '@runyard/testkit/runyard-process'
const proc = spawn(process.execPath, [...(process.env.SRV_FLAGS?.split(' ').filter(Boolean) ?? []), ...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof2'] : []), '--import', 'tsx', path.join(repoRoot, 'apps/server/src/cli.ts'), 'start'], { cwd: repoRoot, env: { ...process.env, RUNYARD_EXECUTOR_MODULE: SCRIPTED_EXECUTOR_MODULE, RUNYARD_PORT: '7832', RUNYARD_LOG_LEVEL: 'error', RUNYARD_WORKER_CONCURRENCY: '8', RUNYARD_WORKERS: 'true', NODE_OPTIONS: process.env.SRV_NODE_OPTIONS ?? '', ...(process.env.DATABASE_URL ? {} : { RUNYARD_DATA_DIR: dataDir }) }, stdio: ['ignore', 'inherit', 'inherit'] })
const exited = new Promise((r) => proc.once('exit', r))
for (;;) { try { if ((await fetch('http://127.0.0.1:7832/api/v1/health')).ok) break } catch {} await new Promise((r) => setTimeout(r, 300)) }
const server = { proc, stop: async () => { proc.kill('SIGTERM'); await exited } }
const url = 'http://127.0.0.1:7832'
function cpu() {
  const out: Record<string, number> = {}
  for (const pid of fss.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = fss.readFileSync(`/proc/${pid}/stat`, 'utf8')
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const t = (Number(f[11]) + Number(f[12])) * 10
      const key = Number(pid) === server.proc.pid ? 'server' : Number(pid) === process.pid ? 'client' : comm.startsWith('postgres') ? 'postgres' : null
      if (key) out[key] = (out[key] ?? 0) + t
    } catch {}
  }
  return out
}
async function countFrames(res: Response) {
  let n = 0
  const reader = res.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader()
  for (;;) { const { done } = await reader.read(); if (done) return n; n++ }
}
for (let k = 0; k < Number(process.env.REPEAT ?? 3); k++) {
  const c0 = cpu()
  const t0 = performance.now()
  const started = (await (await fetch(`${url}/api/chat/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: scriptPrompt([{ burst: EVENTS, size: 16 }]) }) })).json()) as { runId: string }
  let n = 0
  if (process.env.NOREAD) {
    for (;;) { const r = await (await fetch(`${url}/api/chat/runs/${started.runId}`)).json() as any; if (r.status === 'completed') break; await new Promise((r) => setTimeout(r, 5)) }
    n = EVENTS
  } else n = await countFrames(await fetch(`${url}/api/chat/runs/${started.runId}/events`))
  const dt = performance.now() - t0
  const c1 = cpu()
  const d = Object.fromEntries(Object.keys(c1).map((k) => [k, c1[k]! - (c0[k] ?? 0)]))
  if (process.env.NOBARE) { console.log(`live ${Math.round(n / (dt / 1000))}`, JSON.stringify(d)); continue }
  const frames = await (await fetch(`${url}/api/chat/runs/${started.runId}/events`)).text()
  const http = await import('node:http')
  const srv = http.createServer((_q, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); const parts = frames.split('\n\n').filter(Boolean); let i = 0; const pump = () => { while (i < parts.length) if (!res.write(parts[i++] + '\n\n')) return void res.once('drain', pump); res.end() }; pump() })
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()))
  const tb = performance.now(); const nb = await countFrames(await fetch(`http://127.0.0.1:${(srv.address() as any).port}/`)); const bare = nb / ((performance.now() - tb) / 1000); srv.close()
  await fs.writeFile('/tmp/probes3/frames.txt', frames)
  const child = spawn(process.execPath, ['/tmp/probes3/bare-child.mjs', '/tmp/probes3/frames.txt'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port: string = await new Promise((r) => child.stdout!.once('data', (d) => r(String(d).trim())))
  const tc = performance.now(); const nc = await countFrames(await fetch(`http://127.0.0.1:${port}/`)); const bareChild = nc / ((performance.now() - tc) / 1000); child.kill()
  console.log(`bare in separate process ${Math.round(bareChild)}`)
  const tr = performance.now(); const nr = await countFrames(await fetch(`${url}/api/chat/runs/${started.runId}/events`)); const replay = nr / ((performance.now() - tr) / 1000)
  console.log(`bare ${Math.round(bare)} replay ${Math.round(replay)} ratio live ${(n / (dt / 1000) / bare * 100).toFixed(1)}%`)
  console.log(`live ${Math.round(n / (dt / 1000))} ev/s in ${Math.round(dt)} ms; cpu ms`, d)
}
await server.stop()
await fs.rm(dataDir, { recursive: true, force: true })
process.exit(0)
