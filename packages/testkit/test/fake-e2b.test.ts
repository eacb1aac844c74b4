// The real `e2b` SDK against the fake: if these pass, the fake speaks the SDK's protocol.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { CommandExitError, FileNotFoundError, Sandbox } from 'e2b'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeE2B, type FakeE2B } from '../src/fake-e2b/index.ts'

let fake: FakeE2B

beforeAll(async () => {
  fake = await startFakeE2B()
})
afterAll(async () => {
  await fake?.close()
})

function hostProcessAlive(marker: string): boolean {
  try {
    execFileSync('pgrep', ['-f', marker])
    return true
  } catch {
    return false
  }
}

describe('fake E2B with the real e2b SDK', () => {
  it('creates a sandbox and runs commands (stdout, stderr, exit code, envs, cwd)', async () => {
    const sbx = await Sandbox.create({ ...fake.connectionOpts, envs: { FROM_SANDBOX: 'sbx' } })
    expect(fake.sandboxes.get(sbx.sandboxId)?.state).toBe('running')

    const hi = await sbx.commands.run('echo hi')
    expect(hi).toMatchObject({ exitCode: 0, stdout: 'hi\n', stderr: '' })

    const chunks: string[] = []
    const both = await sbx.commands.run('echo out; echo err >&2', { onStdout: (c) => void chunks.push(c) })
    expect(both.stdout).toBe('out\n')
    expect(both.stderr).toBe('err\n')
    expect(chunks.join('')).toBe('out\n')

    const env = await sbx.commands.run('echo "$FOO-$FROM_SANDBOX"', { envs: { FOO: 'bar' } })
    expect(env.stdout).toBe('bar-sbx\n')

    await sbx.files.makeDir('/home/user/proj/sub')
    const cwd = await sbx.commands.run('basename "$PWD"', { cwd: '/home/user/proj/sub' })
    expect(cwd.stdout).toBe('sub\n')

    const err = await sbx.commands.run('echo partial; exit 3').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(CommandExitError)
    expect((err as CommandExitError).exitCode).toBe(3)
    expect((err as CommandExitError).stdout).toBe('partial\n')

    // a missing cwd is an error, not a silent run elsewhere
    await expect(sbx.commands.run('true', { cwd: '/nope' })).rejects.toThrow(/does not exist/)
    await sbx.kill()
  })

  it('runs a background command and kills it (whole process group)', async () => {
    const sbx = await Sandbox.create({ ...fake.connectionOpts })
    const marker = `30.${Date.now() % 100000}7`
    const handle = await sbx.commands.run(`sleep ${marker} & sleep ${marker}; echo never`, { background: true })
    expect(handle.pid).toBeGreaterThan(0)
    expect((await sbx.commands.list()).map((p) => p.pid)).toContain(handle.pid)
    expect(hostProcessAlive(`sleep ${marker}`)).toBe(true)

    expect(await handle.kill()).toBe(true)
    const waited = await handle.wait().catch((e: unknown) => e)
    expect(waited).toBeInstanceOf(CommandExitError)
    expect((waited as CommandExitError).exitCode).toBe(-1)
    expect((waited as CommandExitError).stdout).toBe('')
    expect(hostProcessAlive(`sleep ${marker}`)).toBe(false)
    expect(fake.sandboxes.get(sbx.sandboxId)?.processes.get(handle.pid)?.running).toBe(false)
    expect(await sbx.commands.kill(handle.pid)).toBe(false)
    await sbx.kill()
  })

  it('writes, reads and lists files, and commands see them', async () => {
    const sbx = await Sandbox.create({ ...fake.connectionOpts })
    await sbx.files.write('/home/user/app/hello.sh', 'echo "héllo from file"\n')
    expect(await sbx.files.read('/home/user/app/hello.sh')).toBe('echo "héllo from file"\n')
    const ran = await sbx.commands.run('bash hello.sh', { cwd: '/home/user/app' })
    expect(ran.stdout).toBe('héllo from file\n')

    // relative paths resolve against the user's home, as in E2B
    await sbx.files.write('notes.txt', 'n')
    expect(await sbx.files.exists('/home/user/notes.txt')).toBe(true)
    expect(fs.readFileSync(path.join(fake.sandboxes.get(sbx.sandboxId)!.rootDir, 'home/user/notes.txt'), 'utf8')).toBe(
      'n',
    )

    await sbx.files.write([
      { path: '/home/user/app/a.txt', data: 'A' },
      { path: '/home/user/app/nested/b.txt', data: 'B' },
    ])
    await sbx.commands.run('ln -s a.txt link', { cwd: '/home/user/app' })
    const entries = await sbx.files.list('/home/user/app')
    expect(entries.map((e) => [e.name, e.type])).toEqual([
      ['a.txt', 'file'],
      ['hello.sh', 'file'],
      ['link', 'symlink'],
      ['nested', 'dir'],
    ])
    expect(entries.find((e) => e.name === 'link')?.symlinkTarget).toBe('/home/user/app/a.txt')
    const deep = await sbx.files.list('/home/user/app', { depth: 2 })
    expect(deep.map((e) => e.path)).toContain('/home/user/app/nested/b.txt')

    const info = await sbx.files.getInfo('/home/user/app/a.txt')
    expect(info).toMatchObject({ type: 'file', size: 1, path: '/home/user/app/a.txt' })
    expect(await sbx.files.makeDir('/home/user/app/nested')).toBe(false)
    await sbx.files.rename('/home/user/app/a.txt', '/home/user/app/moved/a.txt')
    expect(await sbx.files.read('/home/user/app/moved/a.txt')).toBe('A')
    await sbx.files.remove('/home/user/app/moved')
    expect(await sbx.files.exists('/home/user/app/moved')).toBe(false)
    await expect(sbx.files.read('/home/user/missing.txt')).rejects.toBeInstanceOf(FileNotFoundError)
    await sbx.kill()
  })

  it('connects to an existing sandbox, pauses/resumes it, and kills it', async () => {
    const first = await Sandbox.create({ ...fake.connectionOpts })
    await first.files.write('/home/user/state.txt', 'kept')

    const again = await Sandbox.connect(first.sandboxId, { ...fake.connectionOpts })
    expect(again.sandboxId).toBe(first.sandboxId)
    expect((await again.commands.run('cat state.txt')).stdout).toBe('kept')

    const listed = await Sandbox.list({ ...fake.connectionOpts }).nextItems()
    expect(listed.map((s) => s.sandboxId)).toContain(first.sandboxId)

    expect(await again.pause()).toBe(true)
    expect(fake.sandboxes.get(first.sandboxId)?.state).toBe('paused')
    expect(await again.isRunning()).toBe(false)
    const resumed = await Sandbox.connect(first.sandboxId, { ...fake.connectionOpts })
    expect(fake.sandboxes.get(first.sandboxId)?.state).toBe('running')
    expect((await resumed.commands.run('cat state.txt')).stdout).toBe('kept')

    await resumed.setTimeout(120_000)
    expect(await resumed.kill()).toBe(true)
    expect(fake.sandboxes.get(first.sandboxId)?.state).toBe('killed')
    expect(await Sandbox.kill(first.sandboxId, { ...fake.connectionOpts })).toBe(false)
    await expect(Sandbox.connect(first.sandboxId, { ...fake.connectionOpts })).rejects.toThrow(/not found/)
  })

  it('rejects a wrong API key', async () => {
    await expect(Sandbox.create({ ...fake.connectionOpts, apiKey: 'wrong' })).rejects.toThrow(/Invalid API key|401/)
  })
})
