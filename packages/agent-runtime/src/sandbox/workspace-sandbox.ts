// Sandbox implementation shared by the providers whose workspace is a host directory
// (local = commands under bubblewrap, host = commands directly on the host).
import fs from 'node:fs/promises'
import { SandboxError } from './errors.ts'
import { HostWorkspaceFiles } from './host-files.ts'
import { runChild, type ChildSpec } from './spawn-exec.ts'
import type { ExecOptions, ExecResult, ListOptions, Sandbox, SandboxEntry, SandboxFileInfo, SandboxKind } from './types.ts'

export interface CommandLauncher {
  /** How to start `command` with `cwd` (a checked host path) and the full env. */
  spec(command: string, cwd: string, env: Record<string, string>): ChildSpec
}

export class HostWorkspaceSandbox implements Sandbox {
  private readonly files: HostWorkspaceFiles
  private readonly running = new Map<AbortController, Promise<unknown>>()
  private closed = false

  constructor(
    readonly kind: SandboxKind,
    /** Real path of the workspace (same path inside bwrap). */
    readonly workspaceDir: string,
    private readonly baseEnv: Record<string, string>,
    private readonly launcher: CommandLauncher,
  ) {
    this.files = new HostWorkspaceFiles(workspaceDir)
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.assertOpen()
    const cwd = await this.files.resolve(opts.cwd ?? '.')
    if (!(await isDirectory(cwd))) throw new SandboxError(`Working directory "${opts.cwd ?? '.'}" does not exist`)
    const env = { ...this.baseEnv, ...opts.env }
    // close() must be able to stop in-flight commands: chain our own controller to the caller's
    const controller = new AbortController()
    const forward = (): void => controller.abort()
    if (opts.signal?.aborted) controller.abort()
    opts.signal?.addEventListener('abort', forward, { once: true })
    const run = runChild(this.launcher.spec(command, cwd, env), { ...opts, signal: controller.signal })
    this.running.set(controller, run)
    try {
      return await run
    } finally {
      this.running.delete(controller)
      opts.signal?.removeEventListener('abort', forward)
    }
  }

  readFile(path: string): Promise<string> {
    this.assertOpen()
    return this.files.readFile(path)
  }

  writeFile(path: string, content: string): Promise<void> {
    this.assertOpen()
    return this.files.writeFile(path, content)
  }

  list(path: string, opts?: ListOptions): Promise<SandboxEntry[]> {
    this.assertOpen()
    return this.files.list(path, opts)
  }

  stat(path: string): Promise<SandboxFileInfo | null> {
    this.assertOpen()
    return this.files.stat(path)
  }

  async exists(path: string): Promise<boolean> {
    return (await this.stat(path)) !== null
  }

  resolvePath(path: string): Promise<string> {
    return this.files.resolve(path)
  }

  async close(): Promise<void> {
    this.closed = true
    for (const c of this.running.keys()) c.abort()
    await Promise.allSettled(this.running.values())
  }

  private assertOpen(): void {
    if (this.closed) throw new SandboxError('This sandbox has been closed')
  }
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory()
  } catch {
    return false
  }
}
