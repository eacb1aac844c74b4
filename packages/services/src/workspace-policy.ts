// Which host folders a client may name: a session's workspace (`workspacePath`,
// `workspace_path`) or a global skill folder (`globalSkillRefs`). A named path is resolved with
// realpath (symlinks included) and stored that way, then judged:
//   - never `/`, system directories, a home directory or its hidden folders, the Runyard data
//     directory or the server-managed workspaces folder (either containing the other);
//   - with RUNYARD_WORKSPACE_ROOTS, only inside one of those roots;
//   - in keys mode without RUNYARD_WORKSPACE_ROOTS, nowhere: sessions get managed folders.
// Folders registered by another account are refused by the workspace registry (workspaces.ts).
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { AppError } from '@runyard/contract'
import type { AuthMode } from './auth.ts'

/** System folders no client may name, nor anything inside them. */
const SYSTEM_TREES = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/proc',
  '/run',
  '/sbin',
  '/snap',
  '/sys',
  '/usr',
  '/var/backups',
  '/var/cache',
  '/var/db',
  '/var/lib',
  '/var/lock',
  '/var/log',
  '/var/mail',
  '/var/run',
  '/var/spool',
]
/** Folders that hold other people's or other programs' folders: allowed inside, not as a whole. */
const SHARED_PARENTS = ['/home', '/media', '/mnt', '/opt', '/srv', '/tmp', '/var', '/var/tmp', '/root']

export interface WorkspacePolicyOptions {
  /** RUNYARD_WORKSPACE_ROOTS as configured (resolved here); undefined when not set. */
  roots: string[] | undefined
  /** The Runyard data directory (embedded PostgreSQL, settings). */
  dataDir: string
  /** Parent of the server-managed workspace folders. */
  managedDir: string
  /** The server's auth mode now (registering differs by mode); absent in worker-only processes, which never register. */
  mode?(): Promise<AuthMode>
}

const within = (parent: string, p: string) => p === parent || p.startsWith(parent === '/' ? '/' : `${parent}/`)
const overlaps = (a: string, b: string) => within(a, b) || within(b, a)

/** The real path of `p` (absolute): realpath of its deepest existing ancestor, plus the missing rest. */
export async function realPathOf(p: string): Promise<string> {
  let existing = path.resolve(p)
  const missing: string[] = []
  for (;;) {
    try {
      return path.join(await fs.realpath(existing), ...missing)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code !== 'ENOENT' || existing === '/') throw e
      missing.unshift(path.basename(existing))
      existing = path.dirname(existing)
    }
  }
}

export class WorkspacePolicy {
  private resolved:
    Promise<{ roots: string[] | undefined; dataDir: string; managedDir: string; homes: string[] }> | undefined

  constructor(private readonly opts: WorkspacePolicyOptions) {}

  /**
   * The real path a client named in `param`, if a client may use it; otherwise a 403
   * (`workspace_not_allowed`) that says why and what is allowed.
   */
  async allowedPath(clientPath: string, param: string): Promise<string> {
    const refuse = (why: string) =>
      new AppError(
        'forbidden',
        'workspace_not_allowed',
        `${param} "${clientPath.slice(0, 500)}" is not allowed: ${why}`,
        { param },
      )
    let real: string
    try {
      real = await realPathOf(clientPath)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      throw refuse(
        code === 'ENOTDIR'
          ? 'a part of the path is a file, not a folder.'
          : `it cannot be resolved on this server (${code ?? 'error'}).`,
      )
    }
    const why = await this.refusal(real, { registering: true })
    if (why) throw refuse(why)
    return real
  }

  /**
   * Why a real path may not be a workspace, or null. Checked when a client names it
   * (`registering`) and again whenever it is used (a session on it created, a sandbox opened on
   * it): a folder registered before the rules changed is refused then.
   */
  async refusal(real: string, { registering }: { registering: boolean }): Promise<string | null> {
    const { roots, dataDir, managedDir, homes } = await this.resolve()
    const where = roots
      ? `Allowed folders are inside ${roots.join(', ')} (RUNYARD_WORKSPACE_ROOTS).`
      : 'Set RUNYARD_WORKSPACE_ROOTS to the folders clients may use (comma-separated absolute paths).'
    if (real === '/') return `that is the whole filesystem. ${where}`
    const system = SYSTEM_TREES.find((t) => within(t, real))
    if (system) return `${system} is a system directory. ${where}`
    if (SHARED_PARENTS.includes(real) || homes.includes(real) || /^\/home\/[^/]+$/.test(real))
      return `that folder holds other people's or programs' folders; name a project folder inside it. ${where}`
    const home = homes.find((h) => real.startsWith(`${h}/`)) ?? /^\/home\/[^/]+(?=\/)/.exec(real)?.[0]
    if (home && real.slice(home.length + 1).startsWith('.'))
      return `hidden folders of a home directory hold credentials and settings. ${where}`
    if (overlaps(dataDir, real))
      return `it ${within(real, dataDir) ? 'contains' : 'is inside'} the Runyard data directory (${dataDir}).`
    if (overlaps(managedDir, real))
      return `it ${within(real, managedDir) ? 'contains' : 'is inside'} the server-managed workspaces folder (${managedDir}); omit the path to get a managed folder.`
    if (roots) return roots.some((r) => within(r, real)) ? null : `it is outside the allowed roots. ${where}`
    if (registering && (await this.opts.mode?.()) !== 'local')
      return 'this server does not let API keys name host folders (RUNYARD_WORKSPACE_ROOTS is not set). Omit it to get a server-managed folder, or ask the operator to set RUNYARD_WORKSPACE_ROOTS.'
    return null
  }

  private resolve() {
    return (this.resolved ??= (async () => ({
      roots: this.opts.roots ? await Promise.all(this.opts.roots.map(realPathOf)) : undefined,
      dataDir: await realPathOf(this.opts.dataDir),
      managedDir: await realPathOf(this.opts.managedDir),
      homes: [...new Set([os.homedir(), await realPathOf(os.homedir())])],
    }))())
  }
}
