// File operations on a workspace that lives on this machine's filesystem (local and host
// providers). Commands in the sandbox can change the workspace while we work on it, so no
// path string is checked first and opened later: every operation walks from an open fd of
// the workspace root, component by component (see beneath.ts), and acts on the final
// component through the directory fd it holds.
import fs from 'node:fs/promises'
import type { Stats } from 'node:fs'
import { posix } from 'node:path'
import { at, errnoOf, FOLLOW, lstatAt, openDirAt, walkBeneath, type FinalStep } from './beneath.ts'
import { SandboxError, SandboxFileNotFoundError } from './errors.ts'
import { normalizeWorkspacePath } from './paths.ts'
import type { ListOptions, SandboxEntry, SandboxEntryType, SandboxFileInfo } from './types.ts'
import type { WorkspaceRoot } from './workspace-root.ts'

const { O_RDONLY, O_WRONLY, O_CREAT, O_TRUNC, O_NOFOLLOW, O_NONBLOCK } = fs.constants
/**
 * How deep a recursive list descends: it holds one open fd per level, and a directory chain
 * thousands deep (cheap to create from bash) must not exhaust the server's fds.
 */
const MAX_LIST_DEPTH = 256

function entryType(d: { isDirectory(): boolean; isSymbolicLink(): boolean }): SandboxEntryType {
  return d.isSymbolicLink() ? 'symlink' : d.isDirectory() ? 'dir' : 'file'
}

/** Workspace-relative components of `userPath`; refuses lexical escapes (`..`, foreign absolute paths). */
function lexicalParts(root: string, userPath: string): string[] {
  const rel = posix.relative(root, normalizeWorkspacePath(root, userPath))
  return rel === '' ? [] : rel.split('/')
}

export interface ResolvedPath {
  /** Absolute path with the workspace's symlinks resolved; a missing tail is kept as given. */
  path: string
  /** What is there now; null if nothing is. */
  type: SandboxEntryType | null
}

export class HostWorkspaceFiles {
  constructor(private readonly root: WorkspaceRoot) {}

  /** Walks `userPath` beneath the workspace: beneath `rootFd` when the caller has it open, else opened for the walk. */
  private async walk<T>(
    userPath: string,
    handlers: {
      createDirs?: boolean
      missing(parts: string[], notDir: boolean): T
      final(step: FinalStep): Promise<T | typeof FOLLOW>
    },
    rootFd?: number,
  ): Promise<T> {
    const rootPath = this.root.path
    const parts = lexicalParts(rootPath, userPath)
    const beneath = (fd: number) => walkBeneath({ rootFd: fd, rootPath, userPath, parts, ...handlers })
    try {
      return await (rootFd === undefined ? this.root.use(beneath) : beneath(rootFd))
    } catch (e) {
      throw translate(e, userPath)
    }
  }

  /**
   * The checked path for `userPath`, for commands run inside the sandbox (whose mount
   * namespace is the boundary there) and for `exec`'s working directory; `rootFd`: the
   * workspace as the caller opened it (WorkspaceRoot.open), walked beneath instead of opening it again.
   */
  resolve(userPath: string, rootFd?: number): Promise<ResolvedPath> {
    const abs = (parts: string[]): string => posix.join(this.root.path, ...parts)
    return this.walk<ResolvedPath>(
      userPath,
      {
        missing: (parts) => ({ path: abs(parts), type: null }),
        final: async ({ dirFd, name, rel }) => {
          const path = abs(rel ? rel.split('/') : [])
          if (name === undefined) return { path, type: 'dir' }
          const st = await lstatAt(dirFd, name)
          if (st?.isSymbolicLink()) return FOLLOW
          return { path, type: st ? entryType(st) : null }
        },
      },
      rootFd,
    )
  }

  readFile(userPath: string): Promise<string> {
    return this.walk(userPath, {
      missing: () => {
        throw new SandboxFileNotFoundError(userPath)
      },
      final: async ({ dirFd, name }) => {
        if (name === undefined) throw isDirectory(userPath)
        let handle
        try {
          // O_NONBLOCK: a FIFO planted by a command must not hang the server
          handle = await fs.open(at(dirFd, name), O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
        } catch (e) {
          if (errnoOf(e) === 'ELOOP') return FOLLOW
          throw translate(e, userPath)
        }
        try {
          checkRegular(await handle.stat(), userPath)
          return await handle.readFile('utf8')
        } finally {
          await handle.close()
        }
      },
    })
  }

  writeFile(userPath: string, content: string): Promise<void> {
    return this.walk<void>(userPath, {
      createDirs: true,
      missing: (parts, notDir) => {
        if (notDir)
          throw new SandboxError(`Cannot write "${userPath}": a parent of "${parts.join('/')}" is not a directory`)
        throw new SandboxFileNotFoundError(userPath)
      },
      final: async ({ dirFd, name }) => {
        if (name === undefined) throw isDirectory(userPath)
        let handle
        try {
          handle = await fs.open(at(dirFd, name), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_NONBLOCK, 0o644)
        } catch (e) {
          if (errnoOf(e) === 'ELOOP') return FOLLOW
          throw translate(e, userPath)
        }
        try {
          checkRegular(await handle.stat(), userPath)
          await handle.writeFile(content, 'utf8')
        } finally {
          await handle.close()
        }
      },
    })
  }

  list(userPath: string, opts: ListOptions = {}): Promise<SandboxEntry[]> {
    const out: SandboxEntry[] = []
    const notADirectory = () => new SandboxError(`"${userPath}" is not a directory`)
    return this.walk(userPath, {
      missing: (_parts, notDir) => {
        throw notDir ? notADirectory() : new SandboxFileNotFoundError(userPath)
      },
      final: async ({ dirFd, name, rel }) => {
        if (name === undefined) {
          await listInto(out, dirFd, rel, opts.recursive ?? false, 0)
        } else {
          const opened = await openDirAt(dirFd, name)
          if (opened.kind === 'link') return FOLLOW
          if (opened.kind === 'missing') throw new SandboxFileNotFoundError(userPath)
          if (opened.kind === 'not-dir') throw notADirectory()
          try {
            await listInto(out, opened.handle.fd, rel, opts.recursive ?? false, 0)
          } finally {
            await opened.handle.close()
          }
        }
        return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      },
    })
  }

  stat(userPath: string): Promise<SandboxFileInfo | null> {
    return this.walk<SandboxFileInfo | null>(userPath, {
      missing: () => null,
      final: async ({ dirFd, name, rel }) => {
        const st = name === undefined ? await fs.stat(at(dirFd)) : await lstatAt(dirFd, name)
        if (st === null) return null
        if (st.isSymbolicLink()) return FOLLOW
        return { path: rel || '.', type: entryType(st), size: st.size, mtimeMs: st.mtimeMs }
      },
    })
  }
}

/** Appends the entries of the open directory `dirFd` (at workspace path `rel`) to `out`. */
async function listInto(
  out: SandboxEntry[],
  dirFd: number,
  rel: string,
  recursive: boolean,
  depth: number,
): Promise<void> {
  const dirents = await fs.readdir(at(dirFd), { withFileTypes: true })
  for (const d of dirents) {
    const path = rel ? `${rel}/${d.name}` : d.name
    const type = entryType(d)
    out.push({ path, type })
    if (!recursive || type !== 'dir' || depth + 1 >= MAX_LIST_DEPTH) continue
    // opened beneath the fd we hold, without following: if a command swapped it for a
    // symlink since readdir, it is not descended into
    const sub = await openDirAt(dirFd, d.name)
    if (sub.kind !== 'dir') continue
    try {
      await listInto(out, sub.handle.fd, path, recursive, depth + 1)
    } finally {
      await sub.handle.close()
    }
  }
}

function isDirectory(userPath: string): SandboxError {
  return new SandboxError(`"${userPath}" is a directory`)
}

function checkRegular(st: Stats, userPath: string): void {
  if (st.isDirectory()) throw isDirectory(userPath)
  if (!st.isFile()) throw new SandboxError(`"${userPath}" is not a regular file`)
}

/** Our errors as they are; the filesystem's as sandbox errors naming the user's path (not /proc/self/fd/…). */
function translate(e: unknown, userPath: string): Error {
  if (e instanceof SandboxError) return e
  const code = errnoOf(e)
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new SandboxFileNotFoundError(userPath, { cause: e })
    case 'EISDIR':
      return new SandboxError(`"${userPath}" is a directory`, { cause: e })
    case 'ENXIO':
      return new SandboxError(`"${userPath}" is not a regular file`, { cause: e })
    default:
      return code
        ? new SandboxError(`Cannot access "${userPath}" (${code})`, { cause: e })
        : e instanceof Error
          ? e
          : new SandboxError(String(e))
  }
}
