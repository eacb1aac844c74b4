// File operations on a workspace that lives on this machine's filesystem (local and host
// providers). Every path goes through resolveWorkspacePath; the final open uses O_NOFOLLOW
// so a symlink swapped in after the check is refused rather than followed.
import { constants } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import { SandboxError, SandboxFileNotFoundError, SandboxPathError } from './errors.ts'
import { hostPathInspector, resolveWorkspacePath, toWorkspaceRelative } from './paths.ts'
import type { ListOptions, SandboxEntry, SandboxEntryType, SandboxFileInfo } from './types.ts'

function errnoOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code
}

function translate(e: unknown, userPath: string): Error {
  switch (errnoOf(e)) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new SandboxFileNotFoundError(userPath, { cause: e })
    case 'ELOOP':
      return new SandboxPathError(userPath, 'symlink-escape', `Path "${userPath}" became a symlink while being opened; refused`)
    case 'EISDIR':
      return new SandboxError(`"${userPath}" is a directory`, { cause: e })
    default:
      return e instanceof Error ? e : new SandboxError(String(e))
  }
}

function entryType(d: { isDirectory(): boolean; isSymbolicLink(): boolean }): SandboxEntryType {
  return d.isSymbolicLink() ? 'symlink' : d.isDirectory() ? 'dir' : 'file'
}

export class HostWorkspaceFiles {
  /** `root` must be the workspace's real path (no symlinks). */
  constructor(readonly root: string) {}

  resolve(userPath: string): Promise<string> {
    return resolveWorkspacePath(this.root, userPath, hostPathInspector)
  }

  async readFile(userPath: string): Promise<string> {
    const abs = await this.resolve(userPath)
    try {
      const handle = await fs.open(abs, constants.O_RDONLY | constants.O_NOFOLLOW)
      try {
        return await handle.readFile('utf8')
      } finally {
        await handle.close()
      }
    } catch (e) {
      throw translate(e, userPath)
    }
  }

  async writeFile(userPath: string, content: string): Promise<void> {
    const abs = await this.resolve(userPath)
    try {
      await fs.mkdir(path.dirname(abs), { recursive: true })
      const handle = await fs.open(abs, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644)
      try {
        await handle.writeFile(content, 'utf8')
      } finally {
        await handle.close()
      }
    } catch (e) {
      throw translate(e, userPath)
    }
  }

  async list(userPath: string, opts: ListOptions = {}): Promise<SandboxEntry[]> {
    const abs = await this.resolve(userPath)
    const out: SandboxEntry[] = []
    const walk = async (dir: string): Promise<void> => {
      const dirents = await fs.readdir(dir, { withFileTypes: true })
      for (const d of dirents) {
        const full = path.join(dir, d.name)
        const type = entryType(d)
        out.push({ path: toWorkspaceRelative(this.root, full), type })
        if (opts.recursive && type === 'dir') await walk(full)
      }
    }
    try {
      await walk(abs)
    } catch (e) {
      if (errnoOf(e) === 'ENOTDIR') throw new SandboxError(`"${userPath}" is not a directory`, { cause: e })
      throw translate(e, userPath)
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  }

  async stat(userPath: string): Promise<SandboxFileInfo | null> {
    const abs = await this.resolve(userPath)
    try {
      const st = await fs.lstat(abs)
      return { path: toWorkspaceRelative(this.root, abs) || '.', type: entryType(st), size: st.size, mtimeMs: st.mtimeMs }
    } catch (e) {
      if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') return null
      throw translate(e, userPath)
    }
  }
}
