// The `host` provider: commands run directly on this machine, in the workspace folder, with
// no isolation at all. Only used when explicitly configured (RUNYARD_SANDBOX=host).
import fs from 'node:fs/promises'
import { DEFAULT_SANDBOX_PATH, prepareHostWorkspace } from './workspace-dir.ts'
import { HostWorkspaceSandbox } from './workspace-sandbox.ts'
import type { OpenSandboxOptions, OpenedSandbox, SandboxAvailability, SandboxProvider } from './types.ts'

export const HOST_SANDBOX_WARNING =
  "WARNING: RUNYARD_SANDBOX=host — agent commands run directly on this machine with your user's " +
  'permissions, network access and no isolation. Only the file tools are confined to the workspace; ' +
  'bash commands can read, change or delete anything this user can. Use it only for trusted tasks.'

export interface HostSandboxOptions {
  /** PATH for commands (the server passes its own). Default: the standard system PATH. */
  path?: string
  /** Bash binary. Default `/bin/bash`. */
  bash?: string
}

export interface HostSandboxState {
  kind: 'host'
  workspaceDir: string
}

export class HostSandboxProvider implements SandboxProvider {
  readonly kind = 'host' as const
  private readonly bash: string

  constructor(private readonly opts: HostSandboxOptions = {}) {
    this.bash = opts.bash ?? '/bin/bash'
  }

  async available(): Promise<SandboxAvailability> {
    try {
      await fs.access(this.bash, fs.constants.X_OK)
      return { ok: true }
    } catch {
      return { ok: false, reason: `${this.bash} is not executable` }
    }
  }

  async open(session: OpenSandboxOptions): Promise<OpenedSandbox> {
    const root = await prepareHostWorkspace('host', session.workspaceDir)
    const workspaceDir = root.path
    // A small, explicit environment: the server's own secrets must not leak into commands.
    const env: Record<string, string> = {
      PATH: this.opts.path ?? DEFAULT_SANDBOX_PATH,
      HOME: workspaceDir,
      LANG: 'C.UTF-8',
      TERM: 'dumb',
      ...session.env,
    }
    const bash = this.bash
    const sandbox = new HostWorkspaceSandbox('host', root, env, {
      spec: (command, cwd, fullEnv) => ({ file: bash, args: ['-c', command], cwd, env: fullEnv }),
    })
    const sandboxState: HostSandboxState = { kind: 'host', workspaceDir }
    return { sandbox, sandboxState }
  }
}
