// Idle hibernation (engine part), with a hibernator that records calls instead of pausing anything:
// which sessions are candidates, what a failed pause leaves, and recovery of sessions a dead worker
// left mid-transition. End-to-end with E2B: apps/server/test/hibernation.test.ts.
import type { RunExecutor, SandboxHibernator } from '@runyard/contract'
import { seedChat } from '@runyard/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPgPool } from '@runyard/db'
import { hibernateIdleSessions } from '../src/hibernation.ts'
import { createEngine, resolveEngineConfig, type Engine } from '../src/index.ts'
import { FAST, harness, type Harness } from './support/harness.ts'
import { until } from './support/until.ts'

let h: Harness
beforeEach(async () => {
  h = await harness()
})
afterEach(async () => {
  await h.close()
})

interface Recorder extends SandboxHibernator {
  calls: string[]
  /** Calls to fail (the sandbox may still be running). */
  failing: number
}

function recorder(): Recorder {
  const r: Recorder = {
    sandboxTypes: ['e2b'],
    calls: [],
    failing: 0,
    async hibernate(_type, state) {
      r.calls.push((state as { sandboxId: string }).sandboxId)
      if (r.failing > 0) {
        r.failing--
        throw new Error('E2B is unreachable')
      }
    },
  }
  return r
}

async function hibernatingEngine(hibernator: SandboxHibernator, errors: object[] = []): Promise<Engine> {
  const log = { info() {}, warn() {}, error: (obj: object) => void errors.push(obj) }
  // runs hang until cancelled: a session with a run stays busy for the whole test
  const executor: RunExecutor = {
    execute: (ctx) =>
      new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve({ status: 'cancelled' }))),
  }
  const e = createEngine({ db: h.db, executor, hibernator, log, config: { ...FAST, sessionIdleMs: 5_000 } })
  await e.start()
  h.engines.push(e)
  return e
}

/** A session with the given sandbox, lifecycle state and idle time. */
async function session(
  opts: {
    sandboxType?: 'e2b' | 'local'
    sandboxId?: string | null
    state?: 'active' | 'restoring' | 'hibernating' | 'provisioning'
    idleMs?: number
  } = {},
) {
  const { accountId, sessionId, chatId } = await seedChat(h.db.prisma)
  const sandboxId = opts.sandboxId === undefined ? `sbx_${sessionId}` : opts.sandboxId
  await h.db.prisma.$executeRaw`UPDATE "Session" SET "sandboxType" = ${opts.sandboxType ?? 'e2b'}::"SandboxType",
    "sandboxState" = ${sandboxId ? JSON.stringify({ kind: 'e2b', sandboxId }) : null}::jsonb,
    "lifecycleState" = ${opts.state ?? 'active'}::"LifecycleState", "updatedAt" = now() - ${opts.idleMs ?? 3_600_000} * interval '1 millisecond'
    WHERE id = ${sessionId}`
  return { accountId, sessionId, chatId, sandboxId }
}

const stateOf = async (id: string) => (await h.db.prisma.session.findUniqueOrThrow({ where: { id } })).lifecycleState

describe('hibernating idle sessions', () => {
  it('claims only idle sessions of suspendable kinds with a sandbox and no run; a stale claim and an interrupted restore are taken again', async () => {
    const r = recorder()
    const idle = await session()
    const interruptedRestore = await session({ state: 'restoring' })
    const staleClaim = await session({ state: 'hibernating', idleMs: 10 * 60_000 })
    const recent = await session({ idleMs: 0 })
    const local = await session({ sandboxType: 'local' })
    const noSandbox = await session({ sandboxId: null })
    const neverOpened = await session({ state: 'provisioning' })
    const freshClaim = await session({ state: 'hibernating', idleMs: 1_000 })
    const busy = await session()
    const queuedOnly = await h.engine({ executor: null })
    const run = await queuedOnly.startRun({
      accountId: busy.accountId,
      chatId: busy.chatId,
      kind: 'async',
      model: 'm',
      input: {},
    })
    await hibernatingEngine(r)
    await until(
      async () => {
        const states = await Promise.all([idle, interruptedRestore, staleClaim].map((x) => stateOf(x.sessionId)))
        return states.every((s) => s === 'hibernated')
      },
      Boolean,
      'idle sessions hibernated',
    )
    expect(r.calls.sort()).toEqual([idle, interruptedRestore, staleClaim].map((x) => x.sandboxId).sort())
    expect(await stateOf(recent.sessionId)).toBe('active')
    expect(await stateOf(local.sessionId)).toBe('active')
    expect(await stateOf(noSandbox.sessionId)).toBe('active')
    expect(await stateOf(neverOpened.sessionId)).toBe('provisioning')
    expect(await stateOf(freshClaim.sessionId)).toBe('hibernating')

    // Claiming the run touched its session; made idle again, a pass that hibernates a later session skips it.
    await until(
      async () => (await queuedOnly.getRun(busy.accountId, run.id)).status === 'running',
      Boolean,
      'run running',
    )
    await h.db.prisma
      .$executeRaw`UPDATE "Session" SET "updatedAt" = now() - interval '1 hour' WHERE id = ${busy.sessionId}`
    const witness = await session()
    await until(async () => (await stateOf(witness.sessionId)) === 'hibernated', Boolean, 'a later session hibernated')
    expect(await stateOf(busy.sessionId)).toBe('active')
    expect(r.calls).not.toContain(busy.sandboxId)
  })

  it('a failed pause is logged with the session id and sets the session back to active, retried after another idle period', async () => {
    const r = recorder()
    r.failing = 1
    const errors: object[] = []
    const s = await session()
    await hibernatingEngine(r, errors)
    await until(
      async () => r.calls.length === 1 && (await stateOf(s.sessionId)) === 'active',
      Boolean,
      'pause attempted',
    )
    expect(errors).toEqual([
      expect.objectContaining({
        sessionId: s.sessionId,
        sandboxType: 'e2b',
        err: expect.objectContaining({ message: 'E2B is unreachable' }),
      }),
    ])
    // not retried on the next ticks: the failure counts as activity
    const updatedAt = (await h.db.prisma.session.findUniqueOrThrow({ where: { id: s.sessionId } })).updatedAt
    expect(Date.now() - updatedAt.getTime()).toBeLessThan(60_000)

    await h.db.prisma
      .$executeRaw`UPDATE "Session" SET "updatedAt" = now() - interval '1 hour' WHERE id = ${s.sessionId}`
    await until(async () => (await stateOf(s.sessionId)) === 'hibernated', Boolean, 'hibernated on retry')
    expect(r.calls).toEqual([s.sandboxId, s.sandboxId])
  })

  it('engines without a hibernator, or whose hibernator suspends nothing, leave sessions alone', async () => {
    const s = await session()
    const none = recorder()
    await hibernatingEngine({ ...none, sandboxTypes: [] })
    await h.engine()
    // a second session proves a pass ran: an engine that does hibernate takes it, not the first
    const other = await session({ sandboxType: 'local' })
    const localOnly = recorder()
    await hibernatingEngine({ ...localOnly, sandboxTypes: ['local'] })
    await until(async () => (await stateOf(other.sessionId)) === 'hibernated', Boolean, 'local session hibernated')
    expect(await stateOf(s.sessionId)).toBe('active')
    expect(none.calls).toEqual([])
  })

  it('concurrent passes (one pool per worker process) claim every session exactly once', async () => {
    const sessions = await Promise.all(Array.from({ length: 24 }, () => session()))
    const r = recorder()
    const cfg = resolveEngineConfig({ sessionIdleMs: 60_000 })
    const pools = Array.from({ length: 4 }, () => createPgPool(h.db.url, { max: 2 }))
    try {
      let total = 0
      for (let round = 0; round < 10 && total < sessions.length; round++) {
        const counts = await Promise.all(
          pools.flatMap((pool) =>
            [1, 2].map(() => hibernateIdleSessions(pool, r, cfg, { info() {}, warn() {}, error() {} }, 5)),
          ),
        )
        total += counts.reduce((a, b) => a + b, 0)
      }
      expect(total).toBe(sessions.length)
      expect(r.calls.sort()).toEqual(sessions.map((x) => x.sandboxId).sort())
      for (const x of sessions) expect(await stateOf(x.sessionId)).toBe('hibernated')
    } finally {
      await Promise.all(pools.map((p) => p.end()))
    }
  })
})
