import { createTestDb, collectSse, scriptPrompt, type ScriptStep } from '@runyard/testkit'
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '@runyard/services'
import type { AppRouter } from '@runyard/api'
import { startTestServer, type TestServer } from './support/server.ts'

const prompt = (script: ScriptStep[]) => scriptPrompt(script)

async function waitForStatus(s: TestServer, runId: string, statuses: string[], key?: string) {
  for (let i = 0; i < 200; i++) {
    const r = await s.api(`/api/chat/runs/${runId}`, { key })
    if (statuses.includes(r.body.status)) return r.body
    await new Promise((res) => setTimeout(res, 50))
  }
  throw new Error(`run ${runId} never reached ${statuses.join('|')}`)
}

async function counts(s: TestServer) {
  const p = s.db.prisma
  return {
    sessions: await p.session.count(),
    chats: await p.chat.count(),
    runs: await p.run.count(),
    keys: await p.apiKey.count({ where: { kind: 'ephemeral' } }),
  }
}

describe('POST /api/chat/runs and friends (local mode)', () => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer()
  })
  afterAll(async () => s.stop())

  it('answers 202 with ids and a Location, then runs to completion', async () => {
    const r = await s.api('/api/chat/runs', {
      method: 'POST',
      json: { prompt: prompt([{ text: 'hello there', chunks: 2 }, { step: { input: 5, output: 2 } }]) },
    })
    expect(r.status).toBe(202)
    expect(r.body).toEqual({
      runId: expect.stringMatching(/^run_/),
      chatId: expect.stringMatching(/^chat_/),
      sessionId: expect.stringMatching(/^sess_/),
    })
    expect(r.headers.get('location')).toBe(`/api/chat/runs/${r.body.runId}`)
    const done = await waitForStatus(s, r.body.runId, ['completed'])
    expect(done).toMatchObject({
      runId: r.body.runId,
      chatId: r.body.chatId,
      sessionId: r.body.sessionId,
      status: 'completed',
      error: null,
    })
    expect(done.startedAt && done.finishedAt).toBeTruthy()
    // a second run continues the same chat
    const again = await s.api('/api/chat/runs', { method: 'POST', json: { prompt: 'again', chatId: r.body.chatId } })
    expect(again.status).toBe(202)
    expect(again.body.chatId).toBe(r.body.chatId)
    await waitForStatus(s, again.body.runId, ['completed'])
  })

  it('validates the body: exactly one of prompt/messages, non-blank prompt, real UIMessages, known ids and model', async () => {
    const before = await counts(s)
    const bad: unknown[] = [
      {},
      { prompt: 'a', messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: 'x' }] }] },
      { prompt: '   \n ' },
      { messages: [] },
      { messages: [{ role: 'user', content: 'not a UIMessage' }] },
      { messages: [{ id: 'm1', role: 'robot', parts: [] }] },
      { promt: 'x' }, // a misspelt known field still fails (unknown fields are stripped, seed 001)
      { prompt: 'x', model: 'nope' },
      { prompt: 42 },
    ]
    for (const json of bad) {
      const r = await s.api('/api/chat/runs', { method: 'POST', json })
      expect(r.status, JSON.stringify(json)).toBe(400)
      expect(r.body.status).toBe('error')
    }
    expect(
      (await s.api('/api/chat/runs', { method: 'POST', json: { prompt: 'x', chatId: 'chat_missing' } })).status,
    ).toBe(404)
    expect(
      (await s.api('/api/chat/runs', { method: 'POST', json: { prompt: 'x', sessionId: 'sess_missing' } })).status,
    ).toBe(404)
    expect(
      await s.api('/api/chat/runs', { method: 'POST', json: { prompt: 'x', accountId: 'acct_other' } }),
    ).toMatchObject({ status: 403 })
    expect(await counts(s)).toEqual(before)
  })

  it('accepts validated UIMessages', async () => {
    const r = await s.api('/api/chat/runs', {
      method: 'POST',
      json: {
        messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: prompt([{ text: 'from messages' }]) }] }],
      },
    })
    expect(r.status).toBe(202)
    await waitForStatus(s, r.body.runId, ['completed'])
  })

  it('answers 409 with the active run id when the chat is busy', async () => {
    const first = await s.api('/api/chat/runs', { method: 'POST', json: { prompt: prompt([{ hang: true }]) } })
    const second = await s.api('/api/chat/runs', { method: 'POST', json: { prompt: 'x', chatId: first.body.chatId } })
    expect(second.status).toBe(409)
    expect(second.body.error).toContain(first.body.runId)
    const queued = await s.api('/api/chat/runs', {
      method: 'POST',
      json: { prompt: 'x', chatId: first.body.chatId, ifBusy: 'enqueue' },
    })
    expect(queued.status).toBe(202)
    await s.api(`/api/chat/runs/${first.body.runId}/cancel`, { method: 'POST' })
    await waitForStatus(s, queued.body.runId, ['completed'])
  })

  it('cancels in every state: queued never starts, running stops with partial output, finished is a no-op', async () => {
    const running = await s.api('/api/chat/runs', {
      method: 'POST',
      json: { prompt: prompt([{ text: 'partial' }, { hang: true }]) },
    })
    const waiting = await s.api('/api/chat/runs', {
      method: 'POST',
      json: { prompt: prompt([{ text: 'never' }]), chatId: running.body.chatId, ifBusy: 'enqueue' },
    })
    await collectSse(
      `${s.url}/api/chat/runs/${running.body.runId}/events`,
      {},
      (f) => JSON.parse(f.data).event.type === 'text_delta',
    )

    const q = await s.api(`/api/chat/runs/${waiting.body.runId}/cancel`, { method: 'POST' })
    expect(q.body).toMatchObject({ status: 'cancelled', startedAt: null })
    const r = await s.api(`/api/chat/runs/${running.body.runId}/cancel`, { method: 'POST' })
    expect(r.body).toMatchObject({ status: 'cancelled', error: { code: 'cancelled' } })
    const events = await collectSse(`${s.url}/api/chat/runs/${running.body.runId}/events`)
    expect(events.frames.map((f) => JSON.parse(f.data).event)).toContainEqual({ type: 'text_delta', delta: 'partial' })
    const again = await s.api(`/api/chat/runs/${running.body.runId}/cancel`, { method: 'POST' })
    expect(again.body.status).toBe('cancelled')
    expect((await s.api('/api/chat/runs/run_unknown/cancel', { method: 'POST' })).status).toBe(404)
  })

  it('cancelling a run whose model call never returns aborts the call and reaches `cancelled`', async () => {
    const r = await s.api('/api/chat/runs', {
      method: 'POST',
      json: { prompt: prompt([{ text: 'working' }, { hang: true }]) },
    })
    await collectSse(
      `${s.url}/api/chat/runs/${r.body.runId}/events`,
      {},
      (f) => JSON.parse(f.data).event.type === 'text_delta',
    )
    await s.api(`/api/chat/runs/${r.body.runId}/cancel`, { method: 'POST' })
    await waitForStatus(s, r.body.runId, ['cancelled', 'completed', 'failed'])
    expect((await s.api(`/api/chat/runs/${r.body.runId}`)).body.status).toBe('cancelled')
  })

  it('POST /api/chat/runs with an existing sessionId reuses that session and its chat', async () => {
    const first = await s.api('/api/chat/runs', { method: 'POST', json: { prompt: prompt([{ text: 'first turn' }]) } })
    await waitForStatus(s, first.body.runId, ['completed'])
    const before = await counts(s)
    const next = await s.api('/api/chat/runs', {
      method: 'POST',
      json: { prompt: prompt([{ text: 'second turn' }]), sessionId: first.body.sessionId },
    })
    expect(next.status).toBe(202)
    expect(next.body).toMatchObject({ sessionId: first.body.sessionId, chatId: first.body.chatId })
    expect(next.body.runId).not.toBe(first.body.runId)
    await waitForStatus(s, next.body.runId, ['completed'])
    expect(await counts(s)).toEqual({ ...before, runs: before.runs + 1 })
  })

  it("streams any run's log with id = seq, from Last-Event-ID or ?after", async () => {
    const r = await s.api('/api/chat/runs', {
      method: 'POST',
      json: { prompt: prompt([{ text: 'abcdef', chunks: 6 }]) },
    })
    const full = await collectSse(`${s.url}/api/chat/runs/${r.body.runId}/events`)
    expect(full.frames.map((f) => Number(f.id))).toEqual(full.frames.map((_, i) => i + 1))
    for (const f of full.frames)
      s.openapi.checkSseFrame('GET', `/api/chat/runs/${r.body.runId}/events`, JSON.parse(f.data))
    const fromHeader = await collectSse(`${s.url}/api/chat/runs/${r.body.runId}/events`, {
      headers: { 'last-event-id': '4' },
    })
    expect(fromHeader.frames.map((f) => f.id)).toEqual(full.frames.slice(4).map((f) => f.id))
    const fromQuery = await collectSse(`${s.url}/api/chat/runs/${r.body.runId}/events?after=7`)
    expect(fromQuery.frames.map((f) => f.id)).toEqual(full.frames.slice(7).map((f) => f.id))
    expect((await s.api('/api/chat/runs/run_nope/events')).status).toBe(404)
  })

  it('GET /api/chat/{chatId}/stream answers 204 when no run is active', async () => {
    const r = await s.api('/api/chat/runs', { method: 'POST', json: { prompt: 'x' } })
    await waitForStatus(s, r.body.runId, ['completed'])
    const idle = await s.api(`/api/chat/${r.body.chatId}/stream`)
    expect(idle.status).toBe(204)
    expect((await s.api('/api/chat/chat_nope/stream')).status).toBe(404)
  })

  it('leaves nothing behind when any provisioning step fails', async () => {
    const c = new pg.Client({ connectionString: s.db.url })
    await c.connect()
    await c.query(
      `CREATE OR REPLACE FUNCTION fail_insert() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql`,
    )
    try {
      for (const table of ['"Session"', '"Chat"', '"Run"', '"ApiKey"', '"RunEventBatch"', 'pgboss.job']) {
        const before = await counts(s)
        await c.query(`CREATE TRIGGER fail_step BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION fail_insert()`)
        try {
          const r = await s.api('/api/chat/runs', { method: 'POST', json: { prompt: 'x' } })
          expect(r.status, table).toBe(500)
          expect(await counts(s), table).toEqual(before)
        } finally {
          await c.query(`DROP TRIGGER fail_step ON ${table}`)
        }
      }
    } finally {
      await c.query('DROP FUNCTION fail_insert()')
      await c.end()
    }
  })

  it('/openapi.json: POST /api/chat, POST /api/chat/runs and the /api/v1 turn each point to the other two', async () => {
    const doc = (await s.api('/openapi.json', { validate: false })).body
    const chatTurn: string = doc.paths['/api/chat'].post.description
    const headless: string = doc.paths['/api/chat/runs'].post.description
    const comet: string = doc.paths['/api/v1/sessions/{id}/message'].post.description
    // `/api/chat` not followed by another path segment
    const mentionsChatTurn = /\/api\/chat(?![/\w{])/
    expect(chatTurn).toContain('/api/chat/runs')
    expect(chatTurn).toContain('/api/v1/')
    expect(headless).toMatch(mentionsChatTurn)
    expect(headless).toContain('/api/v1/')
    expect(comet).toMatch(mentionsChatTurn)
    expect(comet).toContain('/api/chat/runs')
  })

  it('a database error on status lookup is a 500, not a 404', async () => {
    const r = await s.api('/api/chat/runs', { method: 'POST', json: { prompt: 'x' } })
    await waitForStatus(s, r.body.runId, ['completed'])
    const c = new pg.Client({ connectionString: s.db.url })
    await c.connect()
    await c.query('ALTER TABLE "Run" RENAME TO "Run_hidden"')
    try {
      const status = await s.api(`/api/chat/runs/${r.body.runId}`)
      expect(status).toMatchObject({ status: 500, body: { status: 'error', error: 'Internal server error' } })
    } finally {
      await c.query('ALTER TABLE "Run_hidden" RENAME TO "Run"')
      await c.end()
    }
    expect((await s.api(`/api/chat/runs/${r.body.runId}`)).status).toBe(200)
  })
})

describe('chat runs with keys', () => {
  let s: TestServer
  const keys = { org: '', member: '', stranger: '' }
  beforeAll(async () => {
    const testDb = await createTestDb()
    await testDb.prisma.account.createMany({
      data: [
        { id: 'acct_org', name: 'org', kind: 'org' },
        { id: 'acct_member', name: 'member', orgId: 'acct_org' },
        { id: 'acct_stranger', name: 'stranger' },
      ],
    })
    keys.org = (await createApiKey(testDb.prisma, { accountId: 'acct_org', name: 'org', kind: 'org' })).secret
    keys.member = (await createApiKey(testDb.prisma, { accountId: 'acct_member', name: 'm', kind: 'personal' })).secret
    keys.stranger = (
      await createApiKey(testDb.prisma, { accountId: 'acct_stranger', name: 's', kind: 'personal' })
    ).secret
    s = await startTestServer({ testDb })
  })
  afterAll(async () => {
    await s.stop()
    await s.testDb.drop()
  })

  it('401 without a key on every chat route', async () => {
    expect((await s.api('/api/chat/runs', { method: 'POST', json: { prompt: 'x' } })).status).toBe(401)
    expect((await s.api('/api/chat/runs/run_x')).status).toBe(401)
    expect((await s.api('/api/chat/runs/run_x/cancel', { method: 'POST' })).status).toBe(401)
    // existing ids too: the streams answer 401 before looking anything up
    const mine = await s.api('/api/chat/runs', { method: 'POST', json: { prompt: 'x' }, key: keys.member })
    expect(mine.status).toBe(202)
    expect((await s.api(`/api/chat/runs/${mine.body.runId}/events`)).status).toBe(401)
    expect((await s.api(`/api/chat/${mine.body.chatId}/stream`)).status).toBe(401)
    expect((await s.api('/api/chat/runs/run_x/events')).status).toBe(401)
    expect((await s.api('/api/chat/chat_x/stream')).status).toBe(401)
  })

  it('org keys may act for members; other keys naming an account get 403', async () => {
    const forMember = await s.api('/api/chat/runs', {
      method: 'POST',
      json: { prompt: 'x', accountId: 'acct_member' },
      key: keys.org,
    })
    expect(forMember.status).toBe(202)
    expect((await s.api(`/api/chat/runs/${forMember.body.runId}`, { key: keys.member })).status).toBe(200)
    expect(
      (
        await s.api('/api/chat/runs', {
          method: 'POST',
          json: { prompt: 'x', accountId: 'acct_stranger' },
          key: keys.org,
        })
      ).status,
    ).toBe(403)
    expect(
      (
        await s.api('/api/chat/runs', {
          method: 'POST',
          json: { prompt: 'x', accountId: 'acct_member' },
          key: keys.stranger,
        })
      ).status,
    ).toBe(403)
  })

  it("another account's run is a 404", async () => {
    const mine = await s.api('/api/chat/runs', { method: 'POST', json: { prompt: 'x' }, key: keys.member })
    expect((await s.api(`/api/chat/runs/${mine.body.runId}`, { key: keys.stranger })).status).toBe(404)
    expect(
      (await s.api(`/api/chat/runs/${mine.body.runId}/cancel`, { method: 'POST', key: keys.stranger })).status,
    ).toBe(404)
    expect((await s.api(`/api/chat/runs/${mine.body.runId}/events`, { key: keys.stranger })).status).toBe(404)
    expect((await s.api(`/api/chat/${mine.body.chatId}/stream`, { key: keys.stranger })).status).toBe(404)
  })

  it("tRPC runs.list returns only the caller's runs, and runs.cancel stops the caller's run", async () => {
    const trpc = (key: string) =>
      createTRPCClient<AppRouter>({ links: [httpLink({ url: `${s.url}/trpc`, headers: { 'x-api-key': key } })] })
    const member = await s.api('/api/chat/runs', {
      method: 'POST',
      json: { prompt: prompt([{ hang: true }]) },
      key: keys.member,
    })
    const stranger = await s.api('/api/chat/runs', { method: 'POST', json: { prompt: 'x' }, key: keys.stranger })
    await waitForStatus(s, member.body.runId, ['running'], keys.member)
    const memberRuns = await trpc(keys.member).runs.list.query()
    const strangerRuns = await trpc(keys.stranger).runs.list.query()
    expect(memberRuns.map((r) => r.id)).toContain(member.body.runId)
    expect(strangerRuns.map((r) => r.id)).toContain(stranger.body.runId)
    expect(memberRuns.every((r) => r.accountId === 'acct_member')).toBe(true)
    expect(strangerRuns.every((r) => r.accountId === 'acct_stranger')).toBe(true)
    expect(memberRuns.map((r) => r.id)).not.toContain(stranger.body.runId)
    expect(strangerRuns.map((r) => r.id)).not.toContain(member.body.runId)

    const foreign = await trpc(keys.stranger)
      .runs.cancel.mutate({ runId: member.body.runId })
      .catch((err: unknown) => err)
    expect(foreign).toBeInstanceOf(TRPCClientError)
    expect((foreign as TRPCClientError<AppRouter>).data?.code).toBe('NOT_FOUND')
    expect((await s.api(`/api/chat/runs/${member.body.runId}`, { key: keys.member })).body.status).toBe('running')
    expect(await trpc(keys.member).runs.cancel.mutate({ runId: member.body.runId })).toMatchObject({
      id: member.body.runId,
      status: 'cancelled',
    })
    expect((await s.api(`/api/chat/runs/${member.body.runId}`, { key: keys.member })).body.status).toBe('cancelled')
  })
})
