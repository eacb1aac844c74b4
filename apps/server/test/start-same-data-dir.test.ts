// Two `runyard start` on one data directory at the same instant (the embedded PostgreSQL): exactly
// one owns it and becomes healthy; the other exits non-zero at once with one line naming the
// winner's pid, and never touches the winner's PostgreSQL. Without an atomic claim taken before
// anything is spawned (data-dir-owner.ts), the loser could take the winner's just-started
// PostgreSQL for one left by a dead owner and stop it, or both initialised the cluster together.
// Run on a fresh data directory (both initialise) and on a warm one (both spawn the early
// PostgreSQL from cli.ts before loading anything else).
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { stopLeftover } from '@runyard/testkit/processes'
import { repoRoot } from '@runyard/testkit/runyard-process'
import { afterAll, expect, it } from 'vitest'
import { spawnSourceCli } from './support/source-cli.ts'

const dirs: string[] = []
const procs: ChildProcess[] = []
afterAll(async () => {
  for (const proc of procs) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
  // A PostgreSQL left running (a failed run of this test) is stopped by its own pid.
  for (const dir of dirs) {
    const pidFile = path.join(dir, 'pg/postmaster.pid')
    const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) : 0
    if (pid > 0) await stopLeftover(pid)
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

interface Start {
  proc: ChildProcess
  output(): string
  /** Resolves with the server's URL once it listens, or undefined when it exited first. */
  listening: Promise<string | undefined>
  exited: Promise<number | null>
}

function start(dataDir: string): Start {
  const cli = spawnSourceCli('start', { RUNYARD_DATA_DIR: dataDir, RUNYARD_PORT: '0', RUNYARD_LOG_LEVEL: 'warn' })
  procs.push(cli.proc)
  const listening = new Promise<string | undefined>((resolve) => {
    const onData = () => {
      const url = /listening on (\S+)/.exec(cli.output())?.[1]
      if (url) resolve(url)
    }
    cli.proc.stdout.on('data', onData)
    cli.proc.stderr.on('data', onData)
    void cli.exited.then(() => resolve(undefined))
  })
  return { ...cli, listening }
}

async function health(url: string): Promise<unknown> {
  const res = await fetch(`${url}/api/v1/health`)
  return res.json()
}

async function warmDataDir(dataDir: string): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, RUNYARD_DATA_DIR: dataDir }
  delete env.DATABASE_URL
  const migrate = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/cli.ts', 'migrate'], {
    cwd: repoRoot,
    env,
    stdio: 'ignore',
  })
  expect(await new Promise((resolve) => migrate.once('exit', resolve))).toBe(0)
}

it.each(['fresh', 'warm'] as const)(
  'two starts at once on a %s data directory: one is healthy, the other exits naming its pid',
  { timeout: 180_000 },
  async (kind) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `runyard-two-starts-${kind}-`))
    dirs.push(dataDir)
    if (kind === 'warm') await warmDataDir(dataDir)

    const starts = [start(dataDir), start(dataDir)]
    const urls = await Promise.all(starts.map((s) => s.listening))
    const winners = starts.filter((_, i) => urls[i] !== undefined)
    expect(winners.length, starts.map((s) => s.output()).join('\n----\n')).toBe(1)
    const winner = winners[0]!
    const loser = starts.find((s) => s !== winner)!
    const url = urls[starts.indexOf(winner)]!

    expect(await loser.exited).not.toBe(0)
    const said = loser
      .output()
      .split('\n')
      .filter((line) => line.trim())
    expect(said.at(-1)).toBe(
      `[runyard] data directory ${dataDir} in use by pid ${winner.proc.pid}: stop that process first, or give this one its own RUNYARD_DATA_DIR (if pid ${winner.proc.pid} is not a Runyard process, its owner died: remove ${path.join(dataDir, 'owner.pid')})`,
    )

    // The winner's PostgreSQL was left alone: it still serves, a while after the loser is gone.
    await sleep(1_000)
    expect(await health(url)).toMatchObject({ status: 'ok' })
    expect(winner.proc.exitCode).toBeNull()

    winner.proc.kill('SIGTERM')
    expect(await winner.exited).toBe(0)
    expect(fs.existsSync(path.join(dataDir, 'owner.pid'))).toBe(false)
  },
)
