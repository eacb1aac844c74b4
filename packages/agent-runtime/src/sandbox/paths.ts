// Workspace path confinement by path string. A user path is resolved lexically (`..`
// included), then every existing component is inspected: symlinks are followed (by us, not
// the kernel) and each target must stay inside the workspace. The result is only as good as
// the moment it was checked: the E2B provider uses it (its files live in a remote VM, whose
// own boundary contains a concurrent swap); the local and host providers never open a
// checked path string but walk beneath a directory fd instead (beneath.ts).
import fs from 'node:fs/promises'
import path from 'node:path'
import { SandboxPathError } from './errors.ts'

const posix = path.posix
/** Same limit as Linux's MAXSYMLINKS. */
const MAX_SYMLINK_HOPS = 40

export interface PathEntryInfo {
  type: 'file' | 'dir' | 'symlink' | 'other'
  /** For symlinks: the link target (absolute, or relative to the link's directory). */
  symlinkTarget?: string
}

/** How `resolveWorkspacePath` looks at the filesystem the workspace lives on. */
export interface PathInspector {
  /** Like lstat: describes `absPath` without following a final symlink; null if it does not exist. */
  lstat(absPath: string): Promise<PathEntryInfo | null>
  /** Canonical form of the workspace root itself (host: realpath). Default: as given. */
  realRoot?(root: string): Promise<string>
}

/**
 * Inspector for the host filesystem: a check only, for callers that report paths. Opening the
 * path it approved is not safe while commands can change the workspace (see beneath.ts).
 */
export const hostPathInspector: PathInspector = {
  async lstat(absPath) {
    let st
    try {
      st = await fs.lstat(absPath)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR') return null
      throw e
    }
    if (st.isSymbolicLink()) return { type: 'symlink', symlinkTarget: await fs.readlink(absPath) }
    return { type: st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other' }
  },
  realRoot: (root) => fs.realpath(root),
}

function isInside(root: string, abs: string): boolean {
  return abs === root || abs.startsWith(root === '/' ? '/' : `${root}/`)
}

function components(root: string, abs: string): string[] {
  const rel = posix.relative(root, abs)
  return rel === '' ? [] : rel.split('/')
}

/**
 * Lexical check only: the absolute, normalised path for `userPath` (relative to the
 * workspace, or absolute inside it). Throws {@link SandboxPathError} if it lies outside.
 * Does not look at symlinks: use {@link resolveWorkspacePath} before touching files.
 */
export function normalizeWorkspacePath(workspaceDir: string, userPath: string): string {
  if (typeof userPath !== 'string' || userPath.includes('\0')) {
    throw new SandboxPathError(String(userPath), 'invalid-path', 'Invalid path: it must be a string without NUL bytes')
  }
  const root = posix.resolve(workspaceDir)
  const abs = posix.resolve(root, userPath === '' ? '.' : userPath)
  if (!isInside(root, abs)) {
    throw new SandboxPathError(
      userPath,
      'outside-workspace',
      `Path "${userPath}" is outside the workspace (${root}); only paths inside the workspace are allowed`,
    )
  }
  return abs
}

/** `abs` (inside `root`) as a workspace-relative, `/`-separated path ('' for the root). */
export function toWorkspaceRelative(root: string, abs: string): string {
  return posix.relative(root, abs)
}

/**
 * Resolves `userPath` inside `workspaceDir` and refuses `..` escapes, absolute paths outside
 * the workspace and symlinks whose target lies outside it (SandboxPathError). Returns the
 * absolute path with symlinks resolved; a missing tail (file to be created) is allowed.
 */
export async function resolveWorkspacePath(
  workspaceDir: string,
  userPath: string,
  inspector: PathInspector = hostPathInspector,
): Promise<string> {
  const given = posix.resolve(workspaceDir)
  const lexical = normalizeWorkspacePath(given, userPath)
  const root = inspector.realRoot ? await inspector.realRoot(given) : given
  const parts = components(given, lexical)

  // Fast path: one parallel round of lstat (one round trip for e2b). No symlink => done.
  const prefixes = parts.map((_, i) => posix.join(root, ...parts.slice(0, i + 1)))
  const infos = await Promise.all(prefixes.map((p) => inspector.lstat(p)))
  const firstMissing = infos.indexOf(null)
  const checked = firstMissing === -1 ? infos : infos.slice(0, firstMissing)
  if (!checked.some((info) => isLink(info))) return posix.join(root, ...parts)

  let current = root
  let queue = parts
  let hops = 0
  while (queue.length > 0) {
    const [head = '', ...rest] = queue
    const next = posix.join(current, head)
    const info = await inspector.lstat(next)
    if (!info) return posix.join(next, ...rest)
    if (!isLink(info)) {
      current = next
      queue = rest
      continue
    }
    if (++hops > MAX_SYMLINK_HOPS) {
      throw new SandboxPathError(userPath, 'too-many-links', `Path "${userPath}": too many levels of symbolic links`)
    }
    const target = info.symlinkTarget
    const abs = target === undefined ? undefined : posix.resolve(current, target)
    if (abs === undefined || !isInside(root, abs)) {
      throw new SandboxPathError(
        userPath,
        'symlink-escape',
        `Path "${userPath}" goes through the symlink "${toWorkspaceRelative(root, next)}" which points outside the workspace` +
          (target === undefined ? '' : ` (to ${target})`),
      )
    }
    current = root
    queue = [...components(root, abs), ...rest]
  }
  return current
}

function isLink(info: PathEntryInfo | null | undefined): boolean {
  return info != null && (info.type === 'symlink' || info.symlinkTarget !== undefined)
}
