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
for (let k = 0; k < 4; k++) {
  const started = (await (await fetch(`${url}/api/chat/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: scriptPrompt([{ burst: EVENTS, size: 16 }]) }) })).json()) as { runId: string }
  const live = await count(`${url}/api/chat/runs/${started.runId}/events`)
  const replay = await count(`${url}/api/chat/runs/${started.runId}/events`)
  const frames = await (await fetch(`${url}/api/chat/runs/${started.runId}/events`)).text()
  const srv = http.createServer((_q, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); const parts = frames.split('\n\n').filter(Boolean); let i = 0; const pump = () => { while (i < parts.length) if (!res.write(parts[i++] + '\n\n')) return void res.once('drain', pump); res.end() }; pump() })
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()))
  const bareIn = await count(`http://127.0.0.1:${(srv.address() as any).port}/`); srv.close()
  await fs.writeFile('/tmp/probes3/frames.txt', frames)
  const child = spawn(process.execPath, ['/tmp/probes3/bare-child.mjs', '/tmp/probes3/frames.txt'], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port: string = await new Promise((r) => child.stdout!.once('data', (d) => r(String(d).trim())))
  const bareChild = await count(`http://127.0.0.1:${port}/`); child.kill()
  console.log(`${process.env.READER ?? 'fetch'} live ${r(live)} replay ${r(replay)} bare-in ${r(bareIn)} bare-child ${r(bareChild)} | vs child: live ${(live / bareChild * 100).toFixed(0)}% replay ${(replay / bareChild * 100).toFixed(0)}%`)
}
proc.kill('SIGTERM'); await exited
await fs.rm(dataDir, { recursive: true, force: true })
process.exit(0)
