// The workspace directory of a host-backed sandbox (local, host), opened without trusting its
// path: every component from "/" is opened with O_NOFOLLOW beneath the previous one, so a
// symlink anywhere in the path — there when the sandbox opens or swapped in later, e.g. by an
// agent whose own workspace encloses this one — is refused instead of followed. The server
// stores canonical real paths, so a legitimate workspace never goes through a symlink.
import fs, { type FileHandle } from 'node:fs/promises'
import { at, errnoOf, openDirAt } from './beneath.ts'
import { SandboxError } from './errors.ts'

const ROOT_FLAGS = fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW

export class WorkspaceRoot {
  private constructor(
    /** Canonical absolute path of the workspace. */
    readonly path: string,
    private readonly dev: number,
    private readonly ino: number,
  ) {}

  /**
   * Creates the workspace directory if missing (without following symlinks on the way; unless
   * `create: false`) and checks that `dir` is canonical: absolute, no `.`/`..`, no symlink in any
   * component.
   */
  static async prepare(kind: string, dir: string | undefined, opts: { create?: boolean } = {}): Promise<WorkspaceRoot> {
    if (!dir || !dir.startsWith('/')) {
      throw new SandboxError(`The ${kind} sandbox needs an absolute host workspaceDir (got ${JSON.stringify(dir)})`)
    }
    const parts = dir.split('/').filter((p) => p !== '')
    if (parts.some((p) => p === '.' || p === '..')) {
      throw new SandboxError(
        `The ${kind} workspace path ${JSON.stringify(dir)} is not canonical (it has "." or ".." components)`,
      )
    }
    const path = `/${parts.join('/')}`
    const handle = await openPath(path, parts, { create: opts.create ?? true })
    try {
      // what the kernel says we opened: catches a rename of the directory while we walked
      const opened = await fs.readlink(at(handle.fd))
      if (opened !== path) throw new SandboxError(`The workspace path ${path} is not canonical: it is really ${opened}`)
      const st = await handle.stat()
      return new WorkspaceRoot(path, st.dev, st.ino)
    } finally {
      await handle.close()
    }
  }

  /**
   * Opens the workspace directory again by the same O_NOFOLLOW walk and checks it is still the
   * directory `prepare` opened. The caller closes the handle.
   */
  async open(): Promise<FileHandle> {
    const handle = await openPath(
      this.path,
      this.path.split('/').filter((p) => p !== ''),
      { create: false },
    )
    try {
      const st = await handle.stat()
      if (st.dev !== this.dev || st.ino !== this.ino) {
        throw new SandboxError(
          `The workspace ${this.path} was replaced by another directory while the sandbox was open; refused`,
        )
      }
      return handle
    } catch (e) {
      await handle.close()
      throw e
    }
  }

  /** Runs `fn` with an open fd of the workspace directory, closed afterwards. */
  async use<T>(fn: (fd: number) => Promise<T>): Promise<T> {
    const handle = await this.open()
    try {
      return await fn(handle.fd)
    } finally {
      await handle.close()
    }
  }
}

async function openPath(path: string, parts: string[], opts: { create: boolean }): Promise<FileHandle> {
  let handle = await fs.open('/', ROOT_FLAGS)
  try {
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i]!
      const prefix = `/${parts.slice(0, i + 1).join('/')}`
      let opened = await openDirAt(handle.fd, name)
      if (opened.kind === 'missing' && opts.create) {
        await fs.mkdir(at(handle.fd, name)).catch((e: unknown) => {
          if (errnoOf(e) !== 'EEXIST') throw e
        })
        opened = await openDirAt(handle.fd, name)
      }
      switch (opened.kind) {
        case 'dir': {
          const parent = handle
          handle = opened.handle
          await parent.close()
          break
        }
        case 'link':
          throw new SandboxError(
            `The workspace path ${path} is not canonical: ${prefix} is a symbolic link; configure the real path instead`,
          )
        case 'not-dir':
          throw new SandboxError(`The workspace path ${path} cannot be used: ${prefix} is not a directory`)
        case 'missing':
          throw new SandboxError(`The workspace ${path} does not exist (any more)`)
      }
    }
    return handle
  } catch (e) {
    await handle.close()
    throw e
  }
}
