// The host-side file walk (local and host providers): symlinks inside the workspace are
// followed, symlinks out of it refused, and the odd cases (dangling links, loops, a file used
// as a directory, a FIFO, a non-canonical or swapped workspace path) end in clear errors —
// without leaking fds. Runs through the host provider: same file code as local, no bwrap.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  HostSandboxProvider,
  SandboxError,
  SandboxFileNotFoundError,
  SandboxPathError,
  type Sandbox,
} from '../src/sandbox/index.ts'

let dir: string
let ws: string
let outside: string
let sb: Sandbox

beforeEach(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-walk-')))
  ws = path.join(dir, 'ws')
  outside = path.join(dir, 'outside')
  fs.mkdirSync(path.join(ws, 'd', 'sub'), { recursive: true })
  fs.mkdirSync(outside)
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'OUTSIDE')
  fs.writeFileSync(path.join(ws, 'd', 'f.txt'), 'inside')
  fs.writeFileSync(path.join(ws, 'file.txt'), 'plain')
  ;({ sandbox: sb } = await new HostSandboxProvider().open({ sessionId: 'walk', workspaceDir: ws }))
})
afterEach(async () => {
  await sb.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => undefined,
    (e: unknown) => e,
  )
}

async function reason(p: Promise<unknown>): Promise<string | undefined> {
  const e = await failure(p)
  return e instanceof SandboxPathError ? e.reason : undefined
}

const link = (target: string, name: string) => fs.symlinkSync(target, path.join(ws, name))
const openFds = () => fs.readdirSync('/proc/self/fd').length

describe('host file walk', () => {
  it('follows symlinks that stay inside the workspace, relative, absolute and chained', async () => {
    link('d', 'rel')
    link(path.join(ws, 'd'), 'abs')
    link('rel/sub', 'chain')
    link('.', 'self')
    link('../f.txt', path.join('d', 'sub', 'up'))
    expect(await sb.readFile('rel/f.txt')).toBe('inside')
    expect(await sb.readFile('abs/f.txt')).toBe('inside')
    expect(await sb.readFile('self/self/d/f.txt')).toBe('inside')
    expect(await sb.readFile('d/sub/up')).toBe('inside')
    await sb.writeFile('chain/new/deep.txt', 'created')
    expect(fs.readFileSync(path.join(ws, 'd', 'sub', 'new', 'deep.txt'), 'utf8')).toBe('created')
    expect(await sb.stat('chain/new')).toMatchObject({ path: 'd/sub/new', type: 'dir' })
    expect(await sb.stat('self')).toMatchObject({ path: '.', type: 'dir' })
    expect(await sb.list('rel')).toEqual([
      { path: 'd/f.txt', type: 'file' },
      { path: 'd/sub', type: 'dir' },
    ])
    expect(await sb.resolvePath('chain/missing/x')).toBe(path.join(ws, 'd/sub/missing/x'))
    expect((await sb.exec('pwd', { cwd: 'chain' })).stdout).toBe(`${path.join(ws, 'd/sub')}\n`)
  })

  it('refuses symlinks pointing out, at any position, for every operation', async () => {
    link(outside, 'out')
    link('../outside/secret.txt', 'leak')
    link('d/../../outside', 'sneaky')
    link('out', 'via')
    for (const p of ['out/secret.txt', 'leak', 'sneaky/secret.txt', 'via/secret.txt']) {
      expect(await reason(sb.readFile(p)), p).toBe('symlink-escape')
      expect(await reason(sb.writeFile(p, 'no')), p).toBe('symlink-escape')
      expect(await reason(sb.stat(p)), p).toBe('symlink-escape')
      expect(await reason(sb.resolvePath(p)), p).toBe('symlink-escape')
    }
    expect(await reason(sb.writeFile('out/new/x.txt', 'no'))).toBe('symlink-escape')
    expect(await reason(sb.list('out'))).toBe('symlink-escape')
    expect(await reason(sb.exec('pwd', { cwd: 'via' }))).toBe('symlink-escape')
    const e = await failure(sb.readFile('via/secret.txt'))
    // `via` points to `out`, inside; `out` is the link that leaves
    expect((e as Error).message).toMatch(/symlink "out" which points outside the workspace/)
    // listing the workspace shows the links, never what is behind them
    const all = await sb.list('.', { recursive: true })
    expect(all.filter((x) => x.type === 'symlink').map((x) => x.path)).toEqual(['leak', 'out', 'sneaky', 'via'])
    expect(all.some((x) => x.path.includes('secret'))).toBe(false)
    expect(fs.readdirSync(outside)).toEqual(['secret.txt'])
    expect(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('OUTSIDE')
  })

  it('dangling symlinks: inside ones are created through, outside ones refused', async () => {
    link('d/later.txt', 'dangling-in')
    link(path.join(outside, 'later.txt'), 'dangling-out')
    link('d/newdir/x.txt', 'dangling-deep')
    await expect(sb.readFile('dangling-in')).rejects.toBeInstanceOf(SandboxFileNotFoundError)
    expect(await sb.stat('dangling-in')).toBeNull()
    await sb.writeFile('dangling-in', 'through')
    expect(fs.readFileSync(path.join(ws, 'd', 'later.txt'), 'utf8')).toBe('through')
    await sb.writeFile('dangling-deep', 'deep')
    expect(fs.readFileSync(path.join(ws, 'd', 'newdir', 'x.txt'), 'utf8')).toBe('deep')
    expect(await reason(sb.writeFile('dangling-out', 'no'))).toBe('symlink-escape')
    expect(await reason(sb.stat('dangling-out'))).toBe('symlink-escape')
    expect(fs.existsSync(path.join(outside, 'later.txt'))).toBe(false)
  })

  it('stops symlink loops', async () => {
    link('loop2', 'loop1')
    link('loop1', 'loop2')
    link('me', 'me')
    link('grow/x', 'grow')
    for (const p of ['loop1', 'loop2/x', 'me', 'grow']) {
      expect(await reason(sb.readFile(p)), p).toBe('too-many-links')
      expect(await reason(sb.writeFile(p, 'x')), p).toBe('too-many-links')
      expect(await reason(sb.stat(p)), p).toBe('too-many-links')
    }
    expect(await reason(sb.list('loop1'))).toBe('too-many-links')
  })

  it('a file used as a directory: not found for reads, a clear error for writes and lists', async () => {
    await expect(sb.readFile('file.txt/x')).rejects.toBeInstanceOf(SandboxFileNotFoundError)
    expect(await sb.stat('file.txt/x')).toBeNull()
    expect(await sb.resolvePath('file.txt/x')).toBe(path.join(ws, 'file.txt/x'))
    await expect(sb.writeFile('file.txt/x', 'no')).rejects.toThrow(/not a directory/)
    await expect(sb.list('file.txt')).rejects.toThrow(/not a directory/)
    await expect(sb.exec('pwd', { cwd: 'file.txt' })).rejects.toThrow(/does not exist/)
    await expect(sb.readFile('d')).rejects.toThrow(/is a directory/)
    await expect(sb.writeFile('d', 'x')).rejects.toThrow(/is a directory/)
    expect(fs.readFileSync(path.join(ws, 'file.txt'), 'utf8')).toBe('plain')
  })

  it('refuses a FIFO instead of blocking on it', async () => {
    execFileSync('mkfifo', [path.join(ws, 'pipe')])
    await expect(sb.readFile('pipe')).rejects.toThrow(/not a regular file/)
    await expect(sb.writeFile('pipe', 'x')).rejects.toThrow(/not a regular file/)
  })

  it('closes every fd it opens, on success and on failure', async () => {
    link(outside, 'out')
    link('d', 'rel')
    link('loop', 'loop')
    const round = async () => {
      await sb.readFile('rel/f.txt')
      await sb.writeFile('rel/sub/w/x.txt', 'x')
      await sb.list('.', { recursive: true })
      await sb.stat('rel/sub')
      await failure(sb.readFile('out/secret.txt'))
      await failure(sb.readFile('loop'))
      await failure(sb.readFile('rel/missing/x'))
      await failure(sb.list('file.txt'))
      await sb.exec('true', { cwd: 'rel' })
    }
    await round()
    const before = openFds()
    for (let i = 0; i < 20; i++) await round()
    expect(openFds()).toBe(before)
  })
})

describe('the workspace path', () => {
  it('is refused when it goes through a symlink or has . / .. components; nothing is created behind the link', async () => {
    fs.symlinkSync(outside, path.join(dir, 'alias'))
    const provider = new HostSandboxProvider()
    for (const bad of [path.join(dir, 'alias', 'ws2'), path.join(dir, 'alias'), `${dir}/ws/../ws`, `${dir}/./ws`]) {
      const e = await failure(provider.open({ sessionId: 'bad', workspaceDir: bad }))
      expect(e, bad).toBeInstanceOf(SandboxError)
      expect((e as Error).message, bad).toMatch(/not canonical/)
    }
    expect(fs.readdirSync(outside)).toEqual(['secret.txt'])
  })

  it('creates a missing workspace, parents included', async () => {
    const fresh = path.join(dir, 'a', 'b', 'ws')
    const { sandbox } = await new HostSandboxProvider().open({ sessionId: 'fresh', workspaceDir: fresh })
    await sandbox.writeFile('x.txt', 'x')
    expect(fs.readFileSync(path.join(fresh, 'x.txt'), 'utf8')).toBe('x')
    await sandbox.close()
  })

  it('swapped for a symlink (or another directory) after the sandbox opened: every operation refuses', async () => {
    fs.renameSync(ws, `${ws}.orig`)
    fs.symlinkSync(outside, ws)
    const ops = [
      () => sb.readFile('secret.txt'),
      () => sb.writeFile('evil.txt', 'x'),
      () => sb.list('.'),
      () => sb.stat('secret.txt'),
      () => sb.exec('touch evil2.txt'),
    ]
    for (const op of ops) {
      const e = await failure(op())
      expect(e).toBeInstanceOf(SandboxError)
      expect((e as Error).message).toMatch(/not canonical/)
    }
    fs.unlinkSync(ws)
    fs.mkdirSync(ws)
    await expect(sb.readFile('d/f.txt')).rejects.toThrow(/replaced by another directory/)
    expect(fs.readdirSync(outside)).toEqual(['secret.txt'])
  })
})
