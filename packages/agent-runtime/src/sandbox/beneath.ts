// Path walks beneath an open directory, for workspaces on this machine's filesystem. Node has
// no openat(2); opening `/proc/self/fd/<dirfd>/<name>` is the same thing: the kernel jumps
// through the magic link to the directory we hold open (its path is never looked up again)
// and looks `name` up inside it. Every component is opened that way with O_NOFOLLOW, so a
// component swapped for a symlink by a concurrent command is seen as a symlink, never
// traversed by the kernel; symlinks are followed by this code, only to targets inside the
// workspace, by restarting the walk from the workspace root.
import { constants, type Stats } from 'node:fs'
import fs, { type FileHandle } from 'node:fs/promises'
import path from 'node:path'
import { SandboxError, SandboxPathError } from './errors.ts'

const posix = path.posix
/** Same limit as Linux's MAXSYMLINKS. */
export const MAX_SYMLINK_HOPS = 40
/** How often one walk retries a component that changed under it (created, removed, swapped). */
const MAX_RETRIES = 40

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW } = constants

/** The path that names `name` inside the open directory `dirFd` (or that directory itself). */
export function at(dirFd: number, name?: string): string {
  return name === undefined ? `/proc/self/fd/${dirFd}` : `/proc/self/fd/${dirFd}/${name}`
}

export function errnoOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code
}

/** lstat of `name` inside `dirFd`; null if it does not exist. */
export async function lstatAt(dirFd: number, name: string): Promise<Stats | null> {
  try {
    return await fs.lstat(at(dirFd, name))
  } catch (e) {
    if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') return null
    throw e
  }
}

export type DirOpen = { kind: 'dir'; handle: FileHandle } | { kind: 'link' } | { kind: 'missing' } | { kind: 'not-dir' }

/** Opens the directory `name` inside `dirFd` without following it if it is a symlink. */
export async function openDirAt(dirFd: number, name: string): Promise<DirOpen> {
  for (let retries = 0; ; retries++) {
    try {
      return { kind: 'dir', handle: await fs.open(at(dirFd, name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW) }
    } catch (e) {
      switch (errnoOf(e)) {
        case 'ENOENT':
          return { kind: 'missing' }
        case 'ELOOP':
          return { kind: 'link' }
        case 'ENOTDIR': {
          // the kernel checks O_DIRECTORY before O_NOFOLLOW: a symlink fails with ENOTDIR too
          const st = await lstatAt(dirFd, name)
          if (st === null) return { kind: 'missing' }
          if (st.isSymbolicLink()) return { kind: 'link' }
          if (!st.isDirectory()) return { kind: 'not-dir' }
          // a directory again by now (swapped back and forth): open it again
          if (retries >= MAX_RETRIES)
            throw new SandboxError(`"${name}" kept changing while it was being opened; try again`)
          break
        }
        default:
          throw e
      }
    }
  }
}

/** Returned by a walk's final step when the final component is a symlink: the walk follows it. */
export const FOLLOW = Symbol('follow')

export interface FinalStep {
  /** Open directory holding `name` (the workspace root, or a directory beneath it). */
  dirFd: number
  /** The final component; undefined when the path is the workspace root itself. */
  name: string | undefined
  /** Workspace-relative path of the final component, symlinks resolved ('' for the root). */
  rel: string
}

export interface WalkSpec<T> {
  /** Open fd of the workspace root; not closed by the walk. */
  rootFd: number
  /** Absolute path of the workspace root: symlink targets are judged against it. */
  rootPath: string
  /** The path as the caller gave it, for error messages. */
  userPath: string
  /** Workspace-relative components to walk (lexically normalised: no `.`, `..` or empty ones). */
  parts: readonly string[]
  /** Create missing intermediate directories (writeFile) instead of calling `missing`. */
  createDirs?: boolean
  /** An intermediate directory does not exist (or is not a directory): what to return or throw. */
  missing(parts: string[], notDir: boolean): T
  /** Acts on the final component; returns FOLLOW if it is a symlink. */
  final(step: FinalStep): Promise<T | typeof FOLLOW>
}

function isInside(root: string, abs: string): boolean {
  return abs === root || abs.startsWith(root === '/' ? '/' : `${root}/`)
}

function relComponents(root: string, abs: string): string[] {
  const rel = posix.relative(root, abs)
  return rel === '' ? [] : rel.split('/')
}

/** Walks `spec.parts` beneath the workspace root, following in-workspace symlinks itself. */
export async function walkBeneath<T>(spec: WalkSpec<T>): Promise<T> {
  const { rootFd, rootPath, userPath } = spec
  let queue = [...spec.parts]
  let hops = 0
  let retries = 0
  const changed = (): void => {
    if (++retries > MAX_RETRIES) {
      throw new SandboxError(`Path "${userPath}" kept changing while it was being opened; try again`)
    }
  }

  // `name` inside `dirFd` (reached through `done`) is a symlink: the components to walk next.
  const follow = async (dirFd: number, done: string[], name: string, rest: string[]): Promise<string[]> => {
    if (++hops > MAX_SYMLINK_HOPS) {
      throw new SandboxPathError(userPath, 'too-many-links', `Path "${userPath}": too many levels of symbolic links`)
    }
    let target: string
    try {
      target = await fs.readlink(at(dirFd, name))
    } catch (e) {
      // no longer a symlink (or gone): look at the same component again
      if (errnoOf(e) === 'EINVAL' || errnoOf(e) === 'ENOENT') {
        changed()
        return [...done, name, ...rest]
      }
      throw e
    }
    const abs = posix.resolve(posix.join(rootPath, ...done), target)
    if (!isInside(rootPath, abs)) {
      throw new SandboxPathError(
        userPath,
        'symlink-escape',
        `Path "${userPath}" goes through the symlink "${[...done, name].join('/')}" which points outside the workspace (to ${target})`,
      )
    }
    return [...relComponents(rootPath, abs), ...rest]
  }

  for (;;) {
    const done: string[] = []
    let dirFd = rootFd
    let owned: FileHandle | undefined
    try {
      let next: string[] | undefined
      let created = false
      while (next === undefined && queue.length > 1) {
        const [name = '', ...rest] = queue
        const opened = await openDirAt(dirFd, name)
        if (opened.kind === 'dir') {
          const previous = owned
          owned = opened.handle
          dirFd = opened.handle.fd
          await previous?.close()
          done.push(name)
          queue = rest
          created = false
        } else if (opened.kind === 'link') {
          next = await follow(dirFd, done, name, rest)
        } else if (opened.kind === 'missing' && spec.createDirs) {
          // we created it a moment ago and it is gone again
          if (created) changed()
          await mkdirAt(dirFd, name)
          created = true
        } else {
          return spec.missing([...done, ...queue], opened.kind === 'not-dir')
        }
      }
      if (next === undefined) {
        const name = queue[0]
        const rel = [...done, ...queue].join('/')
        const result = await spec.final({ dirFd, name, rel })
        if (result !== FOLLOW) return result
        if (name === undefined) throw new SandboxError('internal error: the workspace root cannot be a symlink')
        next = await follow(dirFd, done, name, [])
      }
      queue = next
    } finally {
      await owned?.close()
    }
  }
}

async function mkdirAt(dirFd: number, name: string): Promise<void> {
  try {
    await fs.mkdir(at(dirFd, name))
  } catch (e) {
    // created concurrently: the walk opens (and checks) whatever is there now
    if (errnoOf(e) !== 'EEXIST') throw e
  }
}
