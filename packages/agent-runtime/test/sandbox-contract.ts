// Behaviour every Sandbox provider must have; each provider's test file runs this suite.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { processAlive, uniqueSleep } from './support/processes.ts'
import {
  SandboxAbortError,
  SandboxError,
  SandboxFileNotFoundError,
  SandboxPathError,
  type Sandbox,
} from '../src/sandbox/index.ts'

export interface ContractContext {
  sandbox: Sandbox
  /** Releases everything the setup created. */
  cleanup(): Promise<void>
  /**
   * How a sandbox path appears to commands (e.g. in `pwd`). Identity for real sandboxes; the
   * fake E2B runs commands on the host inside a temp dir, so there it maps into that dir.
   */
  pathSeenByCommands?(sandboxPath: string): string
}

/** Session env every provider must inject into commands. */
export const SESSION_ENV = { RUNYARD_API_KEY: 'ryk_test_123', RUNYARD_API_URL: 'http://runyard.test' }

export function describeSandboxContract(name: string, setup: () => Promise<ContractContext>): void {
  describe(`${name} sandbox: shared contract`, () => {
    let ctx: ContractContext
    let sb: Sandbox
    let outsideDir: string
    let outsideFile: string
    const seen = (p: string): string => ctx.pathSeenByCommands?.(p) ?? p

    beforeAll(async () => {
      ctx = await setup()
      sb = ctx.sandbox
      outsideDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-outside-'))
      outsideFile = path.join(outsideDir, 'secret.txt')
      fs.writeFileSync(outsideFile, 'outside secret')
    })
    afterAll(async () => {
      await ctx?.cleanup()
      if (outsideDir) fs.rmSync(outsideDir, { recursive: true, force: true })
    })

    it('runs commands: stdout, stderr, exit code (non-zero is returned, not thrown), streaming', async () => {
      const out: string[] = []
      const err: string[] = []
      const r = await sb.exec('echo out; echo err >&2; exit 3', {
        onStdout: (c) => out.push(c),
        onStderr: (c) => err.push(c),
      })
      expect(r).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n', timedOut: false, truncated: false })
      expect(out.join('')).toBe('out\n')
      expect(err.join('')).toBe('err\n')
      expect((await sb.exec('true')).exitCode).toBe(0)
    })

    it('injects the session env and per-command env, and runs in the workspace', async () => {
      const r = await sb.exec('echo "$RUNYARD_API_KEY|$RUNYARD_API_URL|$EXTRA"; pwd', { env: { EXTRA: 'x1' } })
      expect(r.stdout).toBe(`ryk_test_123|http://runyard.test|x1\n${seen(sb.workspaceDir)}\n`)
    })

    it('honours cwd inside the workspace and refuses one outside', async () => {
      await sb.writeFile('cwd-test/sub/f.txt', 'f')
      const r = await sb.exec('pwd; ls', { cwd: 'cwd-test/sub' })
      expect(r.stdout).toBe(`${seen(`${sb.workspaceDir}/cwd-test/sub`)}\nf.txt\n`)
      await expect(sb.exec('pwd', { cwd: 'cwd-test/missing' })).rejects.toThrow(/does not exist/)
      await expect(sb.exec('pwd', { cwd: '..' })).rejects.toBeInstanceOf(SandboxPathError)
      await expect(sb.exec('pwd', { cwd: '/etc' })).rejects.toBeInstanceOf(SandboxPathError)
    })

    it('kills a command at its timeout (with its children) and reports timedOut', async () => {
      const marker = uniqueSleep()
      const r = await sb.exec(`echo started; sleep ${marker} & sleep ${marker}; echo never`, { timeoutMs: 1_000 })
      expect(r.timedOut).toBe(true)
      expect(r.exitCode).toBe(124)
      expect(r.stdout).not.toContain('never')
      expect(processAlive(marker)).toBe(false)
    })

    it('abort stops a long command: rejects with AbortError and the process is gone', async () => {
      const marker = uniqueSleep()
      const controller = new AbortController()
      let started!: () => void
      const startedP = new Promise<void>((r) => (started = r))
      const run = sb.exec(`echo started; sleep ${marker}`, {
        signal: controller.signal,
        onStdout: (c) => c.includes('started') && started(),
      })
      const settled = run.catch((e: unknown) => e)
      await startedP
      expect(processAlive(marker)).toBe(true)
      controller.abort()
      const err = await settled
      expect(err).toBeInstanceOf(SandboxAbortError)
      expect((err as Error).name).toBe('AbortError')
      expect((err as SandboxAbortError).stdout).toBe('started\n')
      expect(processAlive(marker)).toBe(false)

      // an already-aborted signal never starts anything
      await expect(sb.exec('echo hi', { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(SandboxAbortError)
    })

    it('caps output at maxOutputBytes, keeping the head, on a UTF-8 boundary', async () => {
      const chunks: string[] = []
      const r = await sb.exec(`head -c 200000 /dev/zero | tr '\\0' a; echo tail >&2`, {
        maxOutputBytes: 1000,
        onStdout: (c) => chunks.push(c),
      })
      expect(r.exitCode).toBe(0)
      expect(r.truncated).toBe(true)
      expect(r.stdout).toBe('a'.repeat(1000))
      expect(chunks.join('')).toBe('a'.repeat(1000))
      expect(r.stderr).toBe('tail\n')

      const u = await sb.exec(`for i in $(seq 1 600); do printf 'é'; done`, { maxOutputBytes: 1001 })
      expect(u.truncated).toBe(true)
      expect(u.stdout).toBe('é'.repeat(500))
    })

    it('writes, reads, lists and stats files; commands see them and vice versa', async () => {
      await sb.writeFile('files/a.txt', 'héllo\n')
      await sb.writeFile(`${sb.workspaceDir}/files/nested/b.txt`, 'B')
      expect(await sb.readFile('files/a.txt')).toBe('héllo\n')
      expect((await sb.exec('cat files/a.txt')).stdout).toBe('héllo\n')
      await sb.exec('echo made-by-command > files/c.txt')
      expect(await sb.readFile('./files/c.txt')).toBe('made-by-command\n')
      await sb.writeFile('files/a.txt', 'replaced')
      expect(await sb.readFile('files/a.txt')).toBe('replaced')

      expect(await sb.list('files')).toEqual([
        { path: 'files/a.txt', type: 'file' },
        { path: 'files/c.txt', type: 'file' },
        { path: 'files/nested', type: 'dir' },
      ])
      expect(await sb.list('files', { recursive: true })).toEqual([
        { path: 'files/a.txt', type: 'file' },
        { path: 'files/c.txt', type: 'file' },
        { path: 'files/nested', type: 'dir' },
        { path: 'files/nested/b.txt', type: 'file' },
      ])
      expect(await sb.stat('files/a.txt')).toMatchObject({ path: 'files/a.txt', type: 'file', size: 8 })
      expect(await sb.stat('files/nested')).toMatchObject({ type: 'dir' })
      expect(await sb.stat('files/missing')).toBeNull()
      expect(await sb.exists('files/a.txt')).toBe(true)
      expect(await sb.exists('files/missing')).toBe(false)
      await expect(sb.readFile('files/missing')).rejects.toBeInstanceOf(SandboxFileNotFoundError)
      expect(await sb.resolvePath('files/../files/a.txt')).toBe(`${sb.workspaceDir}/files/a.txt`)

      // symlinks that stay inside the workspace are fine
      await sb.exec('ln -s files/a.txt inside-link && ln -s files inside-dir')
      expect(await sb.readFile('inside-link')).toBe('replaced')
      expect(await sb.readFile('inside-dir/nested/b.txt')).toBe('B')
      await sb.writeFile('inside-dir/via-link.txt', 'v')
      expect((await sb.exec('cat files/via-link.txt')).stdout).toBe('v')
      expect((await sb.list('.')).find((e) => e.path === 'inside-link')?.type).toBe('symlink')
    })

    it('refuses paths that escape the workspace: .., absolute outside, symlinks pointing out', async () => {
      const refused = async (p: Promise<unknown>, reason: string): Promise<void> => {
        const err = await p.then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(err).toBeInstanceOf(SandboxPathError)
        expect((err as SandboxPathError).reason).toBe(reason)
        expect((err as Error).message).toMatch(/outside the workspace/)
      }
      await refused(sb.readFile('../x'), 'outside-workspace')
      await refused(sb.writeFile('../x', 'no'), 'outside-workspace')
      await refused(sb.readFile('a/../../x'), 'outside-workspace')
      await refused(sb.readFile('/etc/passwd'), 'outside-workspace')
      await refused(sb.writeFile('/etc/passwd', 'no'), 'outside-workspace')
      await refused(sb.list('/etc'), 'outside-workspace')
      await refused(sb.stat('/etc/passwd'), 'outside-workspace')

      const ln = await sb.exec(
        `ln -s /etc/passwd leak && ln -s /etc etc-dir && ln -s ../../../../../../../../../../etc up && ` +
          `ln -s '${outsideFile}' out-file && ln -s '${outsideDir}' out-dir && ln -s out-file chain`,
      )
      expect(ln.exitCode).toBe(0)
      await refused(sb.readFile('leak'), 'symlink-escape')
      await refused(sb.writeFile('leak', 'no'), 'symlink-escape')
      await refused(sb.readFile('etc-dir/passwd'), 'symlink-escape')
      await refused(sb.readFile('up/passwd'), 'symlink-escape')
      await refused(sb.list('etc-dir'), 'symlink-escape')
      await refused(sb.readFile('out-file'), 'symlink-escape')
      await refused(sb.writeFile('out-file', 'overwritten'), 'symlink-escape')
      await refused(sb.writeFile('chain', 'overwritten'), 'symlink-escape')
      await refused(sb.writeFile('out-dir/new.txt', 'created'), 'symlink-escape')
      await refused(sb.exec('pwd', { cwd: 'etc-dir' }), 'symlink-escape')
      expect(fs.readFileSync(outsideFile, 'utf8')).toBe('outside secret')
      expect(fs.readdirSync(outsideDir)).toEqual(['secret.txt'])
    })

    it('close() stops running commands and further use is refused', async () => {
      const extra = await setup()
      const marker = uniqueSleep()
      const controller = new AbortController()
      let started!: () => void
      const startedP = new Promise<void>((r) => (started = r))
      const run = extra.sandbox
        .exec(`echo started; sleep ${marker}`, { signal: controller.signal, onStdout: () => started() })
        .catch((e: unknown) => e)
      await startedP
      await extra.sandbox.close()
      expect(await run).toBeInstanceOf(SandboxAbortError)
      expect(processAlive(marker)).toBe(false)
      await expect(extra.sandbox.exec('true')).rejects.toBeInstanceOf(SandboxError)
      await extra.cleanup()
    })
  })
}
