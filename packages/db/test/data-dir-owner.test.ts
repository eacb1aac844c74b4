// Claiming a data directory (data-dir-owner.ts) where the file system has no hard links (CIFS/SMB
// without Unix extensions, exFAT, some FUSE mounts: link() fails with EPERM or EOPNOTSUPP), which
// PostgreSQL itself does without: the claim is still made, exclusively, and a live owner's claim
// is still respected.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { claimDataDir, ownerFile, releaseDataDir } from '../src/data-dir-owner.ts'
import { tempDataDir } from '../src/index.ts'

const dirs: string[] = []
function newDataDir(): string {
  const dir = tempDataDir('runyard-owner-')
  fs.mkdirSync(dir, { recursive: true })
  dirs.push(dir)
  return dir
}

afterEach(() => {
  vi.restoreAllMocks()
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

function withoutHardLinks(code: 'EPERM' | 'EOPNOTSUPP') {
  vi.spyOn(fs, 'linkSync').mockImplementation((from, to) => {
    throw Object.assign(new Error(`${code}: operation not permitted, link '${String(from)}' -> '${String(to)}'`), {
      code,
    })
  })
}

describe.each(['EPERM', 'EOPNOTSUPP'] as const)('on a file system without hard links (%s)', (code) => {
  it('claims a free data directory, and releases it', () => {
    const dir = newDataDir()
    withoutHardLinks(code)
    expect(claimDataDir(dir)).toEqual({ owned: true })
    expect(fs.readFileSync(ownerFile(dir), 'utf8').split('\n')[0]).toBe(String(process.pid))
    expect(claimDataDir(dir)).toEqual({ owned: true }) // again: it is this process's
    releaseDataDir(dir)
    expect(fs.existsSync(ownerFile(dir))).toBe(false)
    expect(fs.readdirSync(dir)).toEqual([]) // nothing left behind
  })

  it("claims a dead owner's directory, and refuses a live owner's", () => {
    const dir = newDataDir()
    withoutHardLinks(code)
    fs.writeFileSync(ownerFile(dir), '2147483646\n') // no such process
    expect(claimDataDir(dir)).toEqual({ owned: true })
    fs.writeFileSync(ownerFile(dir), `${process.ppid}\n`) // a live process
    expect(claimDataDir(dir)).toEqual({ owned: false, pid: process.ppid })
    expect(fs.readFileSync(path.join(dir, 'owner.pid'), 'utf8')).toBe(`${process.ppid}\n`)
  })
})
