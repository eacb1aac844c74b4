// First contact with real clients, and every seed contract to the letter: the `openai` SDK with
// any key on a fresh local install (401 in keys mode), useChat's own chat ids, CORS for a browser
// app on another origin, and the seed bullets (200 on session create, unknown fields stripped,
// x-workflow-run-id, the chat's messages over REST, cross-linked docs, org keys reading the runs
// they started for members). Every REST response is validated against /openapi.json.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createTestDb, fakeTurn, scriptPrompt, startFakeOpenAI, type FakeOpenAI } from '@runyard/testkit'
import { createTRPCClient, httpLink } from '@trpc/client'
import OpenAI from 'openai'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toAppError } from '../src/http/errors.ts'
import { createApiKey } from '@runyard/services'
import type { AppRouter } from '@runyard/api'
import { realAgent } from './support/real-agent.ts'
import { startTestServer, type TestServer } from './support/server.ts'

const until = async (what: string, done: () => Promise<boolean>) => {
  for (let i = 0; i < 200; i++) {
    if (await done()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`never: ${what}`)
}

describe('a fresh local install', () => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer({ env: { RUNYARD_CORS_ORIGINS: 'http://localhost:3000' } })
    expect(s.authMode).toBe('local')
  })
  afterAll(() => s.stop())

  it('the openai SDK works with any key: create, stream, retrieve, cancel', async () => {
    const client = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: 'anything' })
    const created = await client.responses.create({ model: 'default', input: scriptPrompt([{ text: 'hello there' }]) })
    expect(created.status).toBe('completed')
    expect(created.output_text).toBe('hello there')
    const types: string[] = []
    for await (const e of await client.responses.create({
      model: 'default',
      input: scriptPrompt([{ text: 'streamed' }]),
      stream: true,
    }))
      types.push(e.type)
    expect(types[0]).toBe('response.created')
    expect(types.at(-1)).toBe('response.completed')
    expect((await client.responses.retrieve(created.id)).output_text).toBe('hello there')
    const long = await client.responses.create({
      model: 'default',
      input: scriptPrompt([{ hang: true }]),
      background: true,
    })
    expect((await client.responses.cancel(long.id)).status).toBe('cancelled')
  })

  it('CORS for RUNYARD_CORS_ORIGINS only: preflight, exposed run and chat ids', async () => {
    const preflight = await fetch(`${s.url}/api/chat`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-api-key',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000')
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-api-key')
    const accepted = await fetch(`${s.url}/api/chat/runs`, {
      method: 'POST',
      headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'x' }),
    })
    expect(accepted.status).toBe(202)
    expect(accepted.headers.get('access-control-expose-headers')).toContain('location')
    expect(accepted.headers.get('access-control-expose-headers')).toContain('x-workflow-run-id')

    const stranger = await fetch(`${s.url}/api/chat`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('seed 002: POST /api/sessions answers 200; seed 001: unknown body fields are stripped, misspelt known ones still fail', async () => {
    const hosted = { artistId: 'artist_1', organizationId: 'org_1', topic: 'music', roomId: 'room_1' }
    const created = await s.api('/api/sessions', { method: 'POST', json: { title: 'from the hosted API', ...hosted } })
    expect(created.status).toBe(200)
    expect(created.body.session.title).toBe('from the hosted API')
    const run = await s.api('/api/chat/runs', {
      method: 'POST',
      json: { prompt: scriptPrompt([{ text: 'ok' }]), ...hosted },
    })
    expect(run.status).toBe(202)
    const typo = await s.api('/api/chat/runs', { method: 'POST', json: { promt: 'x' } })
    expect(typo).toMatchObject({ status: 400, body: { error: expect.stringContaining('prompt') } })
  })

  it('seed 000: the chat endpoints document each other, both ways', async () => {
    const doc = (await (await fetch(`${s.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { operationId: string; description: string }>>
    }
    const chat = ['chatTurn', 'startChatRun', 'getChatRun', 'resumeChatStream', 'getChatMessages']
    const ops = Object.values(doc.paths)
      .flatMap((p) => Object.values(p))
      .filter((op) => chat.includes(op.operationId))
    expect(ops.map((op) => op.operationId).sort()).toEqual([...chat].sort())
    for (const op of ops)
      for (const other of chat)
        if (other !== op.operationId)
          expect(op.description, `${op.operationId} → ${other}`).toContain(`(#/Chat/${other})`)
  })

  it('seed 003: a malformed response id is 400, an unknown one 404', async () => {
    const client = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: 'local' })
    await expect(client.responses.retrieve('not-a-response-id')).rejects.toBeInstanceOf(OpenAI.BadRequestError)
    await expect(client.responses.retrieve('resp_unknown')).rejects.toBeInstanceOf(OpenAI.NotFoundError)
  })
})

describe("useChat's own chat ids, with the agent runtime (its answers are persisted)", () => {
  let s: TestServer
  let fake: FakeOpenAI
  let tmp: string
  beforeAll(async () => {
    fake = await startFakeOpenAI()
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'first-contact-'))
    const { executor, runtime } = realAgent(fake.url, path.join(tmp, 'workspaces'))
    s = await startTestServer({ executor, runtime })
  })
  afterAll(async () => {
    await s?.stop()
    await fake?.close()
    fs.rmSync(tmp, { recursive: true, force: true })
  })

  it("useChat's own chat id: the first message creates the chat under it, resume and the transcript use it, the next message continues it", async () => {
    const clientId = 'aH3kLp9qRt2Zx8Wm'
    const send = (text: string, id: string) =>
      s.api('/api/chat', {
        method: 'POST',
        json: {
          id: clientId,
          messages: [{ id, role: 'user', parts: [{ type: 'text', text }] }],
          trigger: 'submit-message',
          messageId: id,
        },
      })
    fake.enqueue(fakeTurn.text(['first ', 'answer']), fakeTurn.text(['second answer']))
    const first = await send('first question', 'u1')
    expect(first.status).toBe(200)
    const runId = first.headers.get('x-workflow-run-id')!
    expect(runId).toMatch(/^run_/)
    expect(first.headers.get('x-runyard-run-id')).toBe(runId)
    const chatId = first.headers.get('x-runyard-chat-id')!
    expect(chatId).toMatch(/^chat_/)

    expect((await s.api(`/api/chat/${clientId}/stream`)).status).toBe(204) // finished: nothing to resume
    const transcript = await s.api(`/api/chat/${clientId}/messages`)
    expect(transcript.status).toBe(200)
    expect(Array.isArray(transcript.body)).toBe(true)
    expect(transcript.body.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant'])
    expect(JSON.stringify(transcript.body[1].parts)).toContain('first answer')
    expect((await s.api(`/api/chat/${chatId}/messages`)).body).toEqual(transcript.body)

    const second = await send('second question', 'u2')
    expect(second.headers.get('x-runyard-chat-id')).toBe(chatId)
    expect((await s.api(`/api/chat/${clientId}/messages`)).body).toHaveLength(4)
    expect(await s.db.prisma.chat.count({ where: { clientId } })).toBe(1)

    // a chat useChat has named but not started yet: nothing to resume, an empty transcript
    expect((await s.api('/api/chat/not-started-yet/stream')).status).toBe(204)
    expect(await s.api('/api/chat/not-started-yet/messages')).toMatchObject({ status: 200, body: [] })
    expect((await s.api('/api/chat/chat_01JUNKNOWNUNKNOWNUNKNOWN00/messages')).status).toBe(404)
    expect((await s.api('/api/chat/chat_01JUNKNOWNUNKNOWNUNKNOWN00/stream')).status).toBe(404)
  })
})

describe('keys mode', () => {
  let s: TestServer
  let orgKey = ''
  beforeAll(async () => {
    const testDb = await createTestDb()
    await testDb.prisma.account.createMany({
      data: [
        { id: 'acct_org', name: 'org', kind: 'org' },
        { id: 'acct_member', name: 'member', orgId: 'acct_org' },
        { id: 'acct_loner', name: 'loner' },
      ],
    })
    orgKey = (await createApiKey(testDb.prisma, { accountId: 'acct_org', name: 'org', kind: 'org' })).secret
    s = await startTestServer({ testDb, env: { RUNYARD_AUTH: 'keys' } })
  })
  afterAll(async () => {
    await s.stop()
    await s.testDb.drop()
  })

  it('the openai SDK with an unknown key gets 401', async () => {
    const client = new OpenAI({ baseURL: `${s.url}/v1`, apiKey: 'anything', maxRetries: 0 })
    await expect(client.responses.create({ model: 'default', input: 'hi' })).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    )
  })

  it('seed 001: an org key reads, streams and cancels the runs it started for a member (its Location works)', async () => {
    const started = await s.api('/api/chat/runs', {
      method: 'POST',
      json: { prompt: scriptPrompt([{ hang: true }]), accountId: 'acct_member' },
      key: orgKey,
    })
    expect(started.status).toBe(202)
    const location = started.headers.get('location')!
    await until('running', async () => (await s.api(location, { key: orgKey })).body.status === 'running')
    expect((await s.db.prisma.run.findUniqueOrThrow({ where: { id: started.body.runId } })).accountId).toBe(
      'acct_member',
    )
    const events = await fetch(`${s.url}${location}/events`, { headers: { 'x-api-key': orgKey } })
    expect(events.status).toBe(200)
    await events.body?.cancel()
    expect((await s.api(`${location}/cancel`, { method: 'POST', key: orgKey })).body.status).toBe('cancelled')
    // a run of an account outside the org stays invisible
    const loner = await s.db.prisma.run.create({
      data: {
        id: 'run_loner',
        accountId: 'acct_loner',
        chatId: (await lonerChat(s)).id,
        sessionId: (await lonerChat(s)).sessionId,
        kind: 'async',
        status: 'completed',
        model: 'scripted',
        input: {},
      },
    })
    expect((await s.api(`/api/chat/runs/${loner.id}`, { key: orgKey })).status).toBe(404)
  })

  it('seed 001: org membership is managed over REST and tRPC by org keys only', async () => {
    const created = await s.api('/api/org/members', { method: 'POST', json: { name: 'new member' }, key: orgKey })
    expect(created).toMatchObject({ status: 201, body: { orgId: 'acct_org', name: 'new member', kind: 'personal' } })
    const listed = await s.api('/api/org/members', { key: orgKey })
    expect(listed.body.members.map((m: { id: string }) => m.id)).toEqual(['acct_member', created.body.id])
    const trpc = createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${s.url}/trpc`, headers: { 'x-api-key': orgKey } })],
    })
    expect((await trpc.org.members.query()).length).toBe(2)
    expect((await trpc.org.removeMember.mutate({ accountId: created.body.id })).orgId).toBeNull()
    expect((await s.api(`/api/org/members/${created.body.id}`, { method: 'DELETE', key: orgKey })).status).toBe(404)
    // the member can no longer be acted for
    expect(
      (
        await s.api('/api/chat/runs', {
          method: 'POST',
          json: { prompt: 'x', accountId: created.body.id },
          key: orgKey,
        })
      ).status,
    ).toBe(403)
    const personal = (await createApiKey(s.db.prisma, { accountId: 'acct_loner', name: 'p', kind: 'personal' })).secret
    expect((await s.api('/api/org/members', { key: personal })).status).toBe(403)
    expect((await s.api('/api/org/members', { method: 'POST', json: { name: 'x' }, key: personal })).status).toBe(403)
  })
})

async function lonerChat(s: TestServer) {
  const existing = await s.db.prisma.chat.findFirst({ where: { accountId: 'acct_loner' } })
  if (existing) return existing
  const session = await s.db.prisma.session.create({
    data: { id: 'sess_loner', accountId: 'acct_loner', sandboxType: 'none', modelId: 'scripted', providerId: 'test' },
  })
  return s.db.prisma.chat.create({ data: { id: 'chat_loner', accountId: 'acct_loner', sessionId: session.id } })
}

describe('seed 003: an unreachable database is 503', () => {
  it("the embedded server's missing socket (ENOENT) and a refused TCP port are 503, not 500", async () => {
    for (const config of [{ host: '/nonexistent-runyard-socket-dir' }, { host: '127.0.0.1', port: 1 }]) {
      const client = new pg.Client({ ...config, connectionTimeoutMillis: 2000 })
      const err = await client.connect().then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(err, JSON.stringify(config)).toBeDefined()
      expect(toAppError(err)).toMatchObject({ kind: 'unavailable', status: 503 })
    }
  })
})
