import { AppError, type RunContext, type RunExecutor } from '@runyard/contract'
import { hashSecret } from '@runyard/db'
import type { EngineConfig, RunEventFrame } from '@runyard/engine'
import { collectRunEvents, ScriptedExecutor, seedChat, type ScriptStep } from '@runyard/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FAST, harness, scripted, spawnWorker, wholeLog, type Harness } from './support/harness.ts'
import { MAX_RUN_ERROR_MESSAGE } from '../src/lifecycle.ts'

let h: Harness
beforeEach(async () => {
  h = await harness()
})
afterEach(async () => {
  await h.close()
})

describe('admission and execution', () => {
  it('runs a run to completion with a gap-free event log and usage totals', async () => {
    const engine = await h.engine()
    const { accountId, chatId, sessionId } = await seedChat(h.db.prisma)
    const run = await engine.startRun({
      accountId,
      chatId,
      kind: 'async',
      model: 'scripted',
      input: scripted([
        { reasoning: 'think' },
        { text: 'hello world', chunks: 3 },
        { tool: 'bash', input: { command: 'ls' }, output: 'a.txt' },
        { step: { input: 7, output: 3, cacheRead: 1 } },
        { text: 'done' },
        { step: { input: 5, output: 1 } },
      ]),
    })
    expect(run.status).toBe('queued')
    const events = await wholeLog(engine, accountId, run.id)
    expect(events.map((e) => e.event.type)).toEqual([
      'run_status',
      'run_status',
      'reasoning_start',
      'reasoning_delta',
      'text_delta',
      'text_delta',
      'text_delta',
      'tool_call',
      'tool_result',
      'step_finish',
      'text_delta',
      'step_finish',
      'run_status',
      'done',
    ])
    expect(
      events.filter((e) => e.event.type === 'run_status').map((e) => (e.event as { status: string }).status),
    ).toEqual(['queued', 'running', 'completed'])
    const final = await engine.getRun(accountId, run.id)
    expect(final).toMatchObject({
      status: 'completed',
      usage: { inputTokens: 12, outputTokens: 4, cacheRead: 1, cacheWrite: 0 },
      error: null,
      lastSeq: events.length,
    })
    expect(final.startedAt).not.toBeNull()
    expect(final.finishedAt).not.toBeNull()
    const session = await h.db.prisma.session.findUniqueOrThrow({ where: { id: sessionId } })
    expect([session.inputTokens, session.outputTokens, session.activeStreamId]).toEqual([12, 4, null])
    // the user message of the run was appended to the chat transcript
    expect(await h.db.prisma.message.count({ where: { chatId } })).toBe(1)
  })

  it('rejects a second run on a busy chat with chat_busy naming the active run', async () => {
    const engine = await h.engine({ executor: null })
    const { accountId, chatId } = await seedChat(h.db.prisma)
    const first = await engine.startRun({ accountId, chatId, kind: 'async', model: 'm', input: {} })
    const err = await engine
      .startRun({ accountId, chatId, kind: 'interactive', model: 'm', input: {} })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect(err).toMatchObject({ code: 'chat_busy', kind: 'conflict', details: { activeRunId: first.id } })
    expect(await h.db.prisma.run.count({ where: { chatId } })).toBe(1)
    expect(await h.db.prisma.apiKey.count()).toBe(1)
  })

  it('admits exactly one of many concurrent starts on one chat', async () => {
    const engine = await h.engine({ executor: null })
    const { accountId, chatId } = await seedChat(h.db.prisma)
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => engine.startRun({ accountId, chatId, kind: 'async', model: 'm', input: {} })),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(rejected.every((r) => r.reason instanceof AppError && r.reason.code === 'chat_busy')).toBe(true)
  })

  it('with ifBusy: enqueue, runs the second run after the first', async () => {
    const engine = await h.engine()
    const { run: a, accountId, chatId } = await h.seededRun(engine, [{ sleep: 300 }, { text: 'a' }])
    const b = await h.runScript(engine, { accountId, chatId }, [{ text: 'b' }], { ifBusy: 'enqueue' })
    await collectRunEvents(engine.streamRunEvents(accountId, b.id))
    const [ra, rb] = [await engine.getRun(accountId, a.id), await engine.getRun(accountId, b.id)]
    expect([ra.status, rb.status]).toEqual(['completed', 'completed'])
    expect(new Date(rb.startedAt!).getTime()).toBeGreaterThanOrEqual(new Date(ra.finishedAt!).getTime())
  })

  it('keeps at most MAX_RUN_ERROR_MESSAGE characters of an error message, on the run and in its log', async () => {
    const engine = await h.engine()
    // 😀 is a surrogate pair: the cut must not leave half of one (jsonb refuses a lone surrogate).
    const huge = 'x'.repeat(MAX_RUN_ERROR_MESSAGE - 2) + '😀'.repeat(50_000)
    const { run, accountId } = await h.seededRun(engine, [{ fail: 'llm', message: huge }])
    const events = await collectRunEvents(engine.streamRunEvents(accountId, run.id))
    const error = events.map((e) => e.event).find((e) => e.type === 'error')
    const stored = (await engine.getRun(accountId, run.id)).error
    expect(stored?.message).toBe(`${'x'.repeat(MAX_RUN_ERROR_MESSAGE - 2)}…`)
    expect(error).toEqual({ type: 'error', code: 'llm', message: stored?.message })
  })

  it('fails a run with the executor error code, and a throwing executor with internal', async () => {
    const engine = await h.engine()
    const {
      run: failed,
      accountId,
      chatId,
    } = await h.seededRun(engine, [{ text: 'x' }, { fail: 'llm', message: 'provider said no' }])
    const events = await collectRunEvents(engine.streamRunEvents(accountId, failed.id))
    expect(events.slice(-3).map((e) => e.event)).toEqual([
      { type: 'error', code: 'llm', message: 'provider said no' },
      { type: 'run_status', status: 'failed' },
      { type: 'done' },
    ])
    expect((await engine.getRun(accountId, failed.id)).error).toEqual({ code: 'llm', message: 'provider said no' })

    const threw = await engine.startRun({
      accountId,
      chatId,
      kind: 'async',
      model: 'm',
      input: scripted([{ throw: 'boom' }]),
    })
    await collectRunEvents(engine.streamRunEvents(accountId, threw.id))
    expect(await engine.getRun(accountId, threw.id)).toMatchObject({
      status: 'failed',
      error: { code: 'internal', message: 'boom' },
    })
  })

  it('does not find runs of another account', async () => {
    const engine = await h.engine({ executor: null })
    const a = await seedChat(h.db.prisma)
    const b = await seedChat(h.db.prisma)
    const run = await engine.startRun({
      accountId: a.accountId,
      chatId: a.chatId,
      kind: 'async',
      model: 'm',
      input: {},
    })
    await expect(engine.getRun(b.accountId, run.id)).rejects.toMatchObject({ code: 'run_not_found' })
    await expect(engine.cancelRun(b.accountId, run.id)).rejects.toMatchObject({ code: 'run_not_found' })
    await expect(
      engine.startRun({ accountId: b.accountId, chatId: a.chatId, kind: 'async', model: 'm', input: {} }),
    ).rejects.toMatchObject({ code: 'chat_not_found' })
  })
})

describe('waitForStatus', () => {
  it('answers with the run as it is once its signal aborts (the waiting client went away)', async () => {
    const api = await h.engine({ executor: null })
    const { accountId, chatId } = await seedChat(h.db.prisma)
    const run = await api.startRun({ accountId, chatId, kind: 'async', model: 'm', input: {} })
    const gone = new AbortController()
    // An hour's wait for a run no worker will execute: only the signal can end it within the test.
    const waiting = api.waitForStatus(accountId, run.id, ['completed'], 3_600_000, gone.signal)
    gone.abort()
    expect((await waiting).status).toBe('queued')
  })
})

describe('cancel', () => {
  it('cancels a queued run so that it never starts', async () => {
    const api = await h.engine({ executor: null })
    const { accountId, chatId } = await seedChat(h.db.prisma)
    const run = await api.startRun({ accountId, chatId, kind: 'async', model: 'm', input: {} })
    const cancelled = await api.cancelRun(accountId, run.id)
    expect(cancelled.status).toBe('cancelled')
    let started = false
    const worker = await h.engine({ executor: new ScriptedExecutor({ onStart: () => (started = true) }) })
    // a new run on the same chat proves the worker is consuming the queue
    const next = await h.runScript(worker, { accountId, chatId }, [{ text: 'x' }])
    await collectRunEvents(worker.streamRunEvents(accountId, next.id))
    expect(started).toBe(true)
    const events = await collectRunEvents(worker.streamRunEvents(accountId, run.id))
    expect(events.map((e) => e.event.type)).toEqual(['run_status', 'error', 'run_status', 'done'])
    expect(events.some((e) => e.event.type === 'run_status' && e.event.status === 'running')).toBe(false)
  })

  it('cancels a running run: the executor is aborted, partial output is kept, status cancelled', async () => {
    const engine = await h.engine()
    const { run, accountId } = await h.seededRun(engine, [{ text: 'partial answer' }, { hang: true }])
    await collectRunEvents(engine.streamRunEvents(accountId, run.id), (e) => e.event.type === 'text_delta')
    const result = await engine.cancelRun(accountId, run.id, { waitMs: 5_000 })
    expect(result.status).toBe('cancelled')
    expect(result.error).toEqual({ code: 'cancelled', message: 'The run was cancelled.' })
    const events = await wholeLog(engine, accountId, run.id)
    expect(events.find((e) => e.event.type === 'text_delta')?.event).toEqual({
      type: 'text_delta',
      delta: 'partial answer',
    })
    expect(events.slice(-3).map((e) => e.event.type)).toEqual(['error', 'run_status', 'done'])
  })

  it('a cancel notified while the notification connection was down is found as soon as it reconnects', async () => {
    // Heartbeats far apart: only the reconnect can find the cancel within the wait below.
    const engine = await h.engine({ config: { heartbeatMs: 60_000, leaseMs: 120_000 } })
    const { run, accountId } = await h.seededRun(engine, [{ text: 'partial' }, { hang: true }])
    await collectRunEvents(engine.streamRunEvents(accountId, run.id), (e) => e.event.type === 'text_delta')
    // The cancel request is stored, but its notification is lost with the connection.
    await h.db.prisma.run.update({ where: { id: run.id }, data: { cancelRequestedAt: new Date() } })
    const dropped = await h.db.prisma.$queryRaw<{ pid: number }[]>`
      SELECT pg_terminate_backend(pid), pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'runyard-listen'`
    expect(dropped).toHaveLength(1)
    expect((await engine.waitForStatus(accountId, run.id, ['cancelled'], 10_000)).status).toBe('cancelled')
  })

  it('fails a run that outlives its maximum run time with timeout, keeping its partial output', async () => {
    const engine = await h.engine({ config: { ...FAST, maxRunMs: 1_000 } })
    const { run, accountId } = await h.seededRun(engine, [{ text: 'partial' }, { hang: true }])
    const events = await wholeLog(engine, accountId, run.id)
    expect(events.map((e) => e.event.type)).toEqual([
      'run_status',
      'run_status',
      'text_delta',
      'error',
      'run_status',
      'done',
    ])
    expect(events[3]!.event).toEqual({
      type: 'error',
      code: 'timeout',
      message: 'The run exceeded its maximum run time of 1 s.',
    })
    expect(await engine.getRun(accountId, run.id)).toMatchObject({
      status: 'failed',
      attempt: 1,
      error: { code: 'timeout' },
    })
    expect(await h.db.prisma.apiKey.count({ where: { runId: run.id } })).toBe(0)
  })

  it('a run resumed after its maximum run time is up fails with timeout without executing again', async () => {
    const api = await h.engine({ executor: null })
    const { run, accountId } = await h.seededRun(api, [{ text: 'late' }])
    // Its worker was lost after it had been running for longer than the limit allows.
    await h.db.prisma.run.update({
      where: { id: run.id },
      data: {
        status: 'running',
        attempt: 1,
        startedAt: new Date(Date.now() - 2 * 60 * 60_000),
        workerId: 'dead',
        leaseExpiresAt: new Date(Date.now() - 1000),
      },
    })
    const executed: string[] = []
    const rescuer = await h.engine({
      executor: { execute: async (ctx) => (executed.push(ctx.run.id), { status: 'completed' }) },
    })
    const events = await collectRunEvents(rescuer.streamRunEvents(accountId, run.id))
    expect(events.slice(-3).map((e) => e.event)).toEqual([
      { type: 'error', code: 'timeout', message: 'The run exceeded its maximum run time of 60 min.' },
      { type: 'run_status', status: 'failed' },
      { type: 'done' },
    ])
    expect(executed).toEqual([])
  })

  it('cancels a run whose executor ignores its abort signal, once the grace period is over', async () => {
    const started: string[] = []
    const stubborn: RunExecutor = {
      async execute(ctx) {
        started.push(ctx.run.id)
        ctx.emit({ type: 'text_delta', delta: 'partial' })
        await new Promise(() => {}) // never returns, whatever its signal says
        return { status: 'completed' }
      },
    }
    const engine = await h.engine({ executor: stubborn, config: { ...FAST, stopGraceMs: 300 } })
    const { accountId, chatId } = await seedChat(h.db.prisma)
    const run = await engine.startRun({ accountId, chatId, kind: 'async', model: 'm', input: {} })
    await collectRunEvents(engine.streamRunEvents(accountId, run.id), (e) => e.event.type === 'text_delta')
    expect((await engine.cancelRun(accountId, run.id, { waitMs: 10_000 })).status).toBe('cancelled')
    const events = await wholeLog(engine, accountId, run.id)
    expect(events.map((e) => e.event.type)).toEqual([
      'run_status',
      'run_status',
      'text_delta',
      'error',
      'run_status',
      'done',
    ])
    expect(await h.db.prisma.apiKey.count({ where: { runId: run.id } })).toBe(0)
    expect(started).toEqual([run.id])
  })

  it('is a no-op on a finished run', async () => {
    const engine = await h.engine()
    const { run, accountId } = await h.seededRun(engine, [{ text: 'x' }])
    const before = await collectRunEvents(engine.streamRunEvents(accountId, run.id))
    const again = await engine.cancelRun(accountId, run.id)
    expect(again.status).toBe('completed')
    expect(await collectRunEvents(engine.streamRunEvents(accountId, run.id))).toHaveLength(before.length)
  })
})

describe('ephemeral run keys', () => {
  const keyUsable = async (secret: string) =>
    (await h.db.prisma.apiKey.count({
      where: { hash: hashSecret(secret), revokedAt: null, expiresAt: { gt: new Date() } },
    })) === 1

  it('hands each execution a live key and deletes it when the run ends, however it ends', async () => {
    const keys: string[] = []
    const engine = await h.engine({
      executor: new ScriptedExecutor({ onStart: (ctx: RunContext) => keys.push(ctx.apiKey) }),
    })
    const { accountId, chatId } = await seedChat(h.db.prisma)
    const other = await h.db.prisma.apiKey.create({
      data: { id: 'key_other', accountId, name: 'personal', kind: 'personal', prefix: 'p', hash: 'h' },
    })

    const completes = await engine.startRun({
      accountId,
      chatId,
      kind: 'async',
      model: 'm',
      input: scripted([{ text: 'x' }]),
    })
    await collectRunEvents(engine.streamRunEvents(accountId, completes.id))
    const fails = await h.runScript(engine, { accountId, chatId }, [{ fail: 'tool' }])
    await collectRunEvents(engine.streamRunEvents(accountId, fails.id))
    const hangs = await h.runScript(engine, { accountId, chatId }, [{ text: 'x' }, { hang: true }])
    await collectRunEvents(engine.streamRunEvents(accountId, hangs.id), (e) => e.event.type === 'text_delta')
    expect(await keyUsable(keys[2]!)).toBe(true)
    await engine.cancelRun(accountId, hangs.id, { waitMs: 5_000 })

    expect(keys).toHaveLength(3)
    for (const k of keys) expect(await keyUsable(k)).toBe(false)
    expect(await h.db.prisma.apiKey.count({ where: { kind: 'ephemeral' } })).toBe(0)
    expect(await h.db.prisma.apiKey.findUnique({ where: { id: other.id } })).not.toBeNull()
  })

  it('hands the execution its session with the workspace path, as the active stream while it runs', async () => {
    const seen: { session: RunContext['session']; activeStreamId: string | null }[] = []
    const engine = await h.engine({
      executor: new ScriptedExecutor({
        onStart: (ctx: RunContext) =>
          void h.db.prisma.session
            .findUniqueOrThrow({ where: { id: ctx.session.id } })
            .then((s) => seen.push({ session: ctx.session, activeStreamId: s.activeStreamId })),
      }),
    })
    const { accountId, chatId, sessionId } = await seedChat(h.db.prisma)
    await h.db.prisma.workspace.create({ data: { id: 'ws_1', accountId, path: '/srv/ws1', name: 'ws1' } })
    await h.db.prisma.session.update({
      where: { id: sessionId },
      data: { workspaceId: 'ws_1', title: 't', repoOwner: 'o', sandboxState: { a: 1 }, globalSkillRefs: ['s1'] },
    })
    const run = await h.runScript(engine, { accountId, chatId }, [{ sleep: 200 }, { text: 'x' }])
    await collectRunEvents(engine.streamRunEvents(accountId, run.id))
    expect(seen).toEqual([
      {
        activeStreamId: run.id,
        session: {
          id: sessionId,
          accountId,
          title: 't',
          workspaceId: 'ws_1',
          workspacePath: '/srv/ws1',
          repoOwner: 'o',
          repoName: null,
          branch: null,
          cloneUrl: null,
          sandboxType: 'none',
          sandboxState: { a: 1 },
          lifecycleState: 'provisioning',
          modelId: 'scripted',
          providerId: 'scripted',
          globalSkillRefs: ['s1'],
        },
      },
    ])
    expect((await h.db.prisma.session.findUniqueOrThrow({ where: { id: sessionId } })).activeStreamId).toBeNull()
  })

  it('validates the TTL range', async () => {
    await expect(h.engine({ config: { ephemeralKeyTtlMs: 1000 } })).rejects.toThrow(/between 1 minute and 24 hours/)
  })

  it('validates the run time limit and the stop grace period', async () => {
    await expect(h.engine({ config: { maxRunMs: 0 } })).rejects.toThrow(/maxRunMs must be positive/)
    await expect(h.engine({ config: { stopGraceMs: -1 } })).rejects.toThrow(/stopGraceMs not negative/)
  })
})

describe('resumable streams', () => {
  it('replay from any cut point continues with exactly the rest of the log', async () => {
    const engine = await h.engine()
    const { run, accountId } = await h.seededRun(engine, [
      { text: 'abcdefghijklmnopqrstuvwxyz', chunks: 26, delayMs: 15 },
      { step: {} },
    ])
    const full = await wholeLog(engine, accountId, run.id)
    // cut points chosen while the run is live and after it finished
    for (const cut of [0, 1, 3, 10, 17, full.length - 1, full.length]) {
      const rest = await collectRunEvents(engine.streamRunEvents(accountId, run.id, cut))
      expect(rest.map((e) => e.seq)).toEqual(full.slice(cut).map((e) => e.seq))
    }
  })

  it('a burst of events is stored as batches of at most 5000, and pages of any size read across them exactly', async () => {
    // 12000 events emitted at once: all are buffered before the writer's first batch leaves
    const burst: RunExecutor = {
      execute: async (ctx) => {
        for (let i = 0; i < 12000; i++) ctx.emit({ type: 'text_delta', delta: `d${i}` })
        return { status: 'completed' }
      },
    }
    const engine = await h.engine({ executor: burst })
    const { accountId, chatId } = await seedChat(h.db.prisma)
    const run = await engine.startRun({ accountId, chatId, kind: 'async', model: 'm', input: scripted([]) })
    const full = await wholeLog(engine, accountId, run.id)
    const sizes = (await h.db.prisma.runEventBatch.findMany({ where: { runId: run.id }, orderBy: { seq: 'asc' } })).map(
      (b) => b.lastSeq - b.seq + 1,
    )
    expect(sizes.filter((n) => n === 5000)).toHaveLength(2)
    expect(Math.max(...sizes)).toBe(5000)
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(full.length)
    expect(await engine.readRunLog(accountId, run.id)).toEqual(full)
    await expect(engine.readRunLog('acct_other', run.id)).rejects.toMatchObject({ code: 'run_not_found' })
    // cut points inside, at the start and at the end of batches, and past the log's end
    const starts = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0))
    for (const cut of [
      0,
      1,
      4999,
      5000,
      5001,
      ...starts,
      ...starts.map((s) => s - 1).filter((s) => s > 0),
      full.length - 3,
      full.length,
      full.length + 5,
    ]) {
      for (const limit of [1, 7, 1000, 6000]) {
        const page = await engine.readRunEvents(accountId, run.id, cut, limit)
        expect(page, `after ${cut}, ${limit}`).toEqual(full.slice(cut, cut + limit))
      }
      expect(
        (await collectRunEvents(engine.streamRunEvents(accountId, run.id, cut))).map((e) => e.seq),
        `stream after ${cut}`,
      ).toEqual(full.slice(cut).map((e) => e.seq))
    }
  })

  it('a resume point past the int range of seq reads nothing (not a database error)', async () => {
    const engine = await h.engine()
    const { run, accountId } = await h.seededRun(engine, [{ text: 'hi' }])
    expect((await collectRunEvents(engine.streamRunEvents(accountId, run.id))).length).toBeGreaterThan(0)
    for (const after of [2 ** 31 - 1, 2 ** 31, Number.MAX_SAFE_INTEGER, 1e23]) {
      expect(await engine.readRunEvents(accountId, run.id, after)).toEqual([])
      expect(await collectRunEvents(engine.streamRunEvents(accountId, run.id, after))).toEqual([])
    }
  })

  it('a stored batch whose lines or types do not match its seqs is reported, not read as wrong events', async () => {
    const engine = await h.engine({ executor: null })
    const { accountId, chatId } = await seedChat(h.db.prisma)
    const run = await engine.startRun({ accountId, chatId, kind: 'async', model: 'm', input: scripted([]) })
    const delta = '{"type":"text_delta","delta":"a"}'
    await h.db.prisma
      .$executeRaw`INSERT INTO "RunEventBatch" ("runId", seq, "lastSeq", types, events) VALUES (${run.id}, 2, 3, ${'text_delta\ntext_delta'}, ${delta})`
    await expect(engine.readRunEvents(accountId, run.id)).rejects.toThrow(
      'the event batch at seq 2 holds 1 JSON lines and 2 types for 2 events',
    )
    await h.db.prisma
      .$executeRaw`UPDATE "RunEventBatch" SET types = 'text_delta', events = ${`${delta}\n${delta}`} WHERE "runId" = ${run.id} AND seq = 2`
    await expect(engine.readRunEvents(accountId, run.id, 1)).rejects.toThrow(
      'the event batch at seq 2 holds 2 JSON lines and 1 types for 2 events',
    )
  })

  it('a reader that reconnects mid-run from its last seq sees no gap and no duplicate', async () => {
    const engine = await h.engine()
    const reader = await h.engine({ executor: null })
    const { run, accountId } = await h.seededRun(engine, [{ text: 'x'.repeat(40), chunks: 40, delayMs: 10 }])
    const seen: number[] = []
    let last = 0
    for (const stopAt of [5, 12, 20, 33]) {
      const part = await collectRunEvents(reader.streamRunEvents(accountId, run.id, last), (e) => e.seq >= stopAt)
      seen.push(...part.map((e) => e.seq))
      last = seen[seen.length - 1]!
    }
    seen.push(...(await collectRunEvents(engine.streamRunEvents(accountId, run.id, last))).map((e) => e.seq))
    expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => i + 1))
    expect((await engine.getRun(accountId, run.id)).lastSeq).toBe(seen.length)
  })
  it('live readers in the writing process get exactly the stored frames, also when they fall far behind', async () => {
    const engine = await h.engine()
    const { run, accountId } = await h.seededRun(engine, [{ burst: 45_000, size: 8 }, { step: {} }])
    // One reader keeps up; the other stalls after its first page until the run is over (more
    // than a reader holds in memory), then drains.
    const allFrames = async (pages: AsyncIterable<RunEventFrame[]>) => {
      const out: RunEventFrame[] = []
      for await (const page of pages) out.push(...page)
      return out
    }
    const live = allFrames(engine.streamRunEventFrames(accountId, run.id))
    const stalled = engine.streamRunEventFrames(accountId, run.id)[Symbol.asyncIterator]()
    const frames = [...((await stalled.next()).value ?? [])]
    await engine.waitForStatus(accountId, run.id, ['completed'], 30_000)
    for (let page = await stalled.next(); !page.done; page = await stalled.next()) frames.push(...page.value)
    const replay = await allFrames(engine.streamRunEventFrames(accountId, run.id))
    expect(replay.map((f) => f.seq)).toEqual(Array.from({ length: replay.length }, (_, i) => i + 1))
    expect(replay.length).toBeGreaterThan(45_000)
    expect(await live).toEqual(replay)
    expect(frames).toEqual(replay)
  })
})

describe('durability', () => {
  it('a run left waiting on a chat that nobody holds is promoted and runs', async () => {
    // What a lost promotion race leaves behind: B waits (ifBusy: enqueue) while A's finish did
    // not see it, so A released the chat without handing it over.
    const admitting = await h.engine({ executor: null })
    const { accountId, chatId } = await seedChat(h.db.prisma)
    const a = await admitting.startRun({ accountId, chatId, kind: 'async', model: 'm', input: {} })
    const b = await h.runScript(admitting, { accountId, chatId }, [{ text: 'b ran' }], { ifBusy: 'enqueue' })
    await h.db.prisma.run.update({
      where: { id: a.id },
      data: { status: 'cancelled', lockedChatId: null, finishedAt: new Date() },
    })
    expect(await h.db.prisma.run.findUniqueOrThrow({ where: { id: b.id } })).toMatchObject({
      status: 'queued',
      lockedChatId: null,
    })

    const worker = await h.engine()
    await wholeLog(worker, accountId, b.id)
    expect((await worker.getRun(accountId, b.id)).status).toBe('completed')
  })

  it('a queued run whose queue job was given up (retries exhausted) gets a new job and runs', async () => {
    const admitting = await h.engine({ executor: null })
    const { run, accountId } = await h.seededRun(admitting, [{ text: 'ran after all' }])
    const { jobId } = await h.db.prisma.run.findUniqueOrThrow({ where: { id: run.id } })
    // What pg-boss leaves when every delivery of the job failed (e.g. claims failing while the
    // database was unreachable): a failed job, and the run still queued, holding its chat.
    const failed = await h.db.prisma.$executeRawUnsafe(
      `UPDATE pgboss.job SET state = 'failed', completed_on = now() WHERE id = $1::uuid`,
      jobId,
    )
    expect(failed).toBe(1)
    const worker = await h.engine({ config: FAST })
    const events = await wholeLog(worker, accountId, run.id)
    expect(events.find((e) => e.event.type === 'text_delta')?.event).toMatchObject({ delta: 'ran after all' })
    expect((await worker.getRun(accountId, run.id)).status).toBe('completed')
  })

  it('a queued run survives a restart of the engine', async () => {
    const first = await h.engine({ executor: null })
    const { run, accountId } = await h.seededRun(first, [{ text: 'after restart' }])
    await first.stop()
    h.engines.splice(h.engines.indexOf(first), 1)
    const second = await h.engine()
    const events = await collectRunEvents(second.streamRunEvents(accountId, run.id))
    expect(events.at(-2)?.event).toEqual({ type: 'run_status', status: 'completed' })
  })

  it('a gracefully stopped worker hands its run to the next worker without using up an attempt', async () => {
    const first = await h.engine()
    const { run, accountId } = await h.seededRun(first, [
      { text: 'one' },
      { step: { input: 1 } },
      { sleep: 400 },
      { text: 'two' },
      { step: { input: 1 } },
    ])
    await collectRunEvents(first.streamRunEvents(accountId, run.id), (e) => e.event.type === 'step_finish')
    await first.stop()
    h.engines.splice(h.engines.indexOf(first), 1)
    const second = await h.engine()
    const events = await wholeLog(second, accountId, run.id)
    const final = await second.getRun(accountId, run.id)
    expect(final).toMatchObject({ status: 'completed', attempt: 1, usage: { inputTokens: 2 } })
    // the resumed attempt skipped the completed step: "one" appears once
    expect(
      events.filter((e) => e.event.type === 'text_delta').map((e) => (e.event as { delta: string }).delta),
    ).toEqual(['one', 'two'])
  })
})

describe('lost workers', () => {
  /** A seeded run of `script` executed by a worker in its own process (to SIGKILL it); `api` only admits and reads. */
  async function onWorkerProcess(script: ScriptStep[], config: Partial<EngineConfig> = {}) {
    const api = await h.engine({ executor: null, config })
    const child = await spawnWorker(h.db.url, { ...FAST, ...config })
    const { run, accountId } = await h.seededRun(api, script)
    return { api, child, run, accountId }
  }

  it('resumes a run from its last completed step when its worker is SIGKILLed', async () => {
    const { api, child, run, accountId } = await onWorkerProcess([
      { text: 'first' },
      { step: { input: 3 } },
      { text: 'partial' },
      { hang: true },
      { text: 'never' },
    ])
    // kill the worker while the second step is in flight
    await collectRunEvents(
      api.streamRunEvents(accountId, run.id),
      (e) => e.event.type === 'text_delta' && e.event.delta === 'partial',
    )
    child.kill('SIGKILL')
    // a healthy worker (with a script that completes) takes over once the lease expires
    const rescuer = await h.engine({
      executor: new ScriptedExecutor({
        script: [{ text: 'first' }, { step: { input: 3 } }, { text: 'second' }, { step: { input: 4 } }],
      }),
    })
    const events = await wholeLog(rescuer, accountId, run.id)
    const types = events.map((e) => (e.event.type === 'text_delta' ? `text:${e.event.delta}` : e.event.type))
    expect(types).toEqual([
      'run_status',
      'run_status',
      'text:first',
      'step_finish',
      'text:partial',
      'step_retry',
      'run_status',
      'text:second',
      'step_finish',
      'run_status',
      'done',
    ])
    expect(await rescuer.getRun(accountId, run.id)).toMatchObject({
      status: 'completed',
      attempt: 2,
      usage: { inputTokens: 7 },
    })
    expect(await h.db.prisma.apiKey.count({ where: { runId: run.id } })).toBe(0)
  })

  it("marks a step cut right after a sub-agent's step_finish as retried (a nested step ends no step of the run)", async () => {
    const { api, child, run, accountId } = await onWorkerProcess([
      { text: 'first' },
      { step: { input: 3 } },
      { subAgent: 'digging' },
      { hang: true },
    ])
    await collectRunEvents(
      api.streamRunEvents(accountId, run.id),
      (e) => e.event.type === 'step_finish' && 'parentToolCallId' in e.event && e.event.parentToolCallId !== undefined,
    )
    child.kill('SIGKILL')
    const rescuer = await h.engine({
      executor: new ScriptedExecutor({
        script: [{ text: 'first' }, { step: { input: 3 } }, { text: 'second' }, { step: { input: 4 } }],
      }),
    })
    const events = await wholeLog(rescuer, accountId, run.id)
    const types = events.map((e) =>
      'parentToolCallId' in e.event && e.event.parentToolCallId ? `nested:${e.event.type}` : e.event.type,
    )
    expect(types).toEqual([
      'run_status',
      'run_status',
      'text_delta',
      'step_finish',
      'tool_call',
      'nested:text_delta',
      'nested:step_finish',
      'step_retry',
      'run_status',
      'text_delta',
      'step_finish',
      'run_status',
      'done',
    ])
  })

  it('a run whose worker died between its claim and saving its input still gets its input into the transcript', async () => {
    const api = await h.engine({ executor: null })
    const { accountId, chatId } = await seedChat(h.db.prisma)
    const input = scripted([{ text: 'answer' }, { step: {} }])
    const run = await api.startRun({ accountId, chatId, kind: 'async', model: 'm', input })
    // What a worker killed right after its claim committed leaves behind: a started, running run
    // with a lapsed lease, and nothing of its input in the transcript yet.
    await h.db.prisma.run.update({
      where: { id: run.id },
      data: {
        status: 'running',
        attempt: 1,
        startedAt: new Date(),
        workerId: 'dead',
        leaseExpiresAt: new Date(Date.now() - 1000),
      },
    })
    const rescuer = await h.engine()
    await collectRunEvents(rescuer.streamRunEvents(accountId, run.id))
    expect((await rescuer.getRun(accountId, run.id)).status).toBe('completed')
    const transcript = await h.db.prisma.message.findMany({ where: { chatId }, orderBy: { position: 'asc' } })
    expect(transcript.map((m) => m.id)).toEqual([input.messages[0]!.id])
  })

  it('fails a run with worker_lost once its attempts are used up', async () => {
    const { api, child, run, accountId } = await onWorkerProcess([{ text: 'x' }, { hang: true }], {
      maxAttempts: 1,
    })
    await collectRunEvents(api.streamRunEvents(accountId, run.id), (e) => e.event.type === 'text_delta')
    child.kill('SIGKILL')
    const reaper = await h.engine({ config: { maxAttempts: 1 } })
    const events = await collectRunEvents(reaper.streamRunEvents(accountId, run.id))
    expect(events.slice(-3).map((e) => e.event.type)).toEqual(['error', 'run_status', 'done'])
    expect(await reaper.getRun(accountId, run.id)).toMatchObject({ status: 'failed', error: { code: 'worker_lost' } })
    expect(await h.db.prisma.apiKey.count({ where: { runId: run.id } })).toBe(0)
  })
})
