// Sandbox implementation shared by the providers whose workspace is a host directory
// (local = commands under bubblewrap, host = commands directly on the host).
import { SandboxError } from './errors.ts'
import { HostWorkspaceFiles } from './host-files.ts'
import { InFlightCommands } from './in-flight.ts'
import { runChild, type ChildSpec } from './spawn-exec.ts'
import type {
  ExecOptions,
  ExecResult,
  ListOptions,
  Sandbox,
  SandboxEntry,
  SandboxFileInfo,
  SandboxKind,
} from './types.ts'
import type { WorkspaceRoot } from './workspace-root.ts'

export interface CommandLauncher {
  /**
   * How to start `command` with `cwd` (a checked path inside the workspace) and the full env.
   * `workspaceFd` is an open fd of the workspace directory, valid while `spec` and the spawn
   * run (bwrap binds it instead of looking the workspace path up again).
   */
  spec(command: string, cwd: string, env: Record<string, string>, workspaceFd: number): ChildSpec
}

export class HostWorkspaceSandbox implements Sandbox {
  private readonly files: HostWorkspaceFiles
  private readonly commands = new InFlightCommands()
  /** Canonical path of the workspace (same path inside bwrap). */
  readonly workspaceDir: string

  constructor(
    readonly kind: SandboxKind,
    private readonly root: WorkspaceRoot,
    private readonly baseEnv: Record<string, string>,
    private readonly launcher: CommandLauncher,
  ) {
    this.workspaceDir = root.path
    this.files = new HostWorkspaceFiles(root)
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.assertOpen()
    const env = { ...this.baseEnv, ...opts.env }
    return this.commands.run(opts.signal, async (signal) => {
      // One walk from "/" to the workspace (each is an open and a close per path component):
      // the working directory is resolved beneath the same fd the command gets.
      const workspace = await this.root.open()
      let running: Promise<ExecResult>
      try {
        const cwd = await this.files.resolve(opts.cwd ?? '.', workspace.fd)
        if (cwd.type !== 'dir') throw new SandboxError(`Working directory "${opts.cwd ?? '.'}" does not exist`)
        running = runChild(this.launcher.spec(command, cwd.path, env, workspace.fd), { ...opts, signal })
        // handled by our caller once returned; must not count as unhandled while we close the fd
        running.catch(() => undefined)
      } finally {
        // the child has its own copy of the fd by now
        await workspace.close()
      }
      return running
    })
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

  async resolvePath(path: string): Promise<string> {
    return (await this.files.resolve(path)).path
  }

  close(): Promise<void> {
    return this.commands.close()
  }

  private assertOpen(): void {
    this.commands.assertOpen()
  }
}
