// The host-side file tools racing a command that swaps a workspace directory for a symlink
// pointing out of the workspace. A command inside the local (bubblewrap) sandbox flips `d`
// between a real directory and a symlink to a folder outside as fast as it can, while the real
// read, write and glob tools go through `d/…` in a loop. A check-then-open implementation
// leaks here (the outside secret shows up in results, or writes land outside); the fd walk
// must never.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ToolSet } from 'ai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalSandboxProvider, SandboxAbortError, type Sandbox } from '../src/sandbox/index.ts'
import { createTools, DEFAULT_FETCH_POLICY, DEFAULT_TOOL_LIMITS, type ToolEnvironment } from '../src/tools/index.ts'

const ATTEMPTS = 20_000
/** Tool calls in flight at once (the host's fs work runs on libuv's thread pool). */
const CONCURRENCY = 8

// Runs inside the sandbox: rename() based flips (each one atomic). A directory the write
// tool creates while `d` is briefly missing is dropped, so the flipping never gets stuck.
const FLIPPER = `
const fs = require('fs')
const ok = (f) => { try { f(); return true } catch { return false } }
const isLink = () => { try { return fs.lstatSync('d').isSymbolicLink() } catch { return false } }
console.log('flipping')
for (;;) {
  ok(() => fs.renameSync('d', 'd.real'))
  if (!ok(() => fs.renameSync('d.link', 'd')) && !isLink()) ok(() => fs.rmSync('d', { recursive: true, force: true }))
  if (isLink()) ok(() => fs.renameSync('d', 'd.link'))
  ok(() => fs.renameSync('d.real', 'd'))
}
`

let base: string
let ws: string
let outside: string
let sandbox: Sandbox
const secret = `TOP-SECRET-${crypto.randomBytes(8).toString('hex')}`
const outsideOnly = `only-outside-${crypto.randomBytes(4).toString('hex')}.txt`
const outsideShared = `outside shared ${crypto.randomBytes(4).toString('hex')}`

beforeAll(async () => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-race-')))
  ws = path.join(base, 'ws')
  outside = path.join(base, 'outside')
  fs.mkdirSync(path.join(ws, 'd'), { recursive: true })
  fs.mkdirSync(outside)
  fs.writeFileSync(path.join(outside, 'secret.txt'), secret)
  fs.writeFileSync(path.join(outside, outsideOnly), secret)
  fs.writeFileSync(path.join(outside, 'shared.txt'), outsideShared)
  // the same names inside: a read or write that escapes looks like a normal one to the tools
  fs.writeFileSync(path.join(ws, 'd', 'secret.txt'), 'harmless')
  fs.writeFileSync(path.join(ws, 'd', 'shared.txt'), 'harmless')
  fs.symlinkSync(outside, path.join(ws, 'd.link'))
  ;({ sandbox } = await new LocalSandboxProvider().open({ sessionId: 'race', workspaceDir: ws }))
})
afterAll(async () => {
  await sandbox?.close()
  if (base) fs.rmSync(base, { recursive: true, force: true })
})

/** The agent's real tools, with the environment the executor gives them. */
function agentTools(sb: Sandbox): ToolSet {
  const env: ToolEnvironment = {
    sandbox: () => sb,
    limits: DEFAULT_TOOL_LIMITS,
    fetchPolicy: DEFAULT_FETCH_POLICY,
    skills: [],
    loadTodos: async () => [],
    saveTodos: async () => {},
    // no write lock: concurrent writes are harder on the walk than the run's serialised ones
    serializeWrites: (fn) => fn(),
    secrets: [],
  }
  return createTools(env, { interactive: false })
}

type Outcome = 'ok' | 'refused' | 'not-found' | 'other-error'

describe('local sandbox: file tools racing a directory/symlink swap', () => {
  it(`${ATTEMPTS} read/write/glob calls through the flipping directory never escape the workspace`, async () => {
    const tools = agentTools(sandbox)
    const before = Object.fromEntries(
      ['secret.txt', 'shared.txt'].map((f) => [f, fs.statSync(path.join(outside, f)).mtimeMs]),
    )
    const stop = new AbortController()
    let started!: () => void
    const flipping = new Promise<void>((r) => (started = r))
    const flipper = sandbox
      .exec('exec node -e "$FLIPPER"', {
        env: { FLIPPER },
        signal: stop.signal,
        timeoutMs: 150_000,
        onStdout: (c) => c.includes('flipping') && started(),
      })
      .then(
        (r) => r,
        (e: unknown) => e,
      )
    await Promise.race([flipping, flipper])

    const call = async (name: 'read' | 'write' | 'glob', input: Record<string, unknown>, i: number) => {
      const execute = tools[name]?.execute
      if (!execute) throw new Error(`no ${name} tool`)
      try {
        const output = String(
          await execute(input as never, { toolCallId: `call_${i}`, messages: [], context: undefined }),
        )
        return { outcome: 'ok' as Outcome, text: output }
      } catch (e) {
        const text = (e as Error).message
        const outcome: Outcome = /outside the workspace/.test(text)
          ? 'refused'
          : /not found|No such file/i.test(text)
            ? 'not-found'
            : 'other-error'
        return { outcome, text }
      }
    }
    const counts: Record<string, Record<Outcome, number>> = {}
    const leaks: string[] = []
    const otherErrors = new Set<string>()
    let next = 0
    const startedAt = Date.now()
    const worker = async () => {
      for (let i = next++; i < ATTEMPTS; i = next++) {
        const kind = (['read', 'write', 'read', 'glob', 'write'] as const)[i % 5]!
        const input =
          kind === 'read'
            ? { path: 'd/secret.txt' }
            : kind === 'glob'
              ? { pattern: '**', path: 'd' }
              : i % 2
                ? { path: 'd/shared.txt', content: `written ${i}` }
                : { path: `d/w-${i % 32}.txt`, content: `written ${i}` }
        const r = await call(kind, input, i)
        const c = (counts[kind] ??= { ok: 0, refused: 0, 'not-found': 0, 'other-error': 0 })
        c[r.outcome]++
        if (r.text.includes(secret) || r.text.includes(outsideOnly))
          leaks.push(`${kind} #${i}: ${r.text.slice(0, 200)}`)
        if (r.outcome === 'other-error') otherErrors.add(r.text.slice(0, 200))
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    const seconds = (Date.now() - startedAt) / 1000
    stop.abort()
    const flipperEnd = await flipper

    const attempts = Object.values(counts).reduce((n, c) => n + c.ok + c.refused + c['not-found'] + c['other-error'], 0)
    const byTool = leaks.reduce<Record<string, number>>(
      (m, l) => ({ ...m, [l.split(' ')[0]!]: (m[l.split(' ')[0]!] ?? 0) + 1 }),
      {},
    )
    console.log(
      `race: ${attempts} tool calls in ${seconds.toFixed(1)} s, ${leaks.length} escapes ${JSON.stringify(byTool)}`,
      JSON.stringify(counts),
      [...otherErrors],
    )

    // the flipper ran all along (it was stopped by us, not by an error of its own)
    expect(flipperEnd).toBeInstanceOf(SandboxAbortError)
    expect(attempts).toBeGreaterThanOrEqual(ATTEMPTS)
    // the race was live: both states of `d` were met
    const all = Object.values(counts)
    expect(all.reduce((n, c) => n + c.ok, 0)).toBeGreaterThan(0)
    expect(all.reduce((n, c) => n + c.refused, 0)).toBeGreaterThan(0)

    expect(leaks).toEqual([])
    expect(fs.readdirSync(base).sort()).toEqual(['outside', 'ws'])
    expect(fs.readdirSync(outside).sort()).toEqual([outsideOnly, 'secret.txt', 'shared.txt'].sort())
    expect(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe(secret)
    expect(fs.readFileSync(path.join(outside, 'shared.txt'), 'utf8')).toBe(outsideShared)
    expect(fs.readFileSync(path.join(outside, outsideOnly), 'utf8')).toBe(secret)
    for (const f of ['secret.txt', 'shared.txt']) expect(fs.statSync(path.join(outside, f)).mtimeMs, f).toBe(before[f])
  }, 120_000)
})
