import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { LocalSandboxProvider, SandboxUnavailableError } from '../src/sandbox/index.ts'
import { describeSandboxContract, SESSION_ENV } from './sandbox-contract.ts'

async function openLocal(opts: ConstructorParameters<typeof LocalSandboxProvider>[0] = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-local-'))
  const { sandbox, sandboxState } = await new LocalSandboxProvider(opts).open({
    sessionId: 's-local',
    workspaceDir: path.join(dir, 'ws'),
    env: SESSION_ENV,
  })
  return {
    sandbox,
    sandboxState,
    dir,
    cleanup: async () => {
      await sandbox.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

describeSandboxContract('local (bubblewrap)', openLocal)

describe('local sandbox isolation', () => {
  it('detects that bubblewrap works here', async () => {
    expect(await new LocalSandboxProvider().available()).toEqual({ ok: true })
  })

  const canDropRoot = process.getuid?.() === 0 && fs.existsSync('/usr/sbin/runuser')
  it.runIf(canDropRoot)('works for an unprivileged user too (probe and exec as nobody)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-unpriv-'))
    fs.chmodSync(dir, 0o777)
    try {
      const entry = fileURLToPath(new URL('../src/sandbox/index.ts', import.meta.url))
      const script = path.join(dir, 'check.mts')
      fs.writeFileSync(
        script,
        `import { LocalSandboxProvider } from ${JSON.stringify(entry)}\n` +
          `const p = new LocalSandboxProvider()\n` +
          `const a = await p.available()\n` +
          `const { sandbox } = await p.open({ sessionId: 'u', workspaceDir: ${JSON.stringify(path.join(dir, 'ws'))} })\n` +
          `const r = await sandbox.exec('id -u; touch made; touch /usr/x 2>/dev/null || echo ro')\n` +
          `console.log(JSON.stringify({ a, r }))\n`,
      )
      const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url))
      const out = execFileSync('/usr/sbin/runuser', ['-u', 'nobody', '--', tsx, script], { encoding: 'utf8' })
      const { a, r } = JSON.parse(out.trim().split('\n').pop() ?? '{}')
      expect(a).toEqual({ ok: true })
      expect(r).toMatchObject({ exitCode: 0, stdout: '65534\nro\n' })
      expect(fs.statSync(path.join(dir, 'ws', 'made')).uid).toBe(65534)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('reports a missing bwrap clearly and refuses to open', async () => {
    const provider = new LocalSandboxProvider({ bwrapPath: '/nonexistent/bwrap' })
    const a = await provider.available()
    expect(a.ok).toBe(false)
    expect(!a.ok && a.reason).toMatch(/nonexistent\/bwrap/)
    await expect(provider.open({ sessionId: 's', workspaceDir: '/tmp/never' })).rejects.toBeInstanceOf(
      SandboxUnavailableError,
    )
  })

  it('has no network: a TCP server on the host loopback is unreachable', async () => {
    let connections = 0
    const server = net.createServer((s) => {
      connections++
      s.end('pong\n')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as net.AddressInfo).port
    const ctx = await openLocal()
    try {
      const r = await ctx.sandbox.exec(`exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3`)
      expect(r.exitCode).not.toBe(0)
      expect(r.stdout).toBe('')
      expect(connections).toBe(0)
      // with network explicitly allowed, the same command works (so the check above is meaningful)
      const open = await openLocal({ allowNetwork: true })
      try {
        const ok = await open.sandbox.exec(`exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3`)
        expect(ok).toMatchObject({ exitCode: 0, stdout: 'pong\n' })
      } finally {
        await open.cleanup()
      }
    } finally {
      await ctx.cleanup()
      server.close()
    }
  })

  it('cannot write outside the workspace; /tmp is private; the server env does not leak', async () => {
    const ctx = await openLocal()
    const marker = `runyard-local-${process.pid}-${Date.now()}`
    process.env.RUNYARD_TEST_SERVER_SECRET = 'leak'
    try {
      const usr = await ctx.sandbox.exec('touch /usr/x')
      expect(usr.exitCode).not.toBe(0)
      expect(usr.stderr).toMatch(/Read-only file system|Permission denied/)
      expect(fs.existsSync('/usr/x')).toBe(false)

      const parent = await ctx.sandbox.exec(`touch ../${marker} /tmp/${marker} && ls /tmp`)
      expect(parent.exitCode).toBe(0) // lands in the sandbox's private tmpfs, not on the host
      expect(fs.existsSync(path.join(ctx.dir, marker))).toBe(false)
      expect(fs.existsSync(path.join('/tmp', marker))).toBe(false)

      const etc = await ctx.sandbox.exec(`echo x >> /etc/passwd`)
      expect(etc.exitCode).not.toBe(0)

      const env = await ctx.sandbox.exec('echo "[$RUNYARD_TEST_SERVER_SECRET]"; echo "$HOME"')
      expect(env.stdout).toBe(`[]\n${ctx.sandbox.workspaceDir}\n`)

      const ws = await ctx.sandbox.exec(`touch in-ws-${marker}`)
      expect(ws.exitCode).toBe(0)
      expect(fs.existsSync(path.join(ctx.sandbox.workspaceDir, `in-ws-${marker}`))).toBe(true)
    } finally {
      delete process.env.RUNYARD_TEST_SERVER_SECRET
      await ctx.cleanup()
    }
  })

  it('only sees its own processes (pid namespace)', async () => {
    const ctx = await openLocal()
    try {
      const r = await ctx.sandbox.exec('ls /proc | grep -c "^[0-9]"')
      expect(Number(r.stdout.trim())).toBeLessThan(10)
    } finally {
      await ctx.cleanup()
    }
  })
})
