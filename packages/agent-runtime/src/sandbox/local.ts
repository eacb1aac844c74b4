// The `local` provider: commands run under bubblewrap as an unprivileged user, with the system
// mounted read-only, only the workspace writable, a private /tmp, and no network unless allowed.
import { bwrapArgs, findBwrap, nodePrefixOutsideUsr, probeBwrap } from './bwrap.ts'
import { SandboxUnavailableError } from './errors.ts'
import { DEFAULT_SANDBOX_PATH, prepareHostWorkspace } from './workspace-dir.ts'
import { HostWorkspaceSandbox } from './workspace-sandbox.ts'
import type { OpenSandboxOptions, OpenedSandbox, SandboxAvailability, SandboxProvider } from './types.ts'

export interface LocalSandboxOptions {
  /** bwrap binary. Default: `bwrap` found on `searchPath`. */
  bwrapPath?: string
  /** Where to look for `bwrap` (the server passes its own PATH). Default: the standard system PATH. */
  searchPath?: string
  /** Let commands use the host's network (`--share-net`). Default false: no network at all. */
  allowNetwork?: boolean
  /** Extra host paths exposed read-only at the same path (toolchains outside /usr). */
  readOnlyPaths?: string[]
  /** PATH inside the sandbox. Default: the standard system PATH (+ node's bin dir if outside /usr). */
  path?: string
}

export interface LocalSandboxState {
  kind: 'local'
  workspaceDir: string
}

export class LocalSandboxProvider implements SandboxProvider {
  readonly kind = 'local' as const

  constructor(private readonly opts: LocalSandboxOptions = {}) {}

  private bwrap(): string | undefined {
    return this.opts.bwrapPath ?? findBwrap(this.opts.searchPath ?? DEFAULT_SANDBOX_PATH)
  }

  async available(): Promise<SandboxAvailability> {
    const bwrap = this.bwrap()
    if (!bwrap) return { ok: false, reason: 'bubblewrap (bwrap) is not installed or not on PATH' }
    return probeBwrap(bwrap)
  }

  async open(session: OpenSandboxOptions): Promise<OpenedSandbox> {
    const availability = await this.available()
    if (!availability.ok) throw new SandboxUnavailableError(`The local sandbox cannot run: ${availability.reason}`)
    const bwrap = this.bwrap() ?? 'bwrap'
    const root = await prepareHostWorkspace('local', session.workspaceDir)
    const workspaceDir = root.path
    const nodePrefix = nodePrefixOutsideUsr()
    const env: Record<string, string> = {
      PATH: this.opts.path ?? (nodePrefix ? `${nodePrefix}/bin:${DEFAULT_SANDBOX_PATH}` : DEFAULT_SANDBOX_PATH),
      HOME: workspaceDir,
      TMPDIR: '/tmp',
      LANG: 'C.UTF-8',
      TERM: 'dumb',
      ...session.env,
    }
    const allowNetwork = this.opts.allowNetwork ?? false
    const readOnlyPaths = this.opts.readOnlyPaths ?? []
    const sandbox = new HostWorkspaceSandbox('local', root, env, {
      // bwrap hands its own environment to the command, so the env never shows up in argv.
      // The workspace fd becomes bwrap's fd 3; bwrap itself starts in "/", not in a host path.
      spec: (command, cwd, fullEnv, workspaceFd) => ({
        file: bwrap,
        args: [
          ...bwrapArgs({ workspace: { fd: 3, path: workspaceDir }, cwd, allowNetwork, readOnlyPaths }),
          '/bin/bash',
          '-c',
          command,
        ],
        cwd: '/',
        env: fullEnv,
        extraFds: [workspaceFd],
      }),
    })
    const sandboxState: LocalSandboxState = { kind: 'local', workspaceDir }
    return { sandbox, sandboxState }
  }
}
