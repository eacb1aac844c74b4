// resolveWorkspacePath on an in-memory filesystem (the e2b-style inspector path) and on the host.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  normalizeWorkspacePath,
  resolveWorkspacePath,
  SandboxPathError,
  type PathEntryInfo,
  type PathInspector,
} from '../src/sandbox/index.ts'

function memoryFs(entries: Record<string, PathEntryInfo>): PathInspector & { calls: string[] } {
  const calls: string[] = []
  return {
    calls,
    lstat: async (p) => {
      calls.push(p)
      return entries[p] ?? null
    },
  }
}

async function reason(p: Promise<unknown>): Promise<string | undefined> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  )
  return e instanceof SandboxPathError ? e.reason : undefined
}

describe('resolveWorkspacePath', () => {
  const ws = '/home/user/ws'
  const tree = memoryFs({
    '/home/user/ws/src': { type: 'dir' },
    '/home/user/ws/src/a.ts': { type: 'file' },
    '/home/user/ws/rel': { type: 'symlink', symlinkTarget: 'src' },
    '/home/user/ws/abs': { type: 'symlink', symlinkTarget: '/home/user/ws/src/a.ts' },
    '/home/user/ws/src/up': { type: 'symlink', symlinkTarget: '../..' },
    '/home/user/ws/hop1': { type: 'symlink', symlinkTarget: 'hop2' },
    '/home/user/ws/hop2': { type: 'symlink', symlinkTarget: 'rel/a.ts' },
    '/home/user/ws/loop1': { type: 'symlink', symlinkTarget: 'loop2' },
    '/home/user/ws/loop2': { type: 'symlink', symlinkTarget: 'loop1' },
    '/home/user/ws/out': { type: 'symlink', symlinkTarget: '/etc' },
    '/home/user/ws/sneaky': { type: 'symlink', symlinkTarget: '/home/user/ws2' },
    // envd may report a symlink with a file type but a target: still treated as a link
    '/home/user/ws/typed': { type: 'file', symlinkTarget: '/etc/shadow' },
  })

  it('resolves plain, missing and in-workspace symlinked paths', async () => {
    expect(await resolveWorkspacePath(ws, 'src/a.ts', tree)).toBe('/home/user/ws/src/a.ts')
    expect(await resolveWorkspacePath(ws, '/home/user/ws/src/new/file.ts', tree)).toBe('/home/user/ws/src/new/file.ts')
    expect(await resolveWorkspacePath(ws, '.', tree)).toBe(ws)
    expect(await resolveWorkspacePath(ws, '', tree)).toBe(ws)
    expect(await resolveWorkspacePath(ws, 'rel/a.ts', tree)).toBe('/home/user/ws/src/a.ts')
    expect(await resolveWorkspacePath(ws, 'abs', tree)).toBe('/home/user/ws/src/a.ts')
    expect(await resolveWorkspacePath(ws, 'hop1', tree)).toBe('/home/user/ws/src/a.ts')
    expect(await resolveWorkspacePath(ws, 'rel/new.ts', tree)).toBe('/home/user/ws/src/new.ts')
  })

  it('refuses escapes with a reason', async () => {
    expect(await reason(resolveWorkspacePath(ws, '../x', tree))).toBe('outside-workspace')
    expect(await reason(resolveWorkspacePath(ws, '/home/user/ws2/x', tree))).toBe('outside-workspace')
    expect(await reason(resolveWorkspacePath(ws, '/etc/passwd', tree))).toBe('outside-workspace')
    expect(await reason(resolveWorkspacePath(ws, 'a\0b', tree))).toBe('invalid-path')
    expect(await reason(resolveWorkspacePath(ws, 'out/passwd', tree))).toBe('symlink-escape')
    expect(await reason(resolveWorkspacePath(ws, 'sneaky/x', tree))).toBe('symlink-escape')
    expect(await reason(resolveWorkspacePath(ws, 'src/up/x', tree))).toBe('symlink-escape')
    expect(await reason(resolveWorkspacePath(ws, 'typed', tree))).toBe('symlink-escape')
    expect(await reason(resolveWorkspacePath(ws, 'loop1', tree))).toBe('too-many-links')
    expect(() => normalizeWorkspacePath(ws, '../../etc')).toThrow(/outside the workspace/)
  })

  it('checks all components in one parallel round when there is no symlink', async () => {
    const t = memoryFs({ '/w/a': { type: 'dir' }, '/w/a/b': { type: 'dir' } })
    expect(await resolveWorkspacePath('/w', 'a/b/c.txt', t)).toBe('/w/a/b/c.txt')
    expect(t.calls).toEqual(['/w/a', '/w/a/b', '/w/a/b/c.txt'])
  })

  it('works on the host filesystem, including a dangling symlink pointing outside', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paths-')))
    try {
      const w = path.join(dir, 'ws')
      fs.mkdirSync(path.join(w, 'd'), { recursive: true })
      fs.symlinkSync(path.join(dir, 'not-yet'), path.join(w, 'dangling'))
      fs.symlinkSync('d', path.join(w, 'ok'))
      expect(await resolveWorkspacePath(w, 'ok/f')).toBe(path.join(w, 'd/f'))
      // writing through it would create a file outside: refused although the target does not exist
      expect(await reason(resolveWorkspacePath(w, 'dangling'))).toBe('symlink-escape')
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
