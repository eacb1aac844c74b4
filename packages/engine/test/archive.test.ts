// Archiving a session (engine part): runs are cancelled through the normal cancel path, admission
// refuses the session from then on — also against concurrent admissions — and a run that raced
// the archive never flips the session back to active.
import { AppError, newId, type RunContext, type RunExecutor } from '@runyard/contract'
import { collectRunEvents, seedChat } from '@runyard/testkit'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FAST, harness, wholeLog, type Harness } from './support/harness.ts'

let h: Harness
beforeEach(async () => {
  h = await harness()
})
afterEach(async () => {
  await h.close()
})

describe('archiveSession', () => {
  it('cancels a running run (key revoked, log ended cancelled) and admission refuses the session afterwards', async () => {
    const engine = await h.engine()
    const { run, accountId, chatId, sessionId } = await h.seededRun(engine, [{ text: 'partial' }, { hang: true }])
    await collectRunEvents(engine.streamRunEvents(accountId, run.id), (e) => e.event.type === 'text_delta')

    const archived = await engine.archiveSession(accountId, sessionId, { waitMs: 5_000 })
    expect(archived.changed).toBe(true)
    expect(archived.runs.map((r) => [r.id, r.status, r.error?.code])).toEqual([[run.id, 'cancelled', 'cancelled']])
    const events = await wholeLog(engine, accountId, run.id)
    expect(events.slice(-3).map((e) => e.event)).toEqual([
      { type: 'error', code: 'cancelled', message: 'The run was cancelled.' },
      { type: 'run_status', status: 'cancelled' },
      { type: 'done' },
    ])
    expect(await h.db.prisma.apiKey.count({ where: { runId: run.id } })).toBe(0)
    expect((await h.db.prisma.session.findUniqueOrThrow({ where: { id: sessionId } })).lifecycleState).toBe('archived')

    const runsBefore = await h.db.prisma.run.count()
    for (const ifBusy of ['reject', 'enqueue'] as const) {
      const err = await engine
        .startRun({ accountId, chatId, kind: 'interactive', model: 'm', input: {}, ifBusy })
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(AppError)
      expect(err).toMatchObject({ kind: 'conflict', status: 409, code: 'session_archived', details: { sessionId } })
    }
    expect(await h.db.prisma.run.count()).toBe(runsBefore)
    expect(await h.db.prisma.apiKey.count({ where: { kind: 'ephemeral' } })).toBe(0)

    // idempotent
    const again = await engine.archiveSession(accountId, sessionId)
    expect(again).toEqual({ changed: false, runs: [] })
  })

  it('cancels queued runs and runs waiting behind the chat, on every chat of the session; other sessions are untouched', async () => {
    const engine = await h.engine({ executor: null })
    const { accountId, chatId, sessionId } = await seedChat(h.db.prisma)
    const secondChat = newId('chat')
    await h.db.prisma.chat.create({ data: { id: secondChat, sessionId, accountId } })
    const other = await seedChat(h.db.prisma, accountId)
    const a = await engine.startRun({ accountId, chatId, kind: 'async', model: 'm', input: {} })
    const waiting = await engine.startRun({
      accountId,
      chatId,
      kind: 'async',
      model: 'm',
      input: {},
      ifBusy: 'enqueue',
    })
    const b = await engine.startRun({ accountId, chatId: secondChat, kind: 'async', model: 'm', input: {} })
    const untouched = await engine.startRun({ accountId, chatId: other.chatId, kind: 'async', model: 'm', input: {} })

    const { runs } = await engine.archiveSession(accountId, sessionId)
    expect(runs.map((r) => r.id).sort()).toEqual([a.id, waiting.id, b.id].sort())
    expect(runs.every((r) => r.status === 'cancelled')).toBe(true)
    expect((await engine.getRun(accountId, untouched.id)).status).toBe('queued')
    await expect(engine.archiveSession('acct_someone_else', other.sessionId)).rejects.toMatchObject({
      code: 'session_not_found',
    })
  })

  it('lets no run slip in between concurrent admissions and the archive', async () => {
    const engine = await h.engine({ executor: null })
    for (let round = 0; round < 25; round++) {
      const { accountId, chatId, sessionId } = await seedChat(h.db.prisma)
      const chats = [chatId]
      for (let i = 0; i < 7; i++) {
        const id = newId('chat')
        await h.db.prisma.chat.create({ data: { id, sessionId, accountId } })
        chats.push(id)
      }
      const starts = chats.map((c) => engine.startRun({ accountId, chatId: c, kind: 'async', model: 'm', input: {} }))
      const [archive, ...results] = await Promise.allSettled([engine.archiveSession(accountId, sessionId), ...starts])
      expect(archive.status).toBe('fulfilled')
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'session_archived' })
      }
      // Every admitted run was cancelled by the archive (no worker here: a missed one stays queued).
      const left = await h.db.prisma.run.count({ where: { sessionId, status: { in: ['queued', 'running'] } } })
      expect(left, `round ${round}`).toBe(0)
    }
  })
})

describe('updateSession from a run', () => {
  it('a run left queued on an archived session (the archive died before cancelling it) is cancelled when claimed, never executed', async () => {
    const admitting = await h.engine({ executor: null })
    const { run, accountId, chatId, sessionId } = await h.seededRun(admitting, [{ text: 'should not run' }])
    // The archive's state change committed; its process died before the cancels that follow it.
    await h.db.prisma.session.update({ where: { id: sessionId }, data: { lifecycleState: 'archived' } })
    const executed: string[] = []
    const worker = await h.engine({
      executor: { execute: async (ctx) => (executed.push(ctx.run.id), { status: 'completed' }) },
    })
    const events = await wholeLog(worker, accountId, run.id)
    expect(events.slice(-3).map((e) => e.event.type)).toEqual(['error', 'run_status', 'done'])
    expect(await worker.getRun(accountId, run.id)).toMatchObject({ status: 'cancelled', error: { code: 'cancelled' } })
    expect(executed).toEqual([])
    expect(await h.db.prisma.message.count({ where: { chatId } })).toBe(0)
    expect(await h.db.prisma.apiKey.count({ where: { runId: run.id } })).toBe(0)
  })

  it('a running run on a session archived without cancelling it (the archive died in between) is cancelled by its heartbeat', async () => {
    const worker = await h.engine({ config: FAST })
    const { run, accountId, sessionId } = await h.seededRun(worker, [{ text: 'partial' }, { hang: true }])
    await collectRunEvents(worker.streamRunEvents(accountId, run.id), (e) => e.event.type === 'text_delta')
    await h.db.prisma.session.update({ where: { id: sessionId }, data: { lifecycleState: 'archived' } })
    const events = await wholeLog(worker, accountId, run.id)
    expect(events.map((e) => e.event.type).slice(-4)).toEqual(['text_delta', 'error', 'run_status', 'done'])
    expect(await worker.getRun(accountId, run.id)).toMatchObject({ status: 'cancelled', error: { code: 'cancelled' } })
    expect(await h.db.prisma.apiKey.count({ where: { runId: run.id } })).toBe(0)
  })

  it('sets the sandbox state and lifecycle of a live session', async () => {
    const { accountId, chatId, sessionId } = await seedChat(h.db.prisma)
    const reported: { archived: boolean }[] = []
    const updating: RunExecutor = {
      async execute(ctx: RunContext) {
        reported.push(
          await ctx.updateSession({
            sandboxState: { kind: 'e2b', sandboxId: 'sbx_1', nested: [1, { a: null }] },
            lifecycleState: 'active',
          }),
        )
        return { status: 'completed' }
      },
    }
    const worker = await h.engine({ executor: updating })
    const run = await worker.startRun({ accountId, chatId, kind: 'async', model: 'm', input: {} })
    await collectRunEvents(worker.streamRunEvents(accountId, run.id))
    const s = await h.db.prisma.session.findUniqueOrThrow({ where: { id: sessionId } })
    expect([s.lifecycleState, s.sandboxState]).toEqual([
      'active',
      { kind: 'e2b', sandboxId: 'sbx_1', nested: [1, { a: null }] },
    ])
    expect(reported).toEqual([{ archived: false }])
  })

  it('never flips an archived session back to active (a run that raced the archive)', async () => {
    let archiveNow: (() => Promise<void>) | undefined
    const reported: { archived: boolean }[] = []
    const racing: RunExecutor = {
      async execute(ctx: RunContext) {
        // The archive lands after the run was claimed, before its sandbox opened.
        await archiveNow!()
        reported.push(
          await ctx.updateSession({ sandboxState: { kind: 'e2b', sandboxId: 'sbx_late' }, lifecycleState: 'active' }),
        )
        return { status: 'completed' }
      },
    }
    const worker = await h.engine({ executor: racing })
    const { accountId, chatId, sessionId } = await seedChat(h.db.prisma)
    archiveNow = async () => {
      await h.db.prisma.session.update({ where: { id: sessionId }, data: { lifecycleState: 'archived' } })
    }
    const run = await worker.startRun({ accountId, chatId, kind: 'async', model: 'm', input: {} })
    await collectRunEvents(worker.streamRunEvents(accountId, run.id))
    const s = await h.db.prisma.session.findUniqueOrThrow({ where: { id: sessionId } })
    expect(s.lifecycleState).toBe('archived')
    // the sandbox it opened is recorded, so the archive's release can find it
    expect(s.sandboxState).toEqual({ kind: 'e2b', sandboxId: 'sbx_late' })
    // and the run is told, so a sandbox recorded after the archive's release can be released too
    expect(reported).toEqual([{ archived: true }])
  })
})
