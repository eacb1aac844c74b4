// State of one fake sandbox: a real temp directory standing in for the sandbox's "/", and
// real host processes standing in for envd's processes.
import { spawn, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export type FakeSandboxState = 'running' | 'paused' | 'killed'

export type FakeProcessEvent =
  { type: 'stdout' | 'stderr'; data: Buffer } | { type: 'end'; exitCode: number; exited: boolean; status: string }

export interface FakeProcessConfig {
  cmd: string
  args: string[]
  envs: Record<string, string>
  /** Working directory as the sandbox sees it. */
  cwd: string
  tag?: string
  stdin: boolean
  user: string
}

// Go's os.ProcessState.String() wording, which envd forwards as `status`.
const SIGNAL_WORDS: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
  SIGHUP: 'hangup',
  SIGQUIT: 'quit',
}

/** A command started through `process.Process/Start`, running for real on the host. */
export class FakeProcess {
  /** The real host pid; also what the SDK sees as the process id. */
  readonly pid: number
  readonly startedAt = new Date()
  exitCode: number | null = null
  signal: NodeJS.Signals | null = null
  /** The end event, once the process has finished (the stream got its `end`). */
  result: Extract<FakeProcessEvent, { type: 'end' }> | undefined
  readonly done: Promise<void>
  private readonly listeners = new Set<(ev: FakeProcessEvent) => void>()
  private readonly child: ChildProcess

  constructor(
    readonly config: FakeProcessConfig,
    hostCwd: string,
    env: Record<string, string>,
  ) {
    // detached => own process group, so signals reach everything the command started
    this.child = spawn(config.cmd, config.args, {
      cwd: hostCwd,
      env,
      detached: true,
      stdio: [config.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    })
    if (this.child.pid === undefined) throw new Error(`failed to spawn ${config.cmd}`)
    this.pid = this.child.pid
    this.child.stdout?.on('data', (data: Buffer) => this.emit({ type: 'stdout', data }))
    this.child.stderr?.on('data', (data: Buffer) => this.emit({ type: 'stderr', data }))
    this.done = new Promise((resolve) => {
      let graceTimer: NodeJS.Timeout | undefined
      const finish = (): void => {
        if (this.result) return
        clearTimeout(graceTimer)
        const sig = this.signal
        this.result = sig
          ? { type: 'end', exitCode: -1, exited: false, status: `signal: ${SIGNAL_WORDS[sig] ?? sig}` }
          : { type: 'end', exitCode: this.exitCode ?? -1, exited: true, status: `exit status ${this.exitCode ?? -1}` }
        this.emit(this.result)
        this.listeners.clear()
        resolve()
      }
      this.child.on('exit', (code, sig) => {
        this.exitCode = code
        this.signal = sig
        // 'close' waits for every holder of the pipes; a background grandchild could keep
        // them open forever, so end the stream shortly after the main process exits.
        graceTimer = setTimeout(() => {
          this.child.stdout?.destroy()
          this.child.stderr?.destroy()
          finish()
        }, 200)
      })
      this.child.on('close', finish)
      this.child.on('error', () => finish())
    })
  }

  get running(): boolean {
    return this.result === undefined
  }

  /** Subscribe to future output and the end event. Returns an unsubscribe function. */
  subscribe(fn: (ev: FakeProcessEvent) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  /** Signals the whole process group (what a sandbox kill means in practice). */
  signalGroup(sig: NodeJS.Signals): boolean {
    if (!this.running) return false
    try {
      process.kill(-this.pid, sig)
      return true
    } catch {
      return false
    }
  }

  writeStdin(data: Buffer): void {
    if (!this.child.stdin) throw new Error('stdin is not open for this process')
    this.child.stdin.write(data)
  }

  closeStdin(): void {
    this.child.stdin?.end()
  }

  private emit(ev: FakeProcessEvent): void {
    for (const fn of this.listeners) fn(ev)
  }
}

export interface FakeSandboxInit {
  templateID: string
  /** Parent directory; the sandbox's root is `<tempRoot>/<id>`. */
  tempRoot: string
  envVars: Record<string, string>
  metadata: Record<string, string>
  timeoutMs: number
  envdVersion: string
}

export class FakeSandbox {
  readonly id = `fake${crypto.randomBytes(8).toString('hex')}`
  readonly envdAccessToken = crypto.randomBytes(16).toString('hex')
  readonly templateID: string
  /** Host directory that stands in for the sandbox's `/`. */
  readonly rootDir: string
  readonly envVars: Record<string, string>
  readonly metadata: Record<string, string>
  readonly envdVersion: string
  readonly startedAt = new Date()
  endAt: Date
  state: FakeSandboxState = 'running'
  /** Every process started in this sandbox, finished ones included, by pid. */
  readonly processes = new Map<number, FakeProcess>()

  constructor(init: FakeSandboxInit) {
    this.templateID = init.templateID
    this.rootDir = path.join(init.tempRoot, this.id)
    this.envVars = init.envVars
    this.metadata = init.metadata
    this.envdVersion = init.envdVersion
    this.endAt = new Date(Date.now() + init.timeoutMs)
    for (const dir of ['home/user', 'root', 'tmp']) fs.mkdirSync(path.join(this.rootDir, dir), { recursive: true })
  }

  homeDir(user: string): string {
    return user === 'root' ? '/root' : `/home/${user}`
  }

  /** Maps a sandbox path (absolute, or relative to the user's home) into the host temp dir. */
  hostPath(sandboxPath: string, user = 'user'): string {
    const abs = path.posix.resolve(this.homeDir(user), sandboxPath)
    return path.join(this.rootDir, abs)
  }

  /** Maps a host path back into the sandbox's view (host paths outside the root stay as they are). */
  sandboxPath(hostPath: string): string {
    if (hostPath === this.rootDir) return '/'
    if (hostPath.startsWith(this.rootDir + path.sep)) return hostPath.slice(this.rootDir.length)
    return hostPath
  }

  runningProcesses(): FakeProcess[] {
    return [...this.processes.values()].filter((p) => p.running)
  }

  startProcess(config: FakeProcessConfig): FakeProcess {
    const hostCwd = this.hostPath(config.cwd, config.user)
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: this.hostPath(this.homeDir(config.user)),
      USER: config.user,
      LANG: 'C.UTF-8',
      ...this.envVars,
      ...config.envs,
    }
    const proc = new FakeProcess(config, hostCwd, env)
    this.processes.set(proc.pid, proc)
    return proc
  }

  pause(): void {
    this.state = 'paused'
    for (const p of this.runningProcesses()) p.signalGroup('SIGSTOP')
  }

  resume(): void {
    this.state = 'running'
    for (const p of this.runningProcesses()) p.signalGroup('SIGCONT')
  }

  async kill(): Promise<void> {
    this.state = 'killed'
    const running = this.runningProcesses()
    for (const p of running) {
      p.signalGroup('SIGKILL')
      p.signalGroup('SIGCONT')
    }
    await Promise.all(running.map((p) => p.done))
  }

  info(): Record<string, unknown> {
    return {
      sandboxID: this.id,
      templateID: this.templateID,
      clientID: 'fake-client',
      startedAt: this.startedAt.toISOString(),
      endAt: this.endAt.toISOString(),
      state: this.state === 'paused' ? 'paused' : 'running',
      cpuCount: 2,
      memoryMB: 512,
      diskSizeMB: 1024,
      envdVersion: this.envdVersion,
      metadata: this.metadata,
    }
  }
}
