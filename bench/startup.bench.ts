// Start-up benchmark (not a test): how long a warm start takes until /api/v1/health answers, and
// how much memory the idle server holds, for each way of starting the server:
//  - `npm start` (npm → scripts/bootstrap.mjs, which runs the compiled server in its own process),
//    with its build current;
//  - the compiled CLI alone, `node <SERVER_NODE_FLAGS> apps/server/dist/cli.mjs start`;
//  - the TypeScript sources through tsx (how `npm start` ran before the production build, and how
//    `pnpm dev` and the tests still run).
// Warm: each variant's data directory is initialised (and migrated) by a first start that is not
// counted; every counted start finds an initialised, stopped embedded PostgreSQL, as after a
// reboot or a `docker restart`. The variants take turns (interleaved rounds), so that a noisy
// neighbour slows them alike.
// Reported per variant, median of the rounds (range): start → healthy (wall clock, from spawn to
// the first 200 of GET /api/v1/health, polled every 10 ms); the CPU time the server process and
// the embedded PostgreSQL spent to get there (less sensitive to a shared machine than the wall
// clock); idle PSS (smem's proportional set size, bench/lib/pss.ts) IDLE_S seconds after healthy
// (12 s by default: longer than node-postgres's 10 s idle timeout, so connections opened for
// start-up only are closed, as on a server that has been idle a while),
// of the server process alone, of the server + its PostgreSQL, and for `npm start` of the whole
// tree (npm included).
// Results → docs/benchmarks.md (section "startup").
//   pnpm bench --only startup   (or: node --import tsx bench/startup.bench.ts [--rounds 5] [--idle-s 12] [--variants npm,compiled,tsx])
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { repoRoot } from '@runyard/testkit/runyard-process'
import { SERVER_NODE_FLAGS } from '../apps/server/bin/node-flags.mjs'
import { postgresCpuMs, postmasterPid, processCpuMs } from './lib/cpu.ts'
import { mb, processMemory, processTree, settledTreeMemory, type TreeMemory } from './lib/pss.ts'
import { fmt, machine, writeSection } from './lib/report.ts'

const { values } = parseArgs({
  strict: false,
  options: {
    rounds: { type: 'string', default: '5' },
    'idle-s': { type: 'string', default: '12' },
    variants: { type: 'string' },
    only: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
})
if (values.only !== undefined && values.only !== 'startup') {
  console.log(`startup: skipped (--only ${String(values.only)})`)
  process.exit(0)
}
const ROUNDS = Number(values.rounds)
const IDLE_S = Number(values['idle-s'])
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error('--rounds takes a whole number ≥ 1')
if (!(IDLE_S >= 0)) throw new Error('--idle-s takes a number of seconds ≥ 0')
const HEALTH_POLL_MS = 10
const START_TIMEOUT_MS = 120_000

interface Variant {
  key: string
  label: string
  /** The command; `serverPid` finds the process that runs the server in the tree under it. */
  command: () => { cmd: string; args: string[] }
  /** Whether the whole tree (launchers included) differs from the server's own tree. */
  launcher: boolean
}

const CLI_SOURCE = path.join(repoRoot, 'apps/server/src/cli.ts')
const CLI_COMPILED = path.join(repoRoot, 'apps/server/dist/cli.mjs')
const VARIANTS: Variant[] = [
  {
    key: 'npm',
    label: '`npm start` (compiled)',
    command: () => ({ cmd: 'npm', args: ['start', '--silent'] }),
    launcher: true,
  },
  {
    key: 'compiled',
    label: 'compiled CLI alone (`node apps/server/dist/cli.mjs start`)',
    command: () => ({ cmd: process.execPath, args: [...SERVER_NODE_FLAGS, CLI_COMPILED, 'start'] }),
    launcher: false,
  },
  {
    key: 'tsx',
    label: 'sources through tsx (`node --import tsx apps/server/src/cli.ts start`)',
    command: () => ({ cmd: process.execPath, args: [...SERVER_NODE_FLAGS, '--import', 'tsx', CLI_SOURCE, 'start'] }),
    launcher: false,
  },
]
const chosen = values.variants ? String(values.variants).split(',') : VARIANTS.map((v) => v.key)
const variants = VARIANTS.filter((v) => chosen.includes(v.key))
if (!variants.length)
  throw new Error(`--variants takes a comma-separated list of ${VARIANTS.map((v) => v.key).join(', ')}`)

interface Sample {
  /** `npm start` built the server first (a source changed since): a cold start, not counted. */
  rebuilt: boolean
  healthyMs: number
  serverCpuMs: number
  postgresCpuMs: number
  server: TreeMemory
  serverTree: TreeMemory
  wholeTree: TreeMemory
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/api/v1/health', timeout: 1_000, agent: false }, (res) => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.on('error', () => resolve(false))
    req.on('timeout', () => req.destroy())
  })
}

/** This process's environment without any Runyard setting. */
const cleanEnv = () =>
  Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('RUNYARD_') && k !== 'DATABASE_URL' && !k.startsWith('npm_'),
    ),
  )

/** The node process that runs the server: the deepest `node` in the tree (npm → node bootstrap running the server). */
function serverPid(root: number): number | undefined {
  const nodes = processTree(root).filter(
    (pid) => processMemory(pid)?.name === 'node' || processMemory(pid)?.name === 'MainThread',
  )
  return nodes.at(-1)
}

function exited(proc: ChildProcess): Promise<void> {
  return proc.exitCode !== null || proc.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => proc.once('exit', () => resolve()))
}

async function startOnce(variant: Variant, dataDir: string): Promise<Sample> {
  const port = await freePort()
  const { cmd, args } = variant.command()
  let out = ''
  const t0 = performance.now()
  const proc = spawn(cmd, args, {
    cwd: repoRoot,
    env: { ...cleanEnv(), RUNYARD_DATA_DIR: dataDir, RUNYARD_PORT: String(port), RUNYARD_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()))
  try {
    for (;;) {
      if (proc.exitCode !== null)
        throw new Error(`${variant.key} exited (${proc.exitCode}) before it was healthy:\n${out}`)
      if (performance.now() - t0 > START_TIMEOUT_MS)
        throw new Error(`${variant.key} was not healthy within ${START_TIMEOUT_MS / 1000} s:\n${out}`)
      if (await healthy(port)) break
      await new Promise((r) => setTimeout(r, HEALTH_POLL_MS))
    }
    const healthyMs = performance.now() - t0
    const server = serverPid(proc.pid!)
    if (server === undefined) throw new Error(`no server process under ${proc.pid}`)
    const postmaster = postmasterPid(path.join(dataDir, 'pg'))
    const serverCpu = processCpuMs(server)
    const postgresCpu = postgresCpuMs(postmaster)
    await new Promise((r) => setTimeout(r, IDLE_S * 1_000))
    const serverTree = await settledTreeMemory(server)
    const wholeTree = variant.launcher ? await settledTreeMemory(proc.pid!) : serverTree
    const own = serverTree.detail.find((d) => d.pid === server)!
    const alone: TreeMemory = {
      pssBytes: own.pssBytes,
      rssBytes: own.rssBytes,
      pssAnonBytes: own.pssAnonBytes,
      processes: 1,
      byName: [],
      detail: [own],
    }
    return {
      rebuilt: out.includes('building the server'),
      healthyMs,
      serverCpuMs: serverCpu,
      postgresCpuMs: postgresCpu,
      server: alone,
      serverTree,
      wholeTree,
    }
  } finally {
    // npm passes SIGTERM on to the script it runs; the server drains and stops its PostgreSQL.
    proc.kill('SIGTERM')
    const killer = setTimeout(() => proc.kill('SIGKILL'), 30_000)
    await exited(proc)
    clearTimeout(killer)
    // The next start must find the cluster stopped (as after a reboot), not still shutting down.
    for (let i = 0; i < 300 && fs.existsSync(path.join(dataDir, 'pg/postmaster.pid')); i++)
      await new Promise((r) => setTimeout(r, 100))
  }
}

const range = (xs: number[], digits: number) => {
  const s = [...xs].sort((a, b) => a - b)
  const med = s[Math.floor((s.length - 1) / 2)]!
  return `${fmt(med, digits)} (${fmt(s[0]!, digits)}–${fmt(s.at(-1)!, digits)})`
}
const mbRange = (xs: number[]) => range(xs.map(mb), 1)

async function main() {
  // `npm start` builds the server when it is stale; that belongs to a cold start, not to this one.
  if (variants.some((v) => v.key !== 'tsx')) {
    const build = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/bootstrap.mjs'), 'build'], {
      cwd: repoRoot,
      stdio: 'inherit',
    })
    if (build.status !== 0) throw new Error('pnpm build failed')
  }
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'runyard-startup-'))
  const dirs = new Map(variants.map((v) => [v.key, path.join(base, v.key)]))
  const samples = new Map<string, Sample[]>(variants.map((v) => [v.key, []]))
  try {
    for (const v of variants) {
      console.log(`startup: ${v.key}: first start (initialises its data directory; not counted)`)
      await startOnce(v, dirs.get(v.key)!)
    }
    for (let round = 1; round <= ROUNDS; round++) {
      for (const v of variants) {
        let s = await startOnce(v, dirs.get(v.key)!)
        // This tree may be edited while the benchmark runs; a start that had to build is redone.
        for (let retry = 0; s.rebuilt && retry < 3; retry++) {
          console.log(
            `startup: round ${round}/${ROUNDS} ${v.key}: the server was rebuilt first (a source changed): not counted, starting again`,
          )
          s = await startOnce(v, dirs.get(v.key)!)
        }
        if (s.rebuilt) throw new Error('the sources kept changing: every start of this round built the server first')
        samples.get(v.key)!.push(s)
        console.log(
          `startup: round ${round}/${ROUNDS} ${v.key}: healthy in ${fmt(s.healthyMs, 0)} ms (server CPU ${fmt(s.serverCpuMs, 0)} ms, PostgreSQL ${fmt(s.postgresCpuMs, 0)} ms); ` +
            `idle PSS server ${mb(s.server.pssBytes)} MB, + PostgreSQL ${mb(s.serverTree.pssBytes)} MB in ${s.serverTree.processes} processes` +
            (v.launcher ? `, whole tree ${mb(s.wholeTree.pssBytes)} MB in ${s.wholeTree.processes}` : ''),
        )
      }
    }
  } finally {
    fs.rmSync(base, { recursive: true, force: true })
  }

  const rows = variants.map((v) => {
    const xs = samples.get(v.key)!
    const col = (f: (s: Sample) => number) => xs.map(f)
    const last = xs.at(-1)!
    return (
      `| ${v.label} | ${range(
        col((s) => s.healthyMs),
        0,
      )} | ${range(
        col((s) => s.serverCpuMs),
        0,
      )} | ${range(
        col((s) => s.postgresCpuMs),
        0,
      )} ` +
      `| ${mbRange(col((s) => s.server.pssBytes))} | ${mbRange(col((s) => s.serverTree.pssBytes))} (${last.serverTree.processes} processes) ` +
      `| ${v.launcher ? `${mbRange(col((s) => s.wholeTree.pssBytes))} (${last.wholeTree.processes} processes: ${last.wholeTree.byName.map((n) => `${n.name}${n.processes > 1 ? ` ×${n.processes}` : ''} ${mb(n.pssBytes)}`).join(', ')})` : '—'} |`
    )
  })
  const section = `## Start-up and idle memory

${new Date().toISOString().slice(0, 10)} · ${machine()} · \`pnpm bench --only startup --rounds ${ROUNDS} --idle-s ${IDLE_S}\`

Warm starts (data directory initialised and migrated, embedded PostgreSQL stopped, build current), ${ROUNDS} interleaved rounds per variant after one start each that is not counted; each cell is the median of the rounds with their range in parentheses. *Start → healthy*: from spawning the command to the first 200 of \`GET /api/v1/health\` (polled every ${HEALTH_POLL_MS} ms). *CPU to healthy*: CPU time (user + system) the server process and the embedded PostgreSQL (postmaster, backends, helpers) spent until then, which moves less than the wall clock on this shared machine. *Idle PSS*: proportional set size (shared pages split between the processes that map them, as smem reports) ${IDLE_S} s after healthy, the median of 5 readings 200 ms apart: of the server's Node process, of the server with its PostgreSQL, and for \`npm start\` of everything it runs (npm stays as the parent of the launcher, which runs the server in its own process).

| variant | start → healthy ms | server CPU to healthy ms | PostgreSQL CPU to healthy ms | idle PSS, server process MB | idle PSS, server + PostgreSQL MB | idle PSS, whole tree MB |
|---|---|---|---|---|---|---|
${rows.join('\n')}
`
  console.log(section)
  if (!values['no-write']) writeSection('startup', section)
}

await main()
