// A Sandbox backed by one E2B sandbox (through the official `e2b` SDK).
import { CommandExitError, FileType, NotFoundError, type EntryInfo, type Sandbox as E2BClient } from 'e2b'
import { SandboxAbortError, SandboxError, SandboxFileNotFoundError } from './errors.ts'
import { InFlightCommands } from './in-flight.ts'
import { OutputCapture } from './output.ts'
import { resolveWorkspacePath, toWorkspaceRelative, type PathInspector } from './paths.ts'
import {
  DEFAULT_EXEC_TIMEOUT_MS,
  DEFAULT_MAX_OUTPUT_BYTES,
  TIMEOUT_EXIT_CODE,
  type ExecOptions,
  type ExecResult,
  type ListOptions,
  type Sandbox,
  type SandboxEntry,
  type SandboxEntryType,
  type SandboxFileInfo,
} from './types.ts'

/** How deep a recursive list goes (envd's ListDir takes a depth, not "unlimited"). */
const RECURSIVE_LIST_DEPTH = 64
/** After a kill, how long to wait for the command's stream to end before giving up on it. */
const KILL_GRACE_MS = 5_000

// Stops a process tree from inside the sandbox: freeze everything first (so nothing forks
// while we walk), then SIGKILL children before parents. envd's own kill only hits the pid.
function killTreeScript(pid: number): string {
  return (
    `s(){ kill -STOP "$1" 2>/dev/null; for c in $(pgrep -P "$1" 2>/dev/null); do s "$c"; done; }; ` +
    `k(){ for c in $(pgrep -P "$1" 2>/dev/null); do k "$c"; done; kill -KILL "$1" 2>/dev/null; }; ` +
    `s ${pid}; k ${pid}; true`
  )
}

function entryType(e: EntryInfo): SandboxEntryType {
  if (e.type === FileType.SYMLINK || e.symlinkTarget) return 'symlink'
  return e.type === FileType.DIR ? 'dir' : 'file'
}

function wrap(e: unknown, what: string): Error {
  if (e instanceof SandboxError) return e
  return new SandboxError(`E2B ${what} failed: ${(e as Error)?.message ?? String(e)}`, { cause: e })
}

export class E2BWorkspaceSandbox implements Sandbox {
  readonly kind = 'e2b' as const
  private readonly commands = new InFlightCommands()
  private readonly inspector: PathInspector

  constructor(
    private readonly client: E2BClient,
    /** Absolute path inside the E2B sandbox. */
    readonly workspaceDir: string,
    private readonly baseEnv: Record<string, string>,
  ) {
    this.inspector = {
      lstat: async (p) => {
        try {
          const info = await client.files.getInfo(p)
          return {
            type: entryType(info) === 'symlink' ? 'symlink' : info.type === FileType.DIR ? 'dir' : 'file',
            ...(info.symlinkTarget ? { symlinkTarget: info.symlinkTarget } : {}),
          }
        } catch (e) {
          if (e instanceof NotFoundError) return null
          throw wrap(e, `stat of ${p}`)
        }
      },
    }
  }

  get sandboxId(): string {
    return this.client.sandboxId
  }

  resolvePath(userPath: string): Promise<string> {
    return resolveWorkspacePath(this.workspaceDir, userPath, this.inspector)
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.assertOpen()
    if (opts.signal?.aborted) throw new SandboxAbortError('', '')
    return this.commands.run(opts.signal, (signal) => this.run(command, opts, signal))
  }

  private async run(command: string, opts: ExecOptions, signal: AbortSignal): Promise<ExecResult> {
    const cwd = await this.resolvePath(opts.cwd ?? '.')
    const maxBytes = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES
    const timeoutMs = opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS
    const stdout = new OutputCapture(maxBytes, opts.onStdout)
    const stderr = new OutputCapture(maxBytes, opts.onStderr)

    // Background mode gives us the pid right away, so timeout/abort can kill it. The SDK's own
    // command timeout is disabled (0): it would only drop the stream, not stop the process.
    let handle
    try {
      handle = await this.client.commands.run(command, {
        background: true,
        cwd,
        envs: { ...this.baseEnv, ...opts.env },
        timeoutMs: 0,
        onStdout: (d) => stdout.push(d),
        onStderr: (d) => stderr.push(d),
      })
    } catch (e) {
      throw wrap(e, 'command start')
    }

    const pid = handle.pid
    let timedOut = false
    let killing: Promise<void> | undefined
    let killed = (): void => {}
    // after a kill, wait for the command's stream to end, but not forever
    const stuck = new Promise<'stuck'>((resolve) => {
      killed = () => void setTimeout(() => resolve('stuck'), KILL_GRACE_MS).unref()
    })
    const kill = (): Promise<void> => (killing ??= this.killTree(pid).finally(killed))
    const onAbort = (): void => void kill()
    signal.addEventListener('abort', onAbort, { once: true })
    if (signal.aborted) onAbort()
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true
            void kill()
          }, timeoutMs)
        : undefined

    let exitCode: number
    try {
      const waited = handle.wait().then(
        (r) => r.exitCode,
        (e: unknown) => (e instanceof CommandExitError ? e.exitCode : Promise.reject(e)),
      )
      const outcome = await Promise.race([waited, stuck]).catch((e: unknown) => {
        if (killing) return 'stuck' as const
        throw wrap(e, 'command')
      })
      if (outcome === 'stuck') {
        waited.catch(() => undefined)
        await handle.disconnect()
        exitCode = -1
      } else exitCode = outcome
    } finally {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      await killing
    }
    stdout.finish()
    stderr.finish()
    if (signal.aborted) throw new SandboxAbortError(stdout.text(), stderr.text())
    return {
      exitCode: timedOut ? TIMEOUT_EXIT_CODE : exitCode,
      stdout: stdout.text(),
      stderr: stderr.text(),
      timedOut,
      truncated: stdout.truncated || stderr.truncated,
    }
  }

  private async killTree(pid: number): Promise<void> {
    // bounded, so an unreachable sandbox cannot hold up an abort for the SDK's 60 s default
    const limits = { requestTimeoutMs: KILL_GRACE_MS, timeoutMs: KILL_GRACE_MS }
    await this.client.commands.run(killTreeScript(pid), limits).catch(() => undefined)
    await this.client.commands.kill(pid, { requestTimeoutMs: KILL_GRACE_MS }).catch(() => false)
  }

  async readFile(userPath: string): Promise<string> {
    this.assertOpen()
    const abs = await this.resolvePath(userPath)
    try {
      return await this.client.files.read(abs)
    } catch (e) {
      if (e instanceof NotFoundError) throw new SandboxFileNotFoundError(userPath, { cause: e })
      throw wrap(e, `read of ${userPath}`)
    }
  }

  async writeFile(userPath: string, content: string): Promise<void> {
    this.assertOpen()
    const abs = await this.resolvePath(userPath)
    try {
      await this.client.files.write(abs, content)
    } catch (e) {
      throw wrap(e, `write of ${userPath}`)
    }
  }

  async list(userPath: string, opts: ListOptions = {}): Promise<SandboxEntry[]> {
    this.assertOpen()
    const abs = await this.resolvePath(userPath)
    let entries: EntryInfo[]
    try {
      entries = await this.client.files.list(abs, { depth: opts.recursive ? RECURSIVE_LIST_DEPTH : 1 })
    } catch (e) {
      if (e instanceof NotFoundError) throw new SandboxFileNotFoundError(userPath, { cause: e })
      throw wrap(e, `list of ${userPath}`)
    }
    return entries
      .filter((e) => e.path.startsWith(`${this.workspaceDir}/`))
      .map((e) => ({ path: toWorkspaceRelative(this.workspaceDir, e.path), type: entryType(e) }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  }

  async stat(userPath: string): Promise<SandboxFileInfo | null> {
    this.assertOpen()
    const abs = await this.resolvePath(userPath)
    try {
      const info = await this.client.files.getInfo(abs)
      return {
        path: toWorkspaceRelative(this.workspaceDir, abs) || '.',
        type: entryType(info),
        size: info.size,
        ...(info.modifiedTime ? { mtimeMs: info.modifiedTime.getTime() } : {}),
      }
    } catch (e) {
      if (e instanceof NotFoundError) return null
      throw wrap(e, `stat of ${userPath}`)
    }
  }

  async exists(userPath: string): Promise<boolean> {
    return (await this.stat(userPath)) !== null
  }

  /** Stops commands started through this object; the E2B sandbox itself keeps running. */
  close(): Promise<void> {
    return this.commands.close()
  }

  private assertOpen(): void {
    this.commands.assertOpen()
  }
}
