// The local (bubblewrap) sandbox's boundary as seen by an attacker controlling bash: an
// unprivileged uid, nothing writable but the workspace (and a private /tmp), no host data
// folder visible, no directory fd leaking in, and a workspace path swapped after the sandbox
// opened cannot redirect the mount.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LocalSandboxProvider, SandboxError, type Sandbox } from '../src/sandbox/index.ts'

let dir: string
let ws: string
/** Stands for Runyard's data directory: a host folder right next to the workspace. */
let data: string
let sb: Sandbox

beforeEach(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-boundary-')))
  ws = path.join(dir, 'ws')
  data = path.join(dir, 'data')
  fs.mkdirSync(data)
  fs.writeFileSync(path.join(data, 'runyard.db'), 'DATA-DIR-CONTENT')
  ;({ sandbox: sb } = await new LocalSandboxProvider().open({ sessionId: 'boundary', workspaceDir: ws }))
})
afterEach(async () => {
  await sb.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('local sandbox boundary', () => {
  it('runs bash as an unprivileged user whose files belong to the server outside', async () => {
    const r = await sb.exec(
      'id -u; id -g; mkdir -p priv && echo made > priv/own.txt && chmod 700 priv && chmod 600 priv/own.txt',
    )
    expect(r.exitCode).toBe(0)
    const [uid, gid] = r.stdout.trim().split('\n').map(Number)
    expect(uid).not.toBe(0)
    expect(gid).not.toBe(0)
    if (process.getuid?.() !== 0) expect(uid).toBe(process.getuid?.())
    // outside, the server owns them and can read, change and delete them
    const own = path.join(ws, 'priv', 'own.txt')
    expect(fs.statSync(own).uid).toBe(process.getuid?.())
    expect(await sb.readFile('priv/own.txt')).toBe('made\n')
    await sb.writeFile('priv/own.txt', 'server')
    fs.appendFileSync(own, '!')
    expect((await sb.exec('cat priv/own.txt')).stdout).toBe('server!')
    fs.rmSync(path.join(ws, 'priv'), { recursive: true })
  })

  it('cannot write anywhere but the workspace and its private /tmp; /proc (sysctls) is read-only', async () => {
    const attempts = {
      usr: 'touch /usr/runyard-x',
      etc: 'echo x >> /etc/passwd',
      root: 'touch /runyard-x',
      rootDir: 'mkdir /runyard-x',
      dataFile: `echo x >> ${data}/runyard.db`,
    }
    for (const [what, command] of Object.entries(attempts)) {
      const r = await sb.exec(command)
      expect(r.exitCode, `${what}: ${r.stderr}`).not.toBe(0)
    }
    // under /tmp this lands in the sandbox's private tmpfs, never in the host folder
    await sb.exec(`mkdir -p ${data}/new && touch ${data}/new/x`)
    // the sysctls a root-owned process could write by uid alone (core_pattern runs as host root)
    const sysctl = await sb.exec(
      'test -w /proc/sys/kernel/core_pattern && echo writable; grep " /proc " /proc/self/mounts',
    )
    expect(sysctl.stdout).not.toContain('writable')
    expect(sysctl.stdout).toMatch(/ \/proc proc ro[ ,]/)
    expect(fs.existsSync('/usr/runyard-x')).toBe(false)
    expect(fs.existsSync('/runyard-x')).toBe(false)
    expect(fs.readdirSync(data)).toEqual(['runyard.db'])
    expect(fs.readFileSync(path.join(data, 'runyard.db'), 'utf8')).toBe('DATA-DIR-CONTENT')

    const ok = await sb.exec('touch in-ws && touch /tmp/scratch')
    expect(ok.exitCode).toBe(0)
    expect(fs.existsSync(path.join(ws, 'in-ws'))).toBe(true)
  })

  it('cannot see a host data folder next to the workspace', async () => {
    const ls = await sb.exec(`ls ${data}`)
    expect(ls.exitCode).not.toBe(0)
    const cat = await sb.exec(`cat ${data}/runyard.db`)
    expect(cat.exitCode).not.toBe(0)
    expect(cat.stdout).not.toContain('DATA-DIR-CONTENT')
    // the workspace's parent holds nothing but the workspace mount point
    expect((await sb.exec(`ls -A ${dir}`)).stdout).toBe('ws\n')
  })

  it('gets no directory fd from the host (an fd of the workspace would lead out through "..")', async () => {
    const r = await sb.exec(
      'for f in /proc/$$/fd/*; do [ -d "$f" ] && echo "dir fd: $f -> $(readlink "$f")"; done; true',
    )
    expect(r).toMatchObject({ exitCode: 0, stdout: '' })
  })

  it('a workspace swapped for a symlink after opening: exec refuses, nothing lands outside', async () => {
    const elsewhere = path.join(dir, 'elsewhere')
    fs.mkdirSync(elsewhere)
    fs.renameSync(ws, `${ws}.orig`)
    fs.symlinkSync(elsewhere, ws)
    const e = await sb.exec('touch landed').then(
      () => undefined,
      (err: unknown) => err,
    )
    expect(e).toBeInstanceOf(SandboxError)
    expect((e as Error).message).toMatch(/not canonical/)
    expect(fs.readdirSync(elsewhere)).toEqual([])
  })

  it('refuses a workspace path that goes through a symlink', async () => {
    fs.symlinkSync(dir, path.join(dir, 'alias'))
    await expect(
      new LocalSandboxProvider().open({ sessionId: 'alias', workspaceDir: path.join(dir, 'alias', 'ws') }),
    ).rejects.toThrow(/not canonical/)
  })

  const bwrapHelp = (() => {
    try {
      return execFileSync('bwrap', ['--help'], { encoding: 'utf8' })
    } catch {
      return ''
    }
  })()
  it.runIf(bwrapHelp.includes('--disable-userns'))('reports why when user namespaces are unavailable', () => {
    const entry = fileURLToPath(new URL('../src/sandbox/index.ts', import.meta.url))
    const script = path.join(dir, 'probe.mts')
    fs.writeFileSync(
      script,
      `import { LocalSandboxProvider } from ${JSON.stringify(entry)}\n` +
        `console.log(JSON.stringify(await new LocalSandboxProvider().available()))\n`,
    )
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url))
    // the probe runs where creating a user namespace fails (an outer bwrap forbids it)
    const out = execFileSync(
      'bwrap',
      ['--unshare-user', '--disable-userns', '--dev-bind', '/', '/', '--', tsx, script],
      { encoding: 'utf8' },
    )
    const verdict = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { ok: boolean; reason?: string }
    expect(verdict.ok).toBe(false)
    expect(verdict.reason).toMatch(/namespace/i)
  })
})
