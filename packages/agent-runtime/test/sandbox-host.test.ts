import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { HOST_SANDBOX_WARNING, HostSandboxProvider } from '../src/sandbox/index.ts'
import { describeSandboxContract, SESSION_ENV } from './sandbox-contract.ts'

async function openHost() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-host-'))
  const { sandbox, sandboxState } = await new HostSandboxProvider().open({
    sessionId: 's-host',
    workspaceDir: path.join(dir, 'ws'),
    env: SESSION_ENV,
  })
  return {
    sandbox,
    sandboxState,
    cleanup: async () => {
      await sandbox.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

describeSandboxContract('host', openHost)

describe('host sandbox specifics', () => {
  it('is available, labelled unsafe, and keeps the server env out of commands', async () => {
    const provider = new HostSandboxProvider()
    expect(await provider.available()).toEqual({ ok: true })
    expect(HOST_SANDBOX_WARNING).toMatch(/no isolation/)
    process.env.RUNYARD_TEST_SERVER_SECRET = 'leak'
    const ctx = await openHost()
    try {
      expect(ctx.sandboxState).toEqual({ kind: 'host', workspaceDir: ctx.sandbox.workspaceDir })
      const r = await ctx.sandbox.exec('echo "[$RUNYARD_TEST_SERVER_SECRET]"; echo "$HOME"')
      expect(r.stdout).toBe(`[]\n${ctx.sandbox.workspaceDir}\n`)
    } finally {
      delete process.env.RUNYARD_TEST_SERVER_SECRET
      await ctx.cleanup()
    }
  })

  it('has the host network (the contrast to the local sandbox)', async () => {
    const server = net.createServer((s) => s.end('pong\n'))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as net.AddressInfo).port
    const ctx = await openHost()
    try {
      const r = await ctx.sandbox.exec(`exec 3<>/dev/tcp/127.0.0.1/${port} && cat <&3`)
      expect(r).toMatchObject({ exitCode: 0, stdout: 'pong\n' })
    } finally {
      await ctx.cleanup()
      server.close()
    }
  })

  it('requires an absolute workspaceDir', async () => {
    await expect(new HostSandboxProvider().open({ sessionId: 's' })).rejects.toThrow(/absolute host workspaceDir/)
  })
})
