// Starting a server under test, waiting until it answers, and stopping it with everything it
// started. Only processes this benchmark started are signalled, each by its pid.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import { processTree } from '../lib/pss.ts'

export interface Command {
  cmd: string
  args: string[]
  cwd: string
  env: Record<string, string>
}

export interface Started {
  child: ChildProcess
  pid: number
  logFile: string
  /** Last lines of its output, for error messages. */
  tail(): string
  /** SIGTERM to the process, then to what is left of its tree, then SIGKILL; resolves once all are gone. */
  stop(): Promise<void>
}

/** Starts `command` with its output appended to `logFile`. */
export function start(command: Command, logFile: string): Started {
  const fd = fs.openSync(logFile, 'a')
  const child = spawn(command.cmd, command.args, { cwd: command.cwd, env: command.env, stdio: ['ignore', fd, fd] })
  fs.closeSync(fd)
  if (child.pid === undefined) throw new Error(`could not start ${command.cmd}`)
  const pid = child.pid
  return {
    child,
    pid,
    logFile,
    tail: () => tailOf(logFile),
    stop: () => stopTree(pid),
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function alive(pid: number): boolean {
  try {
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

function signal(pids: number[], sig: NodeJS.Signals) {
  for (const pid of pids)
    try {
      process.kill(pid, sig)
    } catch {}
}

async function waitGone(pids: number[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (!pids.some(alive)) return true
    await sleep(50)
  }
  return !pids.some(alive)
}

/**
 * The root first (a server stops its own children in order, e.g. the embedded PostgreSQL), then
 * whatever of the tree seen before is still there.
 */
export async function stopTree(root: number): Promise<void> {
  const pids = processTree(root)
  signal([root], 'SIGTERM')
  if (await waitGone(pids, 15_000)) return
  signal(pids.filter(alive), 'SIGTERM')
  if (await waitGone(pids, 5_000)) return
  signal(pids.filter(alive), 'SIGKILL')
  await waitGone(pids, 5_000)
}

/**
 * Polls `url` until it answers 2xx; resolves with the time since `since` (performance.now()).
 * Each attempt has its own 1 s timeout: opencode accepts connections before it can answer them.
 */
export async function waitHealthy(url: string, since: number, started: Started, timeoutMs = 180_000): Promise<number> {
  const deadline = performance.now() + timeoutMs
  while (performance.now() < deadline) {
    if (started.child.exitCode !== null || started.child.signalCode !== null)
      throw new Error(`exited before answering ${url}:\n${started.tail()}`)
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) })
      await res.body?.cancel()
      if (res.ok) return performance.now() - since
    } catch {}
    await sleep(20)
  }
  throw new Error(`no answer from ${url} after ${timeoutMs / 1000} s:\n${started.tail()}`)
}

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

function tailOf(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no output)'
  }
}
