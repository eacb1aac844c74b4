// envd's `filesystem.Filesystem` Connect service (unary methods only), on the sandbox's temp dir.
import type { IncomingMessage, ServerResponse } from 'node:http'
import fs from 'node:fs/promises'
import path from 'node:path'
import { ConnectRpcError, sendUnary } from './connect-rpc.ts'
import { num, readBody, str } from './http-util.ts'
import type { FakeSandbox } from './sandbox-state.ts'

function permString(st: { mode: number }, kind: 'file' | 'dir' | 'symlink'): string {
  const bits = 'rwxrwxrwx'
  let out = ''
  for (let i = 0; i < 9; i++) out += st.mode & (1 << (8 - i)) ? bits[i] : '-'
  // Go's FileMode.String(): 'd' for directories, 'L' for symlinks
  return (kind === 'dir' ? 'd' : kind === 'symlink' ? 'L' : '-') + out
}

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code
}

/** EntryInfo in proto3 JSON; `hostPath` is not followed if it is a symlink. */
export async function entryInfo(sbx: FakeSandbox, hostPath: string): Promise<Record<string, unknown>> {
  const st = await fs.lstat(hostPath)
  const kind = st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'dir' : 'file'
  const sandboxPath = sbx.sandboxPath(hostPath)
  const entry: Record<string, unknown> = {
    name: path.basename(hostPath),
    type: kind === 'symlink' ? 'FILE_TYPE_SYMLINK' : kind === 'dir' ? 'FILE_TYPE_DIRECTORY' : 'FILE_TYPE_FILE',
    path: sandboxPath,
    size: String(st.size),
    mode: st.mode & 0o7777,
    permissions: permString(st, kind),
    owner: 'user',
    group: 'user',
    modifiedTime: st.mtime.toISOString(),
  }
  if (kind === 'symlink') {
    const raw = await fs.readlink(hostPath)
    // Absolute targets are host paths (commands run on the host); map the ones under the
    // sandbox root back into the sandbox's view, leave the rest (they point "outside").
    entry.symlinkTarget = path.isAbsolute(raw)
      ? sbx.sandboxPath(raw)
      : path.posix.resolve(path.posix.dirname(sandboxPath), raw)
  }
  return entry
}

async function statOrNotFound(sbx: FakeSandbox, hostPath: string, shown: string): Promise<Record<string, unknown>> {
  try {
    return await entryInfo(sbx, hostPath)
  } catch (e) {
    if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR')
      throw new ConnectRpcError('not_found', `path '${shown}' does not exist`)
    throw e
  }
}

async function listDir(sbx: FakeSandbox, dir: string, depth: number, out: Record<string, unknown>[]): Promise<void> {
  const names = (await fs.readdir(dir)).sort()
  for (const name of names) {
    const child = path.join(dir, name)
    const entry = await entryInfo(sbx, child)
    out.push(entry)
    if (depth > 1 && entry.type === 'FILE_TYPE_DIRECTORY') await listDir(sbx, child, depth - 1, out)
  }
}

export async function handleFilesystemRpc(
  sbx: FakeSandbox,
  method: string,
  user: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as Record<string, unknown>
  const p = str(body.path) ?? ''
  const hostPath = sbx.hostPath(p, user)
  switch (method) {
    case 'Stat':
      return sendUnary(res, { entry: await statOrNotFound(sbx, hostPath, p) })
    case 'MakeDir': {
      try {
        await fs.lstat(hostPath)
        throw new ConnectRpcError('already_exists', `path '${p}' already exists`)
      } catch (e) {
        if (e instanceof ConnectRpcError) throw e
      }
      await fs.mkdir(hostPath, { recursive: true })
      return sendUnary(res, { entry: await entryInfo(sbx, hostPath) })
    }
    case 'ListDir': {
      const depth = num(body.depth) ?? 1
      let st
      try {
        st = await fs.stat(hostPath)
      } catch {
        throw new ConnectRpcError('not_found', `directory '${p}' does not exist`)
      }
      if (!st.isDirectory()) throw new ConnectRpcError('invalid_argument', `path '${p}' is not a directory`)
      const entries: Record<string, unknown>[] = []
      await listDir(sbx, hostPath, Math.max(1, depth), entries)
      return sendUnary(res, { entries })
    }
    case 'Remove':
      await fs.rm(hostPath, { recursive: true, force: true })
      return sendUnary(res, {})
    case 'Move': {
      const src = str(body.source) ?? ''
      const dst = str(body.destination) ?? ''
      const hostSrc = sbx.hostPath(src, user)
      const hostDst = sbx.hostPath(dst, user)
      await statOrNotFound(sbx, hostSrc, src)
      await fs.mkdir(path.dirname(hostDst), { recursive: true })
      await fs.rename(hostSrc, hostDst)
      return sendUnary(res, { entry: await entryInfo(sbx, hostDst) })
    }
  }
  throw new ConnectRpcError('unimplemented', `filesystem.Filesystem/${method} is not implemented by the fake`)
}
