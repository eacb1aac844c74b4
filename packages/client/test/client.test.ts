import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig, startRunyard, type RunningServer } from '@runyard/server'
import { createTestDb, ScriptedExecutor, scriptPrompt, type TestDb } from '@runyard/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOpenApiValidator } from '../../../apps/server/test/support/openapi-validator.ts'
import { settledOpenapiProblems, validatingFetch } from '../../../apps/server/test/support/responses.ts'
import { renderRestTypes } from '../scripts/render-rest-types.ts'
import { createRunyardClient } from '../src/index.ts'

const here = path.dirname(fileURLToPath(import.meta.url))

const catalog = {
  isDemo: false,
  resolve: (id?: string) => ({ id: id ?? 'scripted', providerId: 'test' }),
  list: () => [{ id: 'scripted', providerId: 'test' }],
}

let db: TestDb
let server: RunningServer
beforeAll(async () => {
  db = await createTestDb()
  server = await startRunyard(loadConfig({ RUNYARD_PORT: '0', RUNYARD_LOG_LEVEL: 'silent' }), {
    db,
    agent: {
      runtime: {
        models: catalog,
        defaultSandbox: 'none',
        availableSandboxes: ['none'],
        warnings: [],
        sandboxes: { release: async () => {} },
      },
      executor: new ScriptedExecutor(),
    },
    progress: () => {},
  })
})
afterAll(async () => {
  await server.close()
  await db.drop()
})

describe('createRunyardClient', () => {
  it('creates and reads a session over tRPC and over REST', async () => {
    const client = createRunyardClient({ url: server.url })
    const created = await client.trpc.sessions.create.mutate({ title: 'from the client' })
    expect(created.session.title).toBe('from the client')
    const viaTrpc = await client.trpc.sessions.get.query({ sessionId: created.session.id })
    expect(viaTrpc.id).toBe(created.session.id)
    // REST through a fetch that validates every response against the server's /openapi.json
    const openapi = await createOpenApiValidator(await (await fetch(`${server.url}/openapi.json`)).json())
    const { rest } = createRunyardClient({ url: server.url, fetch: validatingFetch({ openapi }) })
    const viaRest = await rest.GET('/api/sessions/{sessionId}', { params: { path: { sessionId: created.session.id } } })
    expect(viaRest.response.status).toBe(200)
    expect(viaRest.data?.session.title).toBe('from the client')
    const missing = await rest.GET('/api/sessions/{sessionId}', { params: { path: { sessionId: 'sess_missing' } } })
    expect(missing.response.status).toBe(404)
    expect(missing.error).toMatchObject({ status: 'error' })
    expect(await settledOpenapiProblems()).toEqual([])
  })

  it('subscribes to a run over SSE in Node and resumes from lastEventId without gaps or duplicates', async () => {
    const client = createRunyardClient({ url: server.url })
    const { runId } = await client.trpc.runs.start.mutate({
      prompt: scriptPrompt([{ text: 'abcdefghij', chunks: 10, delayMs: 20 }, { step: { input: 1 } }]),
    })
    const collect = (lastEventId: string | null, stopAfter?: number) =>
      new Promise<number[]>((resolve, reject) => {
        const seqs: number[] = []
        const sub = client.trpc.runs.events.subscribe(
          { runId, lastEventId },
          {
            onData: (d) => {
              seqs.push(Number(d.id))
              if (d.data.event.type === 'done' || (stopAfter !== undefined && seqs.length >= stopAfter)) {
                sub.unsubscribe()
                resolve(seqs)
              }
            },
            onError: reject,
          },
        )
      })
    const first = await collect(null, 4)
    const rest = await collect(String(first.at(-1)))
    const all = [...first, ...rest]
    expect(all).toEqual(all.map((_, i) => i + 1))
    expect((await client.trpc.runs.get.query({ runId })).status).toBe('completed')
  })

  it('keeps the committed REST types in sync with the OpenAPI document', async () => {
    const committed = await fs.readFile(path.join(here, '../src/rest-types.ts'), 'utf8')
    expect(committed, 'run `pnpm --filter @runyard/client generate`').toBe(await renderRestTypes())
  })
})

describe('the REST additions, through the typed REST client (every response validated against /openapi.json)', () => {
  const rest = async () => {
    const openapi = await createOpenApiValidator(await (await fetch(`${server.url}/openapi.json`)).json())
    return createRunyardClient({ url: server.url, fetch: validatingFetch({ openapi }) }).rest
  }
  const until = async (what: string, done: () => Promise<boolean>) => {
    for (let i = 0; i < 200; i++) {
      if (await done()) return
      await new Promise((r) => setTimeout(r, 50))
    }
    throw new Error(`never: ${what}`)
  }

  it('lists runs with filters and cursor pages', async () => {
    const api = await rest()
    const started: string[] = []
    let chatId = ''
    for (let i = 0; i < 5; i++) {
      const r = await api.POST('/api/chat/runs', {
        body: { prompt: `run ${i}`, ...(chatId ? { chatId, ifBusy: 'enqueue' } : {}) },
      })
      expect(r.response.status).toBe(202)
      chatId = r.data!.chatId
      started.push(r.data!.runId)
    }
    await until(
      'all completed',
      async () =>
        (await api.GET('/api/chat/runs', { params: { query: { chatId, status: 'completed' } } })).data!.runs.length ===
        5,
    )

    const pages: string[][] = []
    let cursor: string | undefined
    do {
      const page = await api.GET('/api/chat/runs', {
        params: { query: { chatId, limit: 2, ...(cursor ? { cursor } : {}) } },
      })
      expect(page.response.status).toBe(200)
      pages.push(page.data!.runs.map((r) => r.runId))
      cursor = page.data!.nextCursor ?? undefined
    } while (cursor)
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1])
    expect(pages.flat()).toEqual([...started].reverse())

    const first = (await api.GET('/api/chat/runs/{runId}', { params: { path: { runId: started[0]! } } })).data!
    const after = await api.GET('/api/chat/runs', { params: { query: { chatId, createdAfter: first.createdAt } } })
    expect(after.data!.runs.length).toBe(5)
    const before = await api.GET('/api/chat/runs', { params: { query: { chatId, createdBefore: first.createdAt } } })
    expect(before.data!.runs).toEqual([])
    expect((await api.GET('/api/chat/runs', { params: { query: { chatId, status: 'failed' } } })).data!.runs).toEqual(
      [],
    )
    expect(
      (await api.GET('/api/chat/runs', { params: { query: { createdAfter: 'yesterday' as never } } })).response.status,
    ).toBe(400)
  })

  it('pages sessions, archives and deletes one; CometCode deletes its own', async () => {
    const api = await rest()
    const ids: string[] = []
    for (let i = 0; i < 3; i++)
      ids.push((await api.POST('/api/sessions', { body: { title: `paged ${i}` } })).data!.session.id)
    const first = await api.GET('/api/sessions', { params: { query: { limit: 2 } } })
    expect(first.data!.sessions.map((x) => x.id)).toEqual([ids[2], ids[1]])
    const second = await api.GET('/api/sessions', { params: { query: { limit: 2, cursor: first.data!.nextCursor! } } })
    expect(second.data!.sessions[0]!.id).toBe(ids[0])

    const archived = await api.POST('/api/sessions/{sessionId}/archive', { params: { path: { sessionId: ids[0]! } } })
    expect(archived.data!.session.lifecycleState).toBe('archived')
    const refused = await api.POST('/api/chat/runs', { body: { prompt: 'no', sessionId: ids[0]! } })
    expect(refused.response.status).toBe(409)

    const deleted = await api.DELETE('/api/sessions/{sessionId}', { params: { path: { sessionId: ids[1]! } } })
    expect(deleted.data).toEqual({ sessionId: ids[1], deleted: true })
    expect(
      (await api.GET('/api/sessions/{sessionId}', { params: { path: { sessionId: ids[1]! } } })).response.status,
    ).toBe(404)

    const comet = await api.DELETE('/api/v1/sessions/{id}', { params: { path: { id: ids[2]! } } })
    expect(comet.data).toEqual({ id: ids[2], deleted: true })
    expect((await api.GET('/api/v1/sessions/{id}', { params: { path: { id: ids[2]! } } })).response.status).toBe(404)
  })

  // Last: the first key switches this (auto) server to keys mode, so the rest uses that key.
  it('manages keys over REST', async () => {
    const created = await (await rest()).POST('/api/keys', { body: { name: 'from REST' } })
    expect(created.response.status).toBe(201)
    expect(created.data!.secret).toMatch(/^ryk_live_/)
    const openapi = await createOpenApiValidator(await (await fetch(`${server.url}/openapi.json`)).json())
    const api = createRunyardClient({
      url: server.url,
      apiKey: created.data!.secret,
      fetch: validatingFetch({ openapi }),
    }).rest
    const other = await api.POST('/api/keys', {
      body: { name: 'to revoke', expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
    })
    const listed = await api.GET('/api/keys')
    expect(listed.data!.keys.map((k) => k.id)).toEqual([other.data!.key.id, created.data!.key.id])
    const revoked = await api.POST('/api/keys/{keyId}/revoke', { params: { path: { keyId: other.data!.key.id } } })
    expect(revoked.data!.revokedAt).not.toBeNull()
    expect((await fetch(`${server.url}/api/sessions`, { headers: { 'x-api-key': other.data!.secret } })).status).toBe(
      401,
    )
    expect(
      (await api.POST('/api/keys/{keyId}/revoke', { params: { path: { keyId: 'key_unknown' } } })).response.status,
    ).toBe(404)
    expect(await settledOpenapiProblems()).toEqual([])
  })
})
