// Sandbox implementation shared by the providers whose workspace is a host directory
// (local = commands under bubblewrap, host = commands directly on the host).
import fs from 'node:fs/promises'
import { SandboxError } from './errors.ts'
import { HostWorkspaceFiles } from './host-files.ts'
import { InFlightCommands } from './in-flight.ts'
import { runChild, type ChildSpec } from './spawn-exec.ts'
import type { ExecOptions, ExecResult, ListOptions, Sandbox, SandboxEntry, SandboxFileInfo, SandboxKind } from './types.ts'

export interface CommandLauncher {
  /** How to start `command` with `cwd` (a checked host path) and the full env. */
  spec(command: string, cwd: string, env: Record<string, string>): ChildSpec
}

export class HostWorkspaceSandbox implements Sandbox {
  private readonly files: HostWorkspaceFiles
  private readonly commands = new InFlightCommands()

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
    return this.commands.run(opts.signal, (signal) => runChild(this.launcher.spec(command, cwd, env), { ...opts, signal }))
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

  close(): Promise<void> {
    return this.commands.close()
  }

  private assertOpen(): void {
    this.commands.assertOpen()
  }
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory()
  } catch {
    return false
  }
}
