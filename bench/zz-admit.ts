// temporary probe (not committed)
import fs from 'node:fs/promises'
import fss from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawnRunyard } from '@runyard/testkit/runyard-process'
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'runyard-probe-'))
import { spawn } from 'node:child_process'
import { SCRIPTED_EXECUTOR_MODULE, repoRoot } from '@runyard/testkit/runyard-process'
const proc = spawn(process.execPath, [...(process.env.SRV_FLAGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', path.join(repoRoot, 'apps/server/src/cli.ts'), 'start'], { cwd: repoRoot, env: { ...process.env, RUNYARD_EXECUTOR_MODULE: SCRIPTED_EXECUTOR_MODULE, RUNYARD_PORT: '7833', RUNYARD_LOG_LEVEL: 'error', RUNYARD_WORKER_CONCURRENCY: '8', RUNYARD_WORKERS: process.env.WORKERS ?? 'true', RUNYARD_DATA_DIR: dataDir }, stdio: ['ignore', 'inherit', 'inherit'] })
const exited = new Promise((r) => proc.once('exit', r))
for (;;) { try { if ((await fetch('http://127.0.0.1:7833/api/v1/health')).ok) break } catch {} await new Promise((r) => setTimeout(r, 300)) }
const api = { url: 'http://127.0.0.1:7833', proc, stop: async () => { proc.kill('SIGTERM'); await exited } }
import http from 'node:http'
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })
const body = '{"prompt":"hi"}'
const postHttp = () => new Promise<number>((resolve, reject) => { const t = performance.now(); const u = new URL(api.url); const req = http.request({ host: u.hostname, port: u.port, path: '/api/chat/runs', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => { res.resume(); res.on('end', () => res.statusCode === 202 ? resolve(performance.now() - t) : reject(new Error(String(res.statusCode)))) }); req.on('error', reject); req.end(body) })
const postFetch = async () => { const t = performance.now(); const r = await fetch(`${api.url}/api/chat/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"hi"}' }); await r.arrayBuffer(); if (r.status !== 202) throw new Error(String(r.status)); return performance.now() - t }
const post = process.env.CLIENT === 'http' ? postHttp : postFetch
for (let i = 0; i < 50; i++) await post()
function cpu() {
  const out: Record<string, number> = {}
  for (const pid of fss.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = fss.readFileSync(`/proc/${pid}/stat`, 'utf8')
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const t = (Number(f[11]) + Number(f[12])) * 10
      const key = Number(pid) === api.proc.pid ? 'api' : Number(pid) === process.pid ? 'client' : comm.startsWith('postgres') ? 'postgres' : null
      if (key) out[key] = (out[key] ?? 0) + t
    } catch {}
  }
  return out
}
const N = Number(process.env.N ?? 6000)
const c0 = cpu()
if (process.env.COUNT) proc.kill('SIGUSR2')
const lat: number[] = []; const ps: Promise<void>[] = []; const t0 = performance.now()
for (let i = 0; i < N; i++) { const w = t0 + i * 5 - performance.now(); if (w > 1) await new Promise((r) => setTimeout(r, w)); ps.push(post().then((ms) => void lat.push(ms))) }
await Promise.all(ps); lat.sort((a, b) => a - b)
const c1 = cpu()
if (process.env.COUNT) { await new Promise((r) => setTimeout(r, 2000)); proc.kill('SIGUSR2'); await new Promise((r) => setTimeout(r, 200)) }
console.log(process.env.CLIENT ?? 'fetch', 'p50', lat[Math.floor(N / 2)]!.toFixed(2), 'p99', lat[Math.floor(N * 0.99)]!.toFixed(2), 'max', lat[N - 1]!.toFixed(1), 'cpu ms/run', JSON.stringify(Object.fromEntries(Object.keys(c1).map((k) => [k, ((c1[k]! - (c0[k] ?? 0)) / N).toFixed(2)]))))
await api.stop(); await fs.rm(dataDir, { recursive: true, force: true })
process.exit(0)
